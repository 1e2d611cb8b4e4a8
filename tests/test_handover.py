"""The handover, end to end through real servers: forms' rows -> sync -> a coordinator's Gematcht through
gspread against the local Sheets server -> the case by mail at a real SMTP server on loopback -> the
volunteer's yes on the link's page -> the contact details to the volunteer and the news to the resident."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.support.expected_conditions import url_contains
from selenium.webdriver.support.wait import WebDriverWait

from desk_db import open_database
from desk_db.handovers import Handovers
from desk_db.sync_memory import SyncMemory
from sheets_schema.answers import list_text
from sheets_schema.choices import TRANSPORT_CHOICES
from sheets_schema.clock import CITY_TIME
from sheets_schema.links import answer_url, make_token
from sheets_schema.tabs import REQUESTS, tab
from sync import letters
from sync.handover import HandoverSettings
from sync.job import Upkeep, run_sync
from sync.postman import LocalPostman, SmtpPostman, deliver
from webhooks import create_app

from .browser import wait_for_text
from .servers import smtp_server
from .sync_helpers import CLOCK, add, fixed_clock, master, spreadsheet, submission

DESK = "http://desk.test"
RESIDENT = {"name": "Maria Vermeulen", "street": "Bondgenotenlaan 1", "phone": "0470 12 34 56",
            "email": "maria@example.org"}
LINK = re.compile(r"http://desk\.test/\w\w/answer/\S+")


class Clock:
    """The desk's clock, moved by the test (a day passes without waiting a day)."""

    def __init__(self) -> None:
        self.now = CLOCK.replace(tzinfo=CITY_TIME).timestamp()  # when the fixture's rows came in; moved by tests

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def desk(workbook, tmp_path):
    """Two requests (Maria, Dutch, with e-mail; Jozef, French, a landline only) and two volunteers (Tom,
    English; An, Dutch), synced once."""
    car = {"transport": list_text(TRANSPORT_CHOICES, ["car"], "en")}
    spreadsheet(workbook, offers=[
        ("en", submission("S-1", "Tom Peeters", phone="0470 11 11 11", email="tom@example.org", language="en",
                          languages=("en", "nl"), profile_ok="Yes", consent_partners="Yes", **car)),
        ("nl", submission("S-2", "An Janssens", phone="0470 22 22 22", email="an@example.org",
                          profile_ok="Ja", transport="Auto", consent_partners="Ja")),
    ], requests=[("nl", submission("S-3", RESIDENT["name"], phone=RESIDENT["phone"], email=RESIDENT["email"],
                                   street=RESIDENT["street"], details="Melk en brood, graag.")),
                 ("fr", submission("S-4", "Jozef Claes", phone="016 23 45 67", street="Naamsestraat 80",
                                   language="fr", languages=("fr", "nl")))])  # a landline, no e-mail
    clock = Clock()
    database = open_database("", tmp_path)
    handovers = Handovers(database, clock=clock)
    key = handovers.link_key()
    upkeep = Upkeep(handovers=handovers, handover=HandoverSettings(24, letters.Signature("016 27 20 00")),
                    answer_link=lambda answer, language: answer_url(DESK, language, make_token(key, answer)))
    run_sync(workbook, clock=fixed_clock, upkeep=upkeep)
    app = create_app({"DATA_DIR": str(tmp_path), "DATABASE_URL": "", "TESTING": True})
    yield workbook, upkeep, clock, app.test_client()
    database.dispose()


def _volunteer_id(workbook, name: str) -> str:
    return next(v for v, row in master(workbook, "volunteers").items() if row["full_name"] == name)


def _coordinator_sets(workbook, status: str, assigned: str, request_id: str = "R-000001") -> None:
    """What a coordinator types in the request's row (through gspread, as Google Sheets would take it)."""
    sheet = workbook.read([REQUESTS])[REQUESTS.id]
    row = 2 + [r["request_id"] for r in sheet.records()].index(request_id)
    workbook.write({sheet.cell(row, "status"): [[status]], sheet.cell(row, "assigned_volunteers"): [[assigned]]})


def _request(workbook, request_id: str = "R-000001") -> dict[str, str]:
    return master(workbook, "requests", matching=True)[request_id]


def _sync_and_send(workbook, upkeep, port: int) -> None:
    run_sync(workbook, clock=fixed_clock, upkeep=upkeep)
    deliver(upkeep.handovers, SmtpPostman(f"smtp://127.0.0.1:{port}", "Leuven helpt <helpt@leuven.test>"))


def _links(mail) -> dict[str, str]:
    """The yes and no links of a case mail, as paths the desk serves."""
    yes, no = LINK.findall(_text(mail))
    return {"yes": urlsplit(yes).path, "no": urlsplit(no).path}


def _text(mail) -> str:
    return mail.get_body(("plain",)).get_content()


def test_the_handover_from_gematcht_to_the_residents_news(desk):
    workbook, upkeep, clock, client = desk
    tom = _volunteer_id(workbook, "Tom Peeters")
    with smtp_server() as (port, mailbox):
        _coordinator_sets(workbook, "Nieuw", tom)  # assigned, but not yet Gematcht: nothing goes out
        _sync_and_send(workbook, upkeep, port)
        assert mailbox.messages == [] and _request(workbook)["handover"] == ""

        _coordinator_sets(workbook, "Gematcht", tom)
        _sync_and_send(workbook, upkeep, port)
        [case] = mailbox.to("tom@example.org")
        body = _text(case)
        assert case["Subject"] == "A request for help near you: Groceries in 3000 Leuven".replace(" 3000", "")
        assert "Where: 3000 Leuven" in body and "within 24 hours" in body
        for secret in (RESIDENT["street"], "Maria", "Vermeulen", RESIDENT["phone"], "12 34 56", "Melk"):
            assert secret not in body and secret not in case.get_body(("html",)).get_content()
        assert case.get_body(("html",)).get_content().count('<a href="http://desk.test/en/answer/') == 2
        assert _request(workbook)["handover"] == f"{tom}: vraag klaar om te mailen"
        log = workbook.read([tab("log")])["log"].records()
        [logged] = [r["details"] for r in log if r["job"] == "overdracht"]
        assert logged == f"vraag R-000001 aan {tom}"  # ids only: no name, no address

        links = _links(case)
        page = client.get(links["yes"])  # a mail scanner, or the volunteer opening the page
        assert page.status_code == 200 and b"Yes, I'll do it" in page.data
        assert upkeep.handovers.get(_request(workbook)["request_id"], tom).state == "offered"
        assert b"Thank you!" in client.post(links["yes"]).data
        again = client.post(links["yes"]).data.decode()
        assert "We already have your answer" in again and "You said yes on" in again
        assert b"We already have your answer" in client.post(links["no"]).data  # the no link cannot undo it

        _sync_and_send(workbook, upkeep, port)
        contact = [m for m in mailbox.to("tom@example.org") if m is not case]
        assert len(contact) == 1
        details = _text(contact[0])
        for wanted in ("Name: Maria", f"Phone: {RESIDENT['phone']}", f"Address: {RESIDENT['street']}, 3000 Leuven",
                       "Melk en brood", "keep the receipt", "016 27 20 00"):
            assert wanted in details
        assert "Vermeulen" not in details  # a first name is enough to call
        [news] = mailbox.to(RESIDENT["email"])
        assert news["Subject"] == "Een vrijwilliger neemt contact met je op"
        assert "Tom" in _text(news) and "Peeters" not in _text(news) and "0470 11" not in _text(news)

        run_sync(workbook, clock=fixed_clock, upkeep=upkeep)
        words = _request(workbook)["handover"]
        assert words.startswith(f"{tom}: vraag gemaild ") and " · aanvaard " in words
        assert "gegevens gemaild" in words and "bewoner verwittigd" in words
        assert len(mailbox.messages) == 3  # nothing was sent twice across four syncs

        clock.now += 3 * 86400  # HELPT_FOLLOW_UP_DAYS after the yes: did the help happen?
        _sync_and_send(workbook, upkeep, port)
        [follow_up] = [m for m in mailbox.to("tom@example.org") if m["Subject"].startswith("Did the help happen?")]
        done = urlsplit(re.search(r"Yes, it happened: (\S+)", _text(follow_up)).group(1)).path
        assert "Your answer: Yes, it happened." in client.get(done).data.decode()
        assert "The desk has your answer." in client.post(done).data.decode()
        run_sync(workbook, clock=fixed_clock, upkeep=upkeep)
        words = _request(workbook)["handover"]
        assert re.search(r"hulp gebeurd, zegt de vrijwilliger \(\d\d/\d\d \d\d:\d\d\): sluit de hulpvraag af$", words)
        assert _request(workbook)["status"] == "Gematcht"  # the coordinator closes it: helpt never types there
        for _ in range(2):
            _sync_and_send(workbook, upkeep, port)
        assert len(mailbox.to("tom@example.org")) == 3  # the case, the details, one follow-up asked once
        assert [m["Subject"] for m in mailbox.to("an@example.org")] == [  # An waited three days without a case
            "Bedankt voor je aanmelding: wat er nu gebeurt"]
    assert upkeep.handovers.counts() == {"sent": 5}


def test_a_no_leaves_the_cell_as_typed_and_the_volunteer_is_not_suggested_again(desk):
    workbook, upkeep, clock, client = desk
    an = _volunteer_id(workbook, "An Janssens")
    with smtp_server() as (port, mailbox):
        _coordinator_sets(workbook, "Gematcht", an)
        _sync_and_send(workbook, upkeep, port)
        [case] = mailbox.to("an@example.org")
        assert case["Subject"] == "Een hulpvraag bij jou in de buurt: Boodschappen doen in Leuven"
        assert "Ik kan niet: http://desk.test/nl/answer/" in _text(case)
        page = client.get(_links(case)["no"]).data.decode()
        assert "Nee, deze keer kan ik niet" in page  # the page in An's language
        assert "Bedankt om het te laten weten" in client.post(_links(case)["no"]).data.decode()
        _sync_and_send(workbook, upkeep, port)
        row = _request(workbook)
    assert row["assigned_volunteers"] == an  # the coordinator's cell is never changed
    assert re.fullmatch(rf"{an}: kan niet \(\d\d/\d\d \d\d:\d\d\); kies een ander voorstel", row["handover"])
    assert all(not row[f"suggestion_{n}"].startswith(an) for n in (1, 2, 3))
    assert row["suggestion_1"].startswith(_volunteer_id(workbook, "Tom Peeters"))
    assert len(mailbox.messages) == 1  # no details went to An, no news to the resident


def test_no_answer_within_the_wait_expires_and_a_new_assignment_asks_again(desk):
    workbook, upkeep, clock, client = desk
    an, tom = _volunteer_id(workbook, "An Janssens"), _volunteer_id(workbook, "Tom Peeters")
    with smtp_server() as (port, mailbox):
        _coordinator_sets(workbook, "Gematcht", an)
        _sync_and_send(workbook, upkeep, port)
        [old_case] = mailbox.to("an@example.org")
        clock.now += 25 * 3600  # a day passes without an answer
        _sync_and_send(workbook, upkeep, port)
        assert re.fullmatch(rf"{an}: geen antwoord binnen 24 u \(.+\); kies een ander voorstel",
                            _request(workbook)["handover"])
        assert "wacht niet meer" in client.post(_links(old_case)["yes"]).data.decode()  # too late to say yes

        _coordinator_sets(workbook, "Gematcht", tom)  # the coordinator picks another: a new handover
        _sync_and_send(workbook, upkeep, port)
        assert [m["Subject"] for m in mailbox.to("tom@example.org")] == [  # a day in the pool, then a case
            "Thank you for signing up: what happens next", "A request for help near you: Groceries in Leuven"]
        _coordinator_sets(workbook, "Gematcht", "")  # An's id taken out ...
        _sync_and_send(workbook, upkeep, port)
        _coordinator_sets(workbook, "Gematcht", an)  # ... and typed in again: asked anew, with new links
        _sync_and_send(workbook, upkeep, port)
        new_case = mailbox.to("an@example.org")[-1]
        assert new_case is not old_case and _links(new_case) != _links(old_case)
        assert "wacht niet meer" in client.get(_links(old_case)["yes"]).data.decode()  # round 1's link is over
        assert "Ja, ik doe het" in client.get(_links(new_case)["yes"]).data.decode()


def test_a_desk_where_nothing_changes_still_sees_the_wait_run_out(desk):
    """The sheet stays as it is for a day: the syncs that find their quiet mark (sync/quiet.py) still
    plan the handover, and the one after the wait expires the case as a sync from scratch would."""
    workbook, upkeep, clock, _ = desk
    remembering = replace(upkeep, memory=SyncMemory(upkeep.handovers.database))
    an, tom = _volunteer_id(workbook, "An Janssens"), _volunteer_id(workbook, "Tom Peeters")
    jozef = next(r for r, row in master(workbook, "requests").items() if row["full_name"] == "Jozef Claes")
    _coordinator_sets(workbook, "Nieuw", an, jozef)  # An has a case too: no thank-you for her in the pool
    _coordinator_sets(workbook, "Gematcht", tom)
    syncs = [run_sync(workbook, clock=fixed_clock, upkeep=remembering) for _ in range(3)]
    assert [(s.quiet, s.letters) for s in syncs] == [(False, 1), (False, 0), (True, 0)]  # asked; unchanged; quiet
    assert _request(workbook)["handover"] == f"{tom}: vraag klaar om te mailen"
    clock.now += 25 * 3600  # a day passes without an answer
    assert run_sync(workbook, clock=fixed_clock, upkeep=remembering).quiet is False
    assert re.fullmatch(rf"{tom}: geen antwoord binnen 24 u \(.+\); kies een ander voorstel",
                        _request(workbook)["handover"])
    assert [run_sync(workbook, clock=fixed_clock, upkeep=remembering).quiet for _ in range(2)] == [False, True]


def test_a_desk_that_reads_nothing_still_hears_the_volunteers_yes(desk):
    """While Drive says the sheet is as a quiet sync read it, the syncs read nothing (sync/unchanged.py);
    a volunteer's yes changes the handover's memory, and the next sync reads and passes the details on."""
    workbook, upkeep, clock, _ = desk
    remembering = replace(upkeep, memory=SyncMemory(upkeep.handovers.database))
    tom = _volunteer_id(workbook, "Tom Peeters")
    _coordinator_sets(workbook, "Gematcht", tom)
    seconds = iter(range(60))  # a sync every second: the Log's rows stay apart, within one slot of 5 minutes

    def ticking() -> datetime:
        return CLOCK + timedelta(seconds=next(seconds))

    syncs = [run_sync(workbook, clock=ticking, upkeep=remembering) for _ in range(4)]
    assert [(s.letters, s.quiet, s.read_nothing) for s in syncs] == [
        (1, False, False), (0, False, False), (0, True, False), (0, True, True)]
    handover = upkeep.handovers.get("R-000001", tom)
    assert upkeep.handovers.answer("R-000001", tom, handover.round, "accepted")[0]  # Tom's yes, on the web
    after = run_sync(workbook, clock=ticking, upkeep=remembering)
    assert not after.read_nothing and after.letters == 2  # the details to Tom, the news to Maria
    assert f"{tom}: vraag gemaild  · aanvaard" in _request(workbook)["handover"]


def test_taking_the_volunteer_out_withdraws_the_case(desk):
    workbook, upkeep, clock, client = desk
    an, tom = _volunteer_id(workbook, "An Janssens"), _volunteer_id(workbook, "Tom Peeters")
    with smtp_server() as (port, mailbox):
        _coordinator_sets(workbook, "Gematcht", f"{an}, {tom}")
        _sync_and_send(workbook, upkeep, port)
        assert len(mailbox.messages) == 2
        _coordinator_sets(workbook, "Gematcht", tom)  # An no longer needed: she was asked, so she is told
        _sync_and_send(workbook, upkeep, port)
        told = mailbox.to("an@example.org")[-1]
        assert told["Subject"] == "De hulpvraag in Leuven is niet meer nodig"
        assert "je hoeft niets te doen" in _text(told)
        assert "wacht niet meer" in client.post(_links(mailbox.to("an@example.org")[0])["yes"]).data.decode()

        upkeep.handovers.forget([], [])  # (nothing named: nothing erased)
        _coordinator_sets(workbook, "Geannuleerd", tom)  # a case cancelled before the mail went out
        run_sync(workbook, clock=fixed_clock, upkeep=upkeep)
        _sync_and_send(workbook, upkeep, port)
        assert len(mailbox.to("tom@example.org")) == 2  # the case, then the withdrawal
        row = _request(workbook)
    assert f"{an}: niet meer nodig, verwittigd" in row["handover"]
    assert f"{tom}: niet meer nodig" in row["handover"]


def test_a_case_withdrawn_before_it_went_out_is_never_sent(desk):
    workbook, upkeep, clock, client = desk
    tom = _volunteer_id(workbook, "Tom Peeters")
    _coordinator_sets(workbook, "Gematcht", tom)
    run_sync(workbook, clock=fixed_clock, upkeep=upkeep)  # queued, not sent
    _coordinator_sets(workbook, "Gematcht", "")
    with smtp_server() as (port, mailbox):
        _sync_and_send(workbook, upkeep, port)
    assert mailbox.messages == []
    assert upkeep.handovers.counts() == {"cancelled": 1}


def test_a_link_for_one_case_never_acts_on_another(desk):
    workbook, upkeep, clock, client = desk
    tom = _volunteer_id(workbook, "Tom Peeters")
    _coordinator_sets(workbook, "Gematcht", tom)
    with smtp_server() as (port, mailbox):
        _sync_and_send(workbook, upkeep, port)
    yes = _links(mailbox.messages[0])["yes"]
    prefix, token = yes.rsplit("/", 1)
    forged = make_token("not the desk's key", letters_answer(_request(workbook)["request_id"], tom))
    for path in (f"{prefix}/{token[:-2]}xx", f"{prefix}/{forged}", f"{prefix}/nonsense"):
        reply = client.post(path)
        assert reply.status_code == 404 and "This link does not work" in reply.data.decode()  # Tom reads English
    assert upkeep.handovers.get(_request(workbook)["request_id"], tom).state == "offered"


def letters_answer(request_id: str, volunteer_id: str):
    from sheets_schema.links import Answer

    return Answer(request_id, volunteer_id, 1, "yes")


@pytest.mark.parametrize("kind", sorted(letters.BODIES))
def test_every_message_reads_whole_in_every_language(kind):
    values = {"name": "Ann", "tasks": "x", "area": "Leuven", "place": "3000 Leuven", "when": "y", "hours": "24",
              "yes_link": "http://a/yes", "no_link": "http://a/no", "resident": "Maria", "phone": "0470",
              "address": "Straat 1", "details": "", "tips": "- z", "request_id": "R-000001", "volunteer": "Tom",
              "card_link": "http://a/card", "pause_link": "http://a/p", "stop_link": "http://a/s",
              "done_link": "http://a/d", "not_yet_link": "http://a/n", "fell_through_link": "http://a/f"}
    english = letters.letter(kind, "en", letters.Signature(), **values)
    for language in ("nl", "fr"):
        subject, body = letters.letter(kind, language, letters.Signature(), **values)
        assert "{" not in subject + body and (subject, body) != english
        assert not {"Hello", "Thank", "request", "regards", "Good", "help"} & set(re.findall(r"[A-Za-z]+", body))


def test_play_volunteer_in_chromium_through_the_local_mailbox(desk, browser, tmp_path):
    """make run's way: no SMTP, the mail in the local mailbox at /outbox, opened and clicked in Chromium."""
    from selenium.webdriver.common.by import By

    from webhooks.outbox import outbox_link

    from .browser import violations
    from .servers import serving

    workbook, upkeep, clock, _ = desk
    app = create_app({"DATA_DIR": str(tmp_path), "DATABASE_URL": "", "SMTP_URL": ""})
    tom = _volunteer_id(workbook, "Tom Peeters")
    with serving(app) as url:
        key = upkeep.handovers.link_key()
        local = Upkeep(handovers=upkeep.handovers, handover=upkeep.handover,
                       answer_link=lambda answer, language: answer_url(url, language, make_token(key, answer)))
        _coordinator_sets(workbook, "Gematcht", tom)
        run_sync(workbook, clock=fixed_clock, upkeep=local)
        deliver(upkeep.handovers, LocalPostman(upkeep.handovers))

        browser.get(f"{url}/outbox")
        assert "helpt serve" in browser.find_element(By.TAG_NAME, "main").text  # no key, no mail
        browser.get(outbox_link(upkeep.handovers, url))
        [mail] = browser.find_elements(By.CSS_SELECTOR, "article.mail")
        assert "Groceries" in mail.text and "Bondgenotenlaan" not in mail.text
        assert violations(browser) == []
        mail.find_element(By.PARTIAL_LINK_TEXT, "/en/answer/").click()  # the first link: I'll do it
        assert violations(browser) == []
        browser.find_element(By.CSS_SELECTOR, "main form button").click()
        wait_for_text(browser, (By.TAG_NAME, "h1"), "Thank you!")

        run_sync(workbook, clock=fixed_clock, upkeep=local)
        deliver(upkeep.handovers, LocalPostman(upkeep.handovers))
        browser.get(f"{url}/outbox")
        subjects = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "article.mail h2")]
        assert subjects == ["Een vrijwilliger neemt contact met je op",
                            f"Thank you! Who to contact for request {_request(workbook)['request_id']}",
                            "A request for help near you: Groceries in Leuven"]
        browser.save_screenshot(str(tmp_path / "outbox.png"))


def test_a_resident_without_e_mail_is_on_the_call_centres_list_in_chromium(desk, browser, tmp_path):
    from selenium.webdriver.common.by import By

    from .browser import violations
    from .servers import serving

    workbook, upkeep, clock, _ = desk
    jozef = next(r for r, row in master(workbook, "requests").items() if row["full_name"] == "Jozef Claes")
    an = _volunteer_id(workbook, "An Janssens")
    app = create_app({"DATA_DIR": str(tmp_path), "DATABASE_URL": "", "AGENT_PASSCODE": "bellen-2026"})
    with smtp_server() as (port, mailbox), serving(app) as url:
        _coordinator_sets(workbook, "Gematcht", an, jozef)
        _sync_and_send(workbook, upkeep, port)
        taken, _ = upkeep.handovers.answer(jozef, an, 1, "accepted")
        assert taken
        _sync_and_send(workbook, upkeep, port)
        assert [m["To"] for m in mailbox.messages] == ["an@example.org"] * 2  # the case, then the details
        assert "de bewoner heeft geen e-mail: staat op de bellijst" in _request(workbook, jozef)["handover"]

        browser.delete_all_cookies()
        browser.get(f"{url}/nl/agent/sign-in")
        browser.find_element(By.ID, "f-name").send_keys("Els")
        browser.find_element(By.ID, "f-passcode").send_keys("bellen-2026")
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(browser, 20).until(url_contains("/nl/agent/request"))
        browser.find_element(By.LINK_TEXT, "Te bellen").click()
        WebDriverWait(browser, 20).until(url_contains("/nl/agent/calls"))
        [call] = browser.find_elements(By.CSS_SELECTOR, "article.call")
        assert call.find_element(By.TAG_NAME, "h2").text == "Jozef · 016 23 45 67"
        assert f"Hulpvraag {jozef}, spreekt Français." in call.text
        script = call.find_element(By.TAG_NAME, "blockquote").text
        assert script.startswith("Bonjour, ici le service d'aide de la ville. Puis-je parler à Jozef ?")
        assert "An, un bénévole" in script and "Janssens" not in script
        assert violations(browser) == []
        call.find_element(By.CSS_SELECTOR, "button[value=no_answer]").click()
        wait_for_text(browser, (By.ID, "no-calls"), "Nu niemand te bellen.")
        # (on the list again in an hour)
        run_sync(workbook, clock=fixed_clock, upkeep=upkeep)
        assert "bewoner niet bereikt (1x), opnieuw op de lijst" in _request(workbook, jozef)["handover"]

        clock.now = time.time() + 2 * 3600  # two hours on (the web app that took the outcome runs on real time)
        [due] = upkeep.handovers.calls()
        assert upkeep.handovers.called(due.id, "reached") and not upkeep.handovers.called(due.id, "reached")
        run_sync(workbook, clock=fixed_clock, upkeep=upkeep)
        assert re.search(r"bewoner gebeld \d\d/\d\d \d\d:\d\d$", _request(workbook, jozef)["handover"])


def test_one_thank_you_per_volunteer_with_no_case_and_their_own_pause(desk):
    workbook, upkeep, clock, client = desk
    an, tom = _volunteer_id(workbook, "An Janssens"), _volunteer_id(workbook, "Tom Peeters")
    add(workbook, offers=[("nl", submission("S-5", "An Janssens", phone="0470 22 22 22", email="an@example.org",
                                            tasks=("phone_chat",), profile_ok="Ja", transport="Auto"))])
    with smtp_server() as (port, mailbox):
        _coordinator_sets(workbook, "Gematcht", tom)  # Tom gets a case: never a thank-you for the pool
        _sync_and_send(workbook, upkeep, port)
        assert _volunteer_id(workbook, "An Janssens") == an  # her second sign-up joined her row
        clock.now += 20 * 3600  # (she signed up at 10:00, the clock started at 12:00)
        _sync_and_send(workbook, upkeep, port)
        assert mailbox.to("an@example.org") == []  # not a day yet
        for _ in range(3):
            clock.now += 2 * 3600
            _sync_and_send(workbook, upkeep, port)
        [thanks] = mailbox.to("an@example.org")  # once per person, not per sign-up or task, over three syncs
        assert [m["Subject"] for m in mailbox.to("tom@example.org")] == [
            "A request for help near you: Groceries in Leuven"]
        body = _text(thanks)
        assert thanks["Subject"] == "Bedankt voor je aanmelding: wat er nu gebeurt"
        assert "Boodschappen doen, Telefonische babbel" in body and "http://127.0.0.1:8000/nl/card" in body
        pause = urlsplit(re.search(r"Pauzeer: (\S+)", body).group(1)).path

        assert "Pauzeer mij" in client.get(pause).data.decode()
        assert _volunteer_id(workbook, "An Janssens") and upkeep.handovers.choices() == {}  # opening is not acting
        done = client.post(pause).data.decode()
        assert "In orde. Bedankt!" in done
        _coordinator_sets(workbook, "Nieuw", "")  # Tom is free again: the request waits for a suggestion
        run_sync(workbook, clock=fixed_clock, upkeep=upkeep)
        row = master(workbook, "volunteers", matching=True)[an]
        assert row["status"] == "Actief" and row["own_choice"].startswith("Gepauzeerd op eigen vraag (")
        assert not any(_request(workbook)[f"suggestion_{n}"].startswith(an) for n in (1, 2, 3))

        back = re.search(r'action="([^"]+)"', done).group(1).replace("&amp;", "&")
        assert "Welkom terug!" in client.post(back).data.decode()
        run_sync(workbook, clock=fixed_clock, upkeep=upkeep)
        assert master(workbook, "volunteers", matching=True)[an]["own_choice"].startswith("Terug beschikbaar")
        assert any(_request(workbook)[f"suggestion_{n}"].startswith(an) for n in (1, 2, 3))


def test_help_that_fell_through_brings_the_next_suggestion(desk):
    workbook, upkeep, clock, client = desk
    tom, an = _volunteer_id(workbook, "Tom Peeters"), _volunteer_id(workbook, "An Janssens")
    with smtp_server() as (port, mailbox):
        _coordinator_sets(workbook, "Gematcht", tom)
        _sync_and_send(workbook, upkeep, port)
        client.post(_links(mailbox.to("tom@example.org")[0])["yes"])
        _sync_and_send(workbook, upkeep, port)
        clock.now += 3 * 86400
        _sync_and_send(workbook, upkeep, port)
        follow_up = mailbox.to("tom@example.org")[-1]
        fell = urlsplit(re.search(r"It fell through: (\S+)", _text(follow_up)).group(1)).path
        client.post(fell)
        assert "We already have your answer" in client.post(fell).data.decode()
        run_sync(workbook, clock=fixed_clock, upkeep=upkeep)
    row = _request(workbook)
    assert "ging niet door, zegt de vrijwilliger" in row["handover"] and "kies een ander voorstel" in row["handover"]
    assert row["suggestion_1"].startswith(an)  # Tom is out of this case; An is next


def _post_form(client, path: str, fields: dict[str, object]) -> None:
    page = client.get(path).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    reply = client.post(path, data={"csrf_token": csrf, **fields})
    assert reply.status_code == 303, reply.get_data(as_text=True)


def test_end_to_end_from_the_forms_to_the_residents_mail_in_her_language(workbook, tmp_path, browser):
    """The issue's whole path: a French resident's request and a Dutch volunteer's offer through the forms, the
    flusher, a sync, the coordinator's Gematcht through gspread, the case at a real SMTP server, the yes clicked
    in headless Chromium, the details to the volunteer and the news to the resident, in their languages."""
    from selenium.webdriver.common.by import By

    from sheets_schema.layout import init_spreadsheet
    from sheets_schema.tabs import TABS
    from webhooks.flusher import WritePace, drain

    from .servers import serving

    init_spreadsheet(workbook, TABS)
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "DATABASE_URL": "", "FORM_RATE_LIMIT": 0})
    client = app.test_client()
    _post_form(client, "/nl/offer", {
        "full_name": "Lotte Maes", "phone": "0470 44 44 44", "email": "lotte@example.org", "postcode": "3000",
        "languages": ["nl", "fr"], "tasks": "groceries", "transport": "bike", "profile_ok": "yes",
        "consent_privacy": "yes"})
    _post_form(client, "/fr/request", {
        "full_name": "Claire Dubois", "phone": "0470 55 55 55", "email": "claire@example.org",
        "street": "Tiensestraat 12", "postcode": "3000", "languages": "fr", "tasks": "groceries",
        "details": "Du pain et du lait", "consent_privacy": "yes"})
    drain(app.extensions["helpt.journal"], workbook, WritePace(6000))
    handovers = app.extensions["helpt.handovers"]
    with serving(app) as url, smtp_server() as (port, mailbox):
        key = handovers.link_key()
        upkeep = Upkeep(handovers=handovers, handover=HandoverSettings(public_url=url),
                        answer_link=lambda answer, language: answer_url(url, language, make_token(key, answer)))
        postman = SmtpPostman(f"smtp://127.0.0.1:{port}", "Leuven helpt <helpt@leuven.test>")
        run_sync(workbook, upkeep=upkeep)
        request_id, lotte = "R-000001", _volunteer_id(workbook, "Lotte Maes")
        assert _request(workbook)["full_name"] == "Claire Dubois"
        _coordinator_sets(workbook, "Gematcht", lotte)
        run_sync(workbook, upkeep=upkeep)
        deliver(handovers, postman)
        [case] = mailbox.to("lotte@example.org")
        assert case["Subject"] == "Een hulpvraag bij jou in de buurt: Boodschappen doen in Leuven"
        assert "Tiensestraat" not in _text(case) and "Claire" not in _text(case)

        browser.get(re.search(r"Ik doe het: (\S+)", _text(case)).group(1))
        assert browser.find_element(By.TAG_NAME, "h1").text == f"Help je met hulpvraag {request_id}?"
        browser.find_element(By.CSS_SELECTOR, "main form button").click()
        wait_for_text(browser, (By.TAG_NAME, "h1"), "Bedankt!")

        run_sync(workbook, upkeep=upkeep)
        deliver(handovers, postman)
        details = _text(mailbox.to("lotte@example.org")[-1])
        assert "Naam: Claire" in details and "Adres: Tiensestraat 12, 3000 Leuven" in details
        assert "Du pain et du lait" in details and "bewaar het kasticket" in details
        [news] = mailbox.to("claire@example.org")
        assert news["Subject"] == "Un bénévole va vous contacter" and "Lotte" in _text(news)
        run_sync(workbook, upkeep=upkeep)
        assert " · aanvaard " in _request(workbook)["handover"]


def test_a_volunteer_who_stopped_themselves_leaves_the_partner_extracts(desk, tmp_path):
    import csv
    from dataclasses import replace

    from .test_partners import _approve, _partner_row, _set_partners

    workbook, upkeep, clock, client = desk
    _set_partners(workbook, [_partner_row("P-file", "netwerk.csv", "", fields=("full_name", "postcode"))])
    approved = {"screening": "Goedgekeurd"}
    _approve(workbook, **{"Tom Peeters": approved, "An Janssens": approved})
    mirroring = replace(upkeep, extracts_dir=tmp_path / "extracts")
    run_sync(workbook, clock=fixed_clock, upkeep=mirroring)
    path = tmp_path / "extracts" / "netwerk.csv"
    assert sorted(row[1] for row in csv.reader(path.open())) == ["An Janssens", "Naam", "Tom Peeters"]
    upkeep.handovers.choose(_volunteer_id(workbook, "An Janssens"), "withdrawn")  # her link's POST does this
    run_sync(workbook, clock=fixed_clock, upkeep=mirroring)
    assert sorted(row[1] for row in csv.reader(path.open())) == ["Naam", "Tom Peeters"]
    assert master(workbook, "volunteers", matching=True)[_volunteer_id(workbook, "An Janssens")]["status"] == "Actief"
