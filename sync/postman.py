"""The postman: sends what the outbox holds, by SMTP, or into the local mailbox of a desk without one.

`deliver` claims due messages (desk_db.handovers: one sender per message, a
lease against a sender that dies), hands each to the postman and records the
outcome: sent (the address and text are then erased from the outbox), tried
again later with a growing wait (the server is down, or said "try later"),
or failed for good (the address is refused), with the reason the coordinator
reads in the row.

HELPT_SMTP_URL: `smtp://user:password@host:587` (STARTTLS, required before a
password leaves the machine unless the server is on loopback) or
`smtps://user:password@host:465`. Each message has a plain-text part and a
simple HTML part with the same words and working links.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Protocol
from urllib.parse import unquote, urlsplit

from desk_db.handovers import Handovers, Outgoing
from sheets_schema.errors import ConfigError
from sheets_schema.plain_html import html_paragraphs

log = logging.getLogger("helpt.postman")

RETRY_SECONDS = 60.0  # the first wait after a temporary failure; doubled each time, at most an hour


class Refused(Exception):
    """The server refused this message for good (an address that does not exist)."""


class Postman(Protocol):
    def send(self, message: Outgoing) -> None:
        """Hand one message over; raise Refused, or OSError/SMTPException to be tried again later."""

    def close(self) -> None: ...


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def deliver(handovers: Handovers, postman: Postman, limit: int = 200, sms: Postman | None = None) -> DeliveryReport:
    """Send up to `limit` due messages: e-mail by `postman`, SMS by `sms` (none without it); ids only in the log."""
    report = DeliveryReport()
    by_channel = {"email": postman, **({"sms": sms} if sms is not None else {})}
    try:
        for message in handovers.claim(limit, channels=tuple(by_channel)):
            try:
                by_channel[message.channel].send(message)
            except Refused as refused:
                handovers.failed(message.id, str(refused), retry_in=None)
                report.failed += 1
                log.warning("%s to %s for %s refused for good", message.kind, message.volunteer_id,
                            message.request_id)
            except (OSError, smtplib.SMTPException) as error:
                wait = min(3600.0, RETRY_SECONDS * 2 ** (message.attempts - 1))
                handovers.failed(message.id, type(error).__name__, retry_in=wait)
                report.retried += 1
                log.warning("%s for %s not sent (%s); trying again in %g s", message.kind, message.request_id,
                            type(error).__name__, wait)
            else:
                handovers.sent(message.id)
                report.sent += 1
    finally:
        for each in by_channel.values():
            each.close()
    if report.sent or report.failed:
        log.info("messages: %d sent, %d to retry, %d refused", report.sent, report.retried, report.failed)
    return report


def mail(message: Outgoing, sender: str) -> EmailMessage:
    """The e-mail of one outbox message: plain text, and the same words as simple HTML."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.address
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=True)
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    mail.set_content(message.body)
    paragraphs = "".join(f"<p>{paragraph}</p>" for paragraph in html_paragraphs(message.body))
    mail.add_alternative("<!doctype html><html><body style=\"font-family:sans-serif;font-size:16px\">"
                         + paragraphs + "</body></html>", subtype="html")
    return mail


class SmtpPostman:
    """One SMTP connection for a round of messages, opened at the first."""

    def __init__(self, url: str, sender: str, timeout: float = 30.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ConfigError("HELPT_SMTP_URL must look like smtp://user:password@host:587 or smtps://host:465")
        if not sender:
            raise ConfigError("HELPT_MAIL_FROM is needed to send mail (the address messages come from)")
        self.secure = parts.scheme == "smtps"
        self.host, self.port = parts.hostname, parts.port or (465 if self.secure else 587)
        self.user, self.password = unquote(parts.username or ""), unquote(parts.password or "")
        self.sender, self.timeout = sender, timeout
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        if self._smtp is None:
            context = ssl.create_default_context()
            if self.secure:
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                smtp.ehlo()
                if smtp.has_extn("starttls"):
                    smtp.starttls(context=context)
                    smtp.ehlo()
                elif self.password and self.host not in ("127.0.0.1", "::1", "localhost"):
                    smtp.close()
                    raise ConfigError(f"{self.host} offers no STARTTLS: the password would travel in clear")
            if self.user:
                smtp.login(self.user, self.password)
            self._smtp = smtp
        return self._smtp

    def send(self, message: Outgoing) -> None:
        try:
            self._connect().send_message(mail(message, self.sender))
        except smtplib.SMTPRecipientsRefused as refused:
            codes = [code for code, _ in refused.recipients.values()]
            if all(code >= 500 for code in codes):
                raise Refused(f"SMTP {codes[0]}") from None
            raise
        except smtplib.SMTPResponseException as error:
            self.close()
            if error.smtp_code >= 500 and not isinstance(error, smtplib.SMTPSenderRefused):
                raise Refused(f"SMTP {error.smtp_code}") from None
            raise
        except (OSError, smtplib.SMTPException):
            self.close()
            raise

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self._smtp = None


class SmsPostman:
    """SMS through Twilio's SDK (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, HELPT_SMS_FROM).

    Another provider fits behind the same two methods. `api_url` points the SDK at a Twilio-compatible
    server instead of api.twilio.com (the tests' loopback stand-in).
    """

    def __init__(self, account_sid: str, auth_token: str, sender: str, api_url: str = "") -> None:
        from twilio.rest import Client

        self.client = Client(account_sid, auth_token)
        if api_url:
            self.client.api.base_url = api_url
        self.sender = sender

    def send(self, message: Outgoing) -> None:
        from twilio.base.exceptions import TwilioRestException

        try:
            self.client.messages.create(to=message.address, from_=self.sender, body=message.body)
        except TwilioRestException as error:
            if error.status == 400:  # Twilio's answer to a number it cannot text (21211, 21614, ...)
                raise Refused(f"Twilio {error.code}") from None
            raise ConnectionError(f"Twilio {error.status}") from None

    def close(self) -> None:
        pass


class LocalPostman:
    """A desk without SMTP (or without SMS): messages land in the local mailbox, read on the desk's outbox
    page."""

    def __init__(self, handovers: Handovers) -> None:
        self.handovers = handovers

    def send(self, message: Outgoing) -> None:
        self.handovers.deliver_locally(message)

    def close(self) -> None:
        pass


def postman_for(smtp_url: str, sender: str, handovers: Handovers) -> Postman:
    return SmtpPostman(smtp_url, sender) if smtp_url else LocalPostman(handovers)
