"""Settings: defaults, then the environment (and a `.env` file), then explicit overrides.

This is the only place that reads the environment; everything else is handed
a Settings object or the values it needs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from dotenv import dotenv_values

from .errors import ConfigError
from .fields import LANGUAGES
from .logs import FORMATS, LEVELS


@dataclass(frozen=True)
class Settings:
    """Every setting, with the environment variable it comes from in `ENV_NAMES`."""

    backend: str = "auto"  # auto | local | google
    spreadsheet_id: str = ""
    credentials_file: str = ""
    data_dir: Path = Path("helpt-data")
    # The intake journal and the locks: PostgreSQL on a Procfile platform; empty: SQLite in data_dir.
    database_url: str = field(default="", repr=False)
    sheets_url: str = ""
    sheets_token: str = field(default="", repr=False)  # the token of the server at sheets_url
    sheets_port: int = 8001
    spreadsheet_title: str = "helpt"
    language: str = "nl"
    agent_passcode: str = field(default="", repr=False)  # the call centre's door; empty: no door
    agent_session_hours: float = 12.0  # an agent's sign-in lasts a shift
    desk_phone: str = ""  # the desk's phone number and e-mail, shown on the public pages
    desk_email: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    sheets_timeout: float = 30.0
    sheets_attempts: int = 6
    match_max_km: float = 5.0  # in-person tasks: suggest volunteers within this distance
    match_capacity: int = 2  # open cases a volunteer may carry before they are no longer suggested
    # Intake. No default secret: without one the intake API refuses every request.
    webhook_secret: str = field(default="", repr=False)
    flush_writes_per_minute: int = 20  # Google allows about 60 write calls a minute per account
    form_rate_limit: int = 10  # posts per minute per client address on the public forms
    api_rate_limit: int = 60  # unsigned or wrongly signed API posts per minute per client address
    trusted_proxies: int = 0  # proxies in front of the web app whose X-Forwarded-For is believed
    sync_every: float = 60.0  # seconds at least between two syncs inside `helpt serve`; 0: no periodic sync
    retention_days: int = 0  # erase finished requests and volunteers this many days later; 0: keep
    archive_after_days: int = 30  # merged intake rows this old leave the sheet for the archive; 0: never
    # The handover: where people's links point, how mail goes out, how long a volunteer has to answer.
    public_url: str = ""  # the desk as people reach it; empty: http://HELPT_HOST:HELPT_PORT
    smtp_url: str = field(default="", repr=False)  # smtp://user:password@host:587; empty: the local mailbox
    mail_from: str = ""
    handover_wait_hours: float = 24.0
    follow_up_days: float = 3.0  # after a yes, ask the volunteer whether the help happened
    # SMS through Twilio, for people with only a mobile; empty: no SMS.
    twilio_account_sid: str = ""
    twilio_auth_token: str = field(default="", repr=False)
    sms_from: str = ""
    log_level: str = "INFO"  # DEBUG, INFO, WARNING or ERROR
    log_format: str = "text"  # text, or json for platforms that collect logs

    @property
    def link_base(self) -> str:
        """Where the links in people's messages point."""
        return self.public_url.rstrip("/") or f"http://{self.host}:{self.port}"

    @property
    def resolved_backend(self) -> str:
        """`auto` means Google when its credentials are configured, the local server otherwise."""
        if self.backend != "auto":
            return self.backend
        return "google" if self.spreadsheet_id and self.credentials_file else "local"


ENV_NAMES = {
    "backend": "HELPT_BACKEND",
    "spreadsheet_id": "HELPT_SPREADSHEET_ID",
    "credentials_file": "GOOGLE_APPLICATION_CREDENTIALS",
    "data_dir": "HELPT_DATA_DIR",
    "database_url": "DATABASE_URL",
    "sheets_url": "HELPT_SHEETS_URL",
    "sheets_token": "HELPT_SHEETS_TOKEN",
    "sheets_port": "HELPT_SHEETS_PORT",
    "spreadsheet_title": "HELPT_SPREADSHEET_TITLE",
    "language": "HELPT_LANGUAGE",
    "agent_passcode": "HELPT_AGENT_PASSCODE",
    "agent_session_hours": "HELPT_AGENT_SESSION_HOURS",
    "desk_phone": "HELPT_DESK_PHONE",
    "desk_email": "HELPT_DESK_EMAIL",
    "host": "HELPT_HOST",
    "port": "HELPT_PORT",
    "sheets_timeout": "HELPT_SHEETS_TIMEOUT",
    "sheets_attempts": "HELPT_SHEETS_ATTEMPTS",
    "match_max_km": "HELPT_MATCH_MAX_KM",
    "match_capacity": "HELPT_MATCH_CAPACITY",
    "webhook_secret": "HELPT_WEBHOOK_SECRET",
    "flush_writes_per_minute": "HELPT_FLUSH_WRITES_PER_MINUTE",
    "form_rate_limit": "HELPT_FORM_RATE_LIMIT",
    "api_rate_limit": "HELPT_API_RATE_LIMIT",
    "trusted_proxies": "HELPT_TRUSTED_PROXIES",
    "sync_every": "HELPT_SYNC_EVERY",
    "retention_days": "HELPT_RETENTION_DAYS",
    "archive_after_days": "HELPT_ARCHIVE_AFTER_DAYS",
    "public_url": "HELPT_PUBLIC_URL",
    "smtp_url": "HELPT_SMTP_URL",
    "mail_from": "HELPT_MAIL_FROM",
    "handover_wait_hours": "HELPT_HANDOVER_WAIT_HOURS",
    "follow_up_days": "HELPT_FOLLOW_UP_DAYS",
    "twilio_account_sid": "TWILIO_ACCOUNT_SID",
    "twilio_auth_token": "TWILIO_AUTH_TOKEN",
    "sms_from": "HELPT_SMS_FROM",
    "log_level": "HELPT_LOG_LEVEL",
    "log_format": "HELPT_LOG_FORMAT",
}


# What each setting means, for docs/settings.md (tests/test_config.py checks the table there is this one).
MEANINGS = {
    "backend": "`auto`, `local` or `google`; auto: Google when its two settings below are set",
    "spreadsheet_id": "the Google spreadsheet (or a local one) to open",
    "credentials_file": "the service account's JSON key file",
    "data_dir": "where the local backend, the SQLite database, exports and extracts are kept",
    "database_url": "PostgreSQL for the journal, the locks, the attempt counts and the sessions "
                    "(`postgres://...`); empty: SQLite in `HELPT_DATA_DIR`",
    "sheets_url": "use an already running local Sheets server instead of the one on `HELPT_DATA_DIR`",
    "sheets_token": "the token of the server at `HELPT_SHEETS_URL`",
    "sheets_port": "port of the embedded local Sheets server",
    "spreadsheet_title": "spreadsheet opened or created on the local server",
    "language": "the team's language: tab titles, headers, dropdowns, Log and summaries (`nl`, `en`, `fr`)",
    "agent_passcode": "the call centre's door: agents sign in with their name and this passcode; empty: no door",
    "agent_session_hours": "how long an agent's sign-in lasts (a shift); signing out ends it at once, everywhere",
    "desk_phone": "the desk's phone number, shown on every public page",
    "desk_email": "the desk's e-mail address, shown on every public page",
    "host": "where `helpt serve` listens",
    "port": "the port `helpt serve` listens on",
    "sheets_timeout": "seconds before one Sheets API request times out",
    "sheets_attempts": "attempts on 429/5xx/time-outs before giving up (bounded backoff)",
    "match_max_km": "suggest volunteers for in-person tasks within this many km",
    "match_capacity": "a volunteer with this many open cases is no longer suggested",
    "webhook_secret": "the secret that signs intake API requests; empty: the API refuses them",
    "flush_writes_per_minute": "Sheets write calls per minute the intake flusher may use",
    "form_rate_limit": "posts per minute per client address on the public forms, for all workers together",
    "api_rate_limit": "unsigned or wrongly signed API posts per minute per client address; signed ones are "
                      "never limited",
    "trusted_proxies": "proxies in front of the web app whose `X-Forwarded-For` is believed (1 behind a "
                       "platform's router)",
    "sync_every": "inside `helpt serve`, seconds at least from one sync's end to the next while changes keep "
                  "coming (a change on a calm desk is synced at the next look, every 15 s); 0: no periodic sync "
                  "there",
    "retention_days": "erase a finished request or volunteer this many days after it finished; 0: keep until "
                      "`helpt purge`",
    "archive_after_days": "move an intake row that a Requests or Volunteers row has merged, this many days after "
                          "it came in, out of the spreadsheet into the archive in the desk's database, where every "
                          "sync still reads it (Google's limit is 10 million cells); from 70 % of that limit, "
                          "merged rows move however recent; 0: never",
    "public_url": "the desk's address as residents and volunteers reach it, for the links in messages "
                  "(`https://helpt.example.org`); empty: `http://HELPT_HOST:HELPT_PORT`",
    "smtp_url": "where mail goes out: `smtp://user:password@host:587` (STARTTLS) or `smtps://...:465`; empty: the "
                "local mailbox at `/outbox`, through the link `helpt serve` prints",
    "mail_from": "the address messages come from, e.g. `Leuven helpt <helpt@leuven.be>`",
    "handover_wait_hours": "how long a volunteer has to answer a case before it expires and the coordinator "
                           "chooses another",
    "follow_up_days": "days after a volunteer's yes when helpt asks them whether the help happened",
    "twilio_account_sid": "Twilio's account for SMS to people with only a mobile; empty: no SMS (they are "
                          "phoned)",
    "twilio_auth_token": "Twilio's auth token: signs the SMS sent and checks the replies Twilio posts to "
                         "`HELPT_PUBLIC_URL/sms/incoming`",
    "sms_from": "the number (or sender id) SMS come from, as Twilio knows it",
    "log_level": "`DEBUG`, `INFO`, `WARNING` or `ERROR`",
    "log_format": "`text`, or `json` (one object a line) for platforms that collect logs",
}


def settings_table() -> str:
    """The Markdown table of every setting: its variable, its default and what it means."""
    defaults = Settings()
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for setting in fields(Settings):
        default = getattr(defaults, setting.name)
        shown = f"`{default:g}`" if isinstance(default, float) else f"`{default}`" if default != "" else ""
        lines.append(f"| `{ENV_NAMES[setting.name]}` | {shown} | {MEANINGS[setting.name]} |")
    return "\n".join(lines)


def _convert(name: str, kind: type, text: str) -> object:
    try:
        return kind(text)
    except ValueError as error:
        raise ConfigError(f"{ENV_NAMES[name]}={text!r} is not a valid {kind.__name__}") from error


def load_settings(environ: Mapping[str, str] | None = None, env_file: str | Path | None = ".env",
                  **overrides: object) -> Settings:
    """Settings from `.env` (if present), overridden by the real environment, then by `overrides`."""
    source: dict[str, str] = {}
    if env_file and Path(env_file).is_file():
        source.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    source.update(os.environ if environ is None else environ)
    values: dict[str, object] = {}
    for setting in fields(Settings):
        text = source.get(ENV_NAMES[setting.name], "").strip()
        if text:
            kind = type(getattr(Settings(), setting.name))
            values[setting.name] = _convert(setting.name, kind, text)
    settings = replace(Settings(**values), **overrides)  # type: ignore[arg-type]
    check_settings(settings)
    return settings


def check_settings(settings: Settings) -> None:
    if settings.backend not in {"auto", "local", "google"}:
        raise ConfigError(f"HELPT_BACKEND must be auto, local or google, not {settings.backend!r}")
    if settings.language not in LANGUAGES:
        raise ConfigError(f"HELPT_LANGUAGE must be one of {', '.join(LANGUAGES)}, not {settings.language!r}")
    if settings.backend == "google" and not (settings.spreadsheet_id and settings.credentials_file):
        raise ConfigError(
            "HELPT_BACKEND=google needs HELPT_SPREADSHEET_ID and GOOGLE_APPLICATION_CREDENTIALS "
            "(the service account's JSON key file); see the README"
        )
    if settings.sheets_attempts < 1:
        raise ConfigError("HELPT_SHEETS_ATTEMPTS must be at least 1")
    if settings.match_max_km <= 0 or settings.match_capacity < 1:
        raise ConfigError("HELPT_MATCH_MAX_KM must be above 0 and HELPT_MATCH_CAPACITY at least 1")
    if settings.log_level.upper() not in LEVELS:
        raise ConfigError(f"HELPT_LOG_LEVEL must be one of {', '.join(LEVELS)}, not {settings.log_level!r}")
    if settings.log_format not in FORMATS:
        raise ConfigError(f"HELPT_LOG_FORMAT must be text or json, not {settings.log_format!r}")
    if settings.retention_days < 0:
        raise ConfigError("HELPT_RETENTION_DAYS must be a number of days (empty or 0: keep)")
    if settings.archive_after_days < 0:
        raise ConfigError("HELPT_ARCHIVE_AFTER_DAYS must be a number of days (0: never archive)")
    if settings.trusted_proxies < 0:
        raise ConfigError("HELPT_TRUSTED_PROXIES must be 0 or more")
    if settings.agent_session_hours <= 0:
        raise ConfigError("HELPT_AGENT_SESSION_HOURS must be above 0")
    if settings.handover_wait_hours <= 0 or settings.follow_up_days <= 0:
        raise ConfigError("HELPT_HANDOVER_WAIT_HOURS and HELPT_FOLLOW_UP_DAYS must be above 0")
    if settings.twilio_account_sid and not (settings.twilio_auth_token and settings.sms_from):
        raise ConfigError("TWILIO_ACCOUNT_SID needs TWILIO_AUTH_TOKEN and HELPT_SMS_FROM")
    if settings.smtp_url and not settings.mail_from:
        raise ConfigError("HELPT_SMTP_URL needs HELPT_MAIL_FROM, the address messages come from")
    if settings.flush_writes_per_minute < 1:
        raise ConfigError("HELPT_FLUSH_WRITES_PER_MINUTE must be at least 1")
