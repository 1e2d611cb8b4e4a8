"""`helpt sync` end to end on the local server: whole rows, duplicates, reviews, idempotence, Stats, Log."""

from __future__ import annotations

import pytest

from sheets_schema.answers import cell_codes, list_text, phone_text
from sheets_schema.choices import (
    AVAILABILITY_CHOICES,
    CHANNEL_CHOICES,
    FORM_LANGUAGE_CHOICES,
    LANGUAGE_CHOICES,
    TRANSPORT_CHOICES,
)
from sheets_schema.tabs import LOG_TAB, STATS_TAB, VOLUNTEERS
from sheets_schema.tabs import REQUESTS as REQUESTS_TAB
from sheets_schema.tasks import TASK_CHOICES
from sync.job import run_sync

from .sync_helpers import add, fixed_clock, master, spreadsheet, submission

JAN_NL = submission("S-1", "JAN PEETERS", phone="0470 12 34 56", email=" Jan.Peeters@Telenet.be",
                    street="Naamsestraat 12", when="2020-03-19T09:00:00+01:00",
                    transport=list_text(TRANSPORT_CHOICES, ["bike"], "nl"), profile_ok="Ja", consent_partners="Nee")
JAN_EN = submission("S-2", "Peeters Jan", phone="+32 470/12.34.56", language="en", tasks=("dog_walking",),
                    languages=("nl", "en"), when="2020-03-19T18:30:00+01:00",
                    transport=list_text(TRANSPORT_CHOICES, ["car"], "en"), profile_ok="Yes",
                    consent_partners="Yes", details="=HYPERLINK(\"http://evil\")")
KOEN = submission("S-3", "Koen Claes", phone="016 40 50 60", street="Tiensestraat 1",
                  when="2020-03-19T10:00:00+01:00")
KOEN_AGAIN = submission("S-4", "claes koen", phone="0032 16 40 50 60", language="en",
                        when="2020-03-19T11:00:00+01:00")
LUCAS = submission("S-5", "Lucas Maes", phone="016 22 33 44", street="Bondgenotenlaan 5",
                   when="2020-03-19T12:00:00+01:00")
RITA = submission("S-6", "Rita Maes", phone="016/22.33.44", street="Bondgenotenlaan 5",
                  when="2020-03-19T13:00:00+01:00")
SOFIE = submission("S-7", "Sofie Janssens", phone="0485 11 22 33", email="sofie.j@gmail.com",
                   street="Parijsstraat 3", postcode="3001", when="2020-03-19T14:00:00+01:00")
SOFIE_TOO = submission("S-8", "Sofie Janssens", phone="0486 99 88 77", email="sjanssens@telenet.be",
                       street="Celestijnenlaan 40", postcode="3001", when="2020-03-19T15:00:00+01:00")
OFFERS = [("nl", JAN_NL), ("en", JAN_EN), ("nl", KOEN), ("en", KOEN_AGAIN), ("nl", LUCAS), ("nl", RITA),
          ("nl", SOFIE), ("nl", SOFIE_TOO)]
GODELIEVE_WEB = submission("S-10", "Godelieve Wuyts", phone="016 12 34 56", street="Ridderstraat 9",
                           tasks=("groceries", "pharmacy"), when="2020-03-19T08:00:00+01:00")
GODELIEVE_CALL = submission("S-11", "Godelieve Wuyts", phone="+3216123456", tasks=("pharmacy",),
                            when="2020-03-19T16:00:00+01:00", channel="phone")
REQUESTS = [("nl", GODELIEVE_WEB), ("nl", GODELIEVE_CALL)]

SYNCED = "2020-03-20 12:00:00"


_CHOICES = {"languages": LANGUAGE_CHOICES, "tasks": TASK_CHOICES, "transport": TRANSPORT_CHOICES,
            "availability": AVAILABILITY_CHOICES, "channel": CHANNEL_CHOICES, "form_language": FORM_LANGUAGE_CHOICES}


def in_words(row: dict[str, str]) -> dict[str, str]:
    """An expected row written with codes, as the sheet must show it: words in the team's language
    (Dutch here), phone numbers as Belgians dial them."""
    shown = {column: list_text(_CHOICES[column], cell_codes(_CHOICES[column], value), "nl")
             if column in _CHOICES else value for column, value in row.items()}
    if "phone" in shown:
        shown["phone"] = phone_text(shown["phone"])
    return shown


def _volunteer(row_id: str, **values: str) -> dict[str, str]:
    row = dict.fromkeys([
        "volunteer_id", "screening", "status", "full_name", "phone", "other_phones", "email", "street", "postcode",
        "area",
        "languages", "tasks", "transport", "availability", "profile_ok", "consent_partners", "details",
        "duplicate_of", "duplicate_reason", "duplicate_review", "notes", "created_at", "updated_at", "last_change",
        "closed_at",
        "submission_ids", "channel", "form_language", "synced_at"], "")
    row.update(volunteer_id=row_id, screening="Te screenen", status="Actief", postcode="3000", area="Leuven",
               languages="nl", tasks="groceries", channel="web", form_language="nl", synced_at=SYNCED,
               profile_ok="Nee", consent_partners="Nee")
    row.update(values)
    return in_words(row)


def test_first_sync_builds_one_row_per_person_and_request(workbook):
    spreadsheet(workbook, OFFERS, REQUESTS)
    result = run_sync(workbook, clock=fixed_clock)

    volunteers = master(workbook, "volunteers")
    assert volunteers == {
        # NL and EN form, same mobile in two formats, swapped name in capitals: one person.
        "V-000001": _volunteer(
            "V-000001", full_name="Jan Peeters", phone="+32470123456", email="jan.peeters@telenet.be",
            street="Naamsestraat 12", languages="nl, en", tasks="groceries, dog_walking", transport="bike, car",
            profile_ok="Ja", consent_partners="Ja", details='=HYPERLINK("http://evil")',
            created_at="2020-03-19 09:00:00", updated_at="2020-03-19 18:30:00", submission_ids="S-1, S-2",
            form_language="en"),
        "V-000002": _volunteer("V-000002", full_name="Koen Claes", phone="+3216405060", street="Tiensestraat 1",
                               created_at="2020-03-19 10:00:00", updated_at="2020-03-19 10:00:00",
                               submission_ids="S-3"),
        # Same landline, names alike, but a landline is not certain: flagged for review, in words.
        "V-000003": _volunteer("V-000003", full_name="Claes Koen", phone="+3216405060",
                               duplicate_of="V-000002",
                               duplicate_reason="zelfde vast nummer 016 40 50 60, namen 100% gelijk",
                               created_at="2020-03-19 11:00:00", updated_at="2020-03-19 11:00:00",
                               submission_ids="S-4", form_language="en"),
        # A household: one landline and address, different first names. Two people, no flag.
        "V-000004": _volunteer("V-000004", full_name="Lucas Maes", phone="+3216223344", street="Bondgenotenlaan 5",
                               created_at="2020-03-19 12:00:00", updated_at="2020-03-19 12:00:00",
                               submission_ids="S-5"),
        "V-000005": _volunteer("V-000005", full_name="Rita Maes", phone="+3216223344", street="Bondgenotenlaan 5",
                               created_at="2020-03-19 13:00:00", updated_at="2020-03-19 13:00:00",
                               submission_ids="S-6"),
        # Namesakes: the same name, nothing else shared. Two people, no flag.
        "V-000006": _volunteer("V-000006", full_name="Sofie Janssens", phone="+32485112233",
                               email="sofie.j@gmail.com", street="Parijsstraat 3", postcode="3001", area="Heverlee",
                               created_at="2020-03-19 14:00:00", updated_at="2020-03-19 14:00:00",
                               submission_ids="S-7"),
        "V-000007": _volunteer("V-000007", full_name="Sofie Janssens", phone="+32486998877",
                               email="sjanssens@telenet.be", street="Celestijnenlaan 40", postcode="3001",
                               area="Heverlee", created_at="2020-03-19 15:00:00", updated_at="2020-03-19 15:00:00",
                               submission_ids="S-8"),
    }
    requests = master(workbook, "requests")
    # The web form and a phone call about the same need share only a landline: a household shares
    # landlines too (a father and son of one name), so it is a question for the coordinator, not a merge.
    assert list(requests) == ["R-000001", "R-000002"]
    request = requests["R-000001"]
    assert {k: request[k] for k in ("status", "full_name", "phone", "tasks", "submission_ids", "channel")} == {
        "status": "Nieuw", "full_name": "Godelieve Wuyts", "phone": "016 12 34 56",
        "tasks": "Boodschappen doen, Apotheek", "submission_ids": "S-10", "channel": "Webformulier helpt"}
    assert (requests["R-000002"]["duplicate_of"], requests["R-000002"]["duplicate_reason"]) == (
        "R-000001", "zelfde vast nummer 016 12 34 56, namen 100% gelijk; beiden vragen apotheek")
    assert (result.added, result.changed, result.flagged, result.joined_existing) == (9, 0, 2, 0)


def test_second_sync_writes_nothing_and_says_so(workbook):
    spreadsheet(workbook, OFFERS, REQUESTS)
    run_sync(workbook, clock=fixed_clock)
    before = (master(workbook, "volunteers", matching=True), master(workbook, "requests", matching=True))
    stats = workbook.read([STATS_TAB])["stats"].rows
    calls = workbook.api_calls_by_kind()

    result = run_sync(workbook, clock=lambda: fixed_clock().replace(hour=13))

    assert result.changes_nothing
    assert "niets te wijzigen" in result.summary()
    assert (master(workbook, "volunteers", matching=True), master(workbook, "requests", matching=True)) == before
    assert workbook.read([STATS_TAB])["stats"].rows == stats
    writes = {kind: n - calls.get(kind, 0) for kind, n in workbook.api_calls_by_kind().items()
              if kind in {"values:batchUpdate", ":append"}}
    assert writes == {"values:batchUpdate": 0, ":append": 1}  # only the Log row


def test_later_submission_adds_tasks_and_keeps_coordinator_work(workbook):
    spreadsheet(workbook, OFFERS, REQUESTS)
    run_sync(workbook, clock=fixed_clock)
    sheet = workbook.read([STATS_TAB, LOG_TAB])
    volunteers = workbook.read([VOLUNTEERS])["volunteers"]
    workbook.write({volunteers.cell(2, "screening"): [["Goedgekeurd"]], volunteers.cell(2, "notes"): [["belt terug"]],
                    volunteers.cell(2, "status"): [["Gepauzeerd"]]})
    add(workbook, offers=[("fr", submission("S-9", "Jan Peeters", phone="0470123456", language="fr",
                                            tasks=("phone_chat",), languages=("fr",),
                                            when="2020-03-20T09:00:00+01:00"))])

    result = run_sync(workbook, clock=lambda: fixed_clock().replace(hour=14))

    jan = master(workbook, "volunteers")["V-000001"]
    assert (jan["screening"], jan["status"], jan["notes"]) == ("Goedgekeurd", "Gepauzeerd", "belt terug")
    assert (jan["tasks"], jan["languages"], jan["submission_ids"], jan["form_language"], jan["synced_at"]) == (
        "Boodschappen doen, De hond uitlaten, Telefonische babbel", "Nederlands, Engels, Frans", "S-1, S-2, S-9",
        "Frans", "2020-03-20 14:00:00")
    # Jan's row, and Godelieve's request: paused, Jan is no longer her groceries suggestion.
    assert (result.added, result.changed, result.joined_existing) == (0, 2, 1)
    assert master(workbook, "requests", matching=True)["R-000001"]["suggestion_1"] == ""
    assert sheet["stats"].rows  # Stats was written by the first sync
    log = workbook.read([LOG_TAB])["log"].records()
    assert [(r["job"], r["rows_added"], r["rows_changed"], r["duplicates_flagged"]) for r in log] == [
        ("synchronisatie", "9", "0", "2"), ("synchronisatie", "0", "2", "0")]
    assert all(int(r["api_calls"]) > 0 and "Jan" not in r["details"] for r in log)


def test_not_a_duplicate_is_never_flagged_again_and_same_person_merges(workbook):
    spreadsheet(workbook, OFFERS, REQUESTS)
    run_sync(workbook, clock=fixed_clock)
    sheet = workbook.read([VOLUNTEERS])["volunteers"]
    koen_again = next(n for n, r in enumerate(sheet.records(), start=2) if r["volunteer_id"] == "V-000003")
    workbook.write({sheet.cell(koen_again, "duplicate_review"): [["Geen dubbel"]]})

    assert run_sync(workbook, clock=fixed_clock).changes_nothing
    rows = master(workbook, "volunteers")
    assert (rows["V-000003"]["duplicate_of"], rows["V-000002"]["duplicate_of"]) == ("V-000002", "")

    workbook.write({sheet.cell(koen_again, "duplicate_review"): [["Same person"]]})
    result = run_sync(workbook, clock=lambda: fixed_clock().replace(hour=15))

    rows = master(workbook, "volunteers")
    assert rows["V-000002"]["submission_ids"] == "S-3, S-4"
    assert rows["V-000003"] == {
        **dict.fromkeys(rows["V-000003"], ""), "volunteer_id": "V-000003", "screening": "Te screenen",
        "status": "Actief", "duplicate_review": "Same person", "duplicate_of": "V-000002",
        "duplicate_reason": "samengevoegd met V-000002: dezelfde persoon, zoals een coördinator bevestigde; "
                            "deze rij mag weg",
        "synced_at": "2020-03-20 15:00:00"}
    assert result.merged_rows == 1
    assert run_sync(workbook, clock=fixed_clock).changes_nothing


def test_stats_has_the_citys_daily_table(workbook):
    spreadsheet(workbook, OFFERS, REQUESTS)
    run_sync(workbook, clock=fixed_clock)
    stats = [(r["metric"], r["dimension"], r["value"], r["updated_at"])
             for r in workbook.read([STATS_TAB])["stats"].records()]
    table = {(metric, by): value for metric, by, value, _ in stats}
    assert {updated for *_, updated in stats} == {SYNCED}
    assert [table[("Aanmeldingen per taak en taal", f"Boodschappen doen · {lang}")] for lang in ("NL", "EN", "FR")] \
        == ["6", "1", "0"]
    assert table[("Aanmeldingen per taak en taal", "De hond uitlaten · EN")] == "1"
    assert (table[("Aanmeldingen (formulieren)", "")], table[("Vrijwilligers (personen)", "")]) == ("8", "7")
    assert table[("Hulpvragen per taak", "Boodschappen doen")] == "1"
    assert table[("Inzendingen per dag", "2020-03-19 · aanbod")] == "8"
    # Two rows until a coordinator answers the duplicate question (a shared landline is not a merge).
    assert table[("Hulpvragen per dag en status", "2020-03-19 · Nieuw")] == "2"


def test_cells_read_in_words_and_a_new_team_language_rewrites_only_the_system_cells(workbook, server):
    from sheets_schema.workbook import open_local

    from .conftest import FAST_RETRY

    spreadsheet(workbook, OFFERS, REQUESTS)
    run_sync(workbook, clock=fixed_clock)
    jan = master(workbook, "volunteers")["V-000001"]
    assert (jan["tasks"], jan["transport"], jan["phone"]) == (
        "Boodschappen doen, De hond uitlaten", "Fiets, Auto", "0470 12 34 56")
    sheet = workbook.read([VOLUNTEERS])["volunteers"]
    workbook.write({sheet.cell(2, "screening"): [["Goedgekeurd"]], sheet.cell(2, "notes"): [["belt terug"]]})
    english = open_local(server.url, token=server.token, spreadsheet_id=workbook.spreadsheet_id, language="en",
                         retry=FAST_RETRY)
    run_sync(english, clock=fixed_clock)
    jan = master(workbook, "volunteers")["V-000001"]
    assert (jan["tasks"], jan["transport"], jan["languages"], jan["channel"]) == (
        "Groceries, Dog walking", "Bike, Car", "Dutch, English", "helpt web form")
    assert (jan["screening"], jan["notes"]) == ("Goedgekeurd", "belt terug")  # coordinator cells untouched
    assert run_sync(english, clock=fixed_clock).changes_nothing


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_every_cell_a_person_reads_is_in_words_of_the_team_language(server, language):
    """Invariant 9: no task, language, availability, transport or channel code, no other language's sentence."""
    import uuid

    from sheets_schema.workbook import open_local
    from sync.logbook import job_name

    from .conftest import FAST_RETRY

    workbook = open_local(server.url, token=server.token, title=f"words-{uuid.uuid4().hex[:6]}", language=language,
                          retry=FAST_RETRY)
    spreadsheet(workbook, OFFERS, REQUESTS)
    run_sync(workbook, clock=fixed_clock)
    for tab_id in ("volunteers", "requests"):
        for row in master(workbook, tab_id, matching=True).values():
            for column, choices in _CHOICES.items():
                if row.get(column):
                    assert row[column] == list_text(choices, cell_codes(choices, row[column]), language), (
                        column, row[column])
                    assert not {c.code for c in choices} & {v.strip() for v in row[column].split(",")} - {
                        c.labels[language] for c in choices}
    log = workbook.read([LOG_TAB])["log"].records()[-1]
    assert log["job"] == job_name(language, "sync")
    others = [lang for lang in ("nl", "en", "fr") if lang != language]
    words = {"nl": "toegevoegd", "en": "added", "fr": "ajoutées"}
    assert words[language] in log["details"] and not any(words[o] in log["details"] for o in others)
    reasons = [r["duplicate_reason"] for r in master(workbook, "volunteers").values() if r["duplicate_reason"]]
    assert reasons and all(("landline" in r) == (language == "en") for r in reasons)


def test_a_household_sharing_an_e_mail_or_a_landline_is_a_question_never_a_merge(workbook):
    """Households share e-mail addresses and landlines; alike names there are two people until a coordinator
    says otherwise."""
    spreadsheet(workbook, offers=[
        ("nl", submission("S-1", "Jan Peeters", phone="0470 11 11 11", email="gezin.peeters@telenet.be")),
        ("nl", submission("S-2", "Jana Peeters", phone="0471 22 22 22", email="gezin.peeters@telenet.be")),
        ("nl", submission("S-3", "Marie Claes", phone="016 33 33 33")),
        ("nl", submission("S-4", "Maria Claes", phone="016 33 33 33")),
        ("nl", submission("S-5", "Piet Smet", phone="0472 55 55 55", email="piet@smet.be")),
        ("en", submission("S-6", "Smet Piet", phone="+32 472 55 55 55", email="PIET@smet.be", language="en")),
    ])
    run_sync(workbook, clock=fixed_clock)
    rows = {r["full_name"]: r for r in master(workbook, "volunteers").values()}
    assert sorted(rows) == ["Jan Peeters", "Jana Peeters", "Maria Claes", "Marie Claes", "Piet Smet"]
    assert rows["Piet Smet"]["submission_ids"] == "S-5, S-6"  # the same mobile and e-mail: one person
    flagged = {name: (r["duplicate_of"], r["duplicate_reason"]) for name, r in rows.items() if r["duplicate_of"]}
    ids = {name: row_id for row_id, r in master(workbook, "volunteers").items() for name in [r["full_name"]]}
    assert flagged == {
        "Jana Peeters": (ids["Jan Peeters"], "zelfde e-mailadres gezin.peeters@telenet.be, namen 96% gelijk"),
        "Maria Claes": (ids["Marie Claes"], "zelfde vast nummer 016 33 33 33, namen 91% gelijk"),
    }


def test_a_repeated_sign_up_in_another_language_says_what_it_changed_and_its_consent_wins(workbook):
    spreadsheet(workbook, offers=[("nl", submission(
        "S-1", "Anna Vos", phone="0470 10 20 30", consent_partners="Ja", when="2020-03-19T09:00:00+01:00"))])
    run_sync(workbook, clock=fixed_clock)
    # The same person fills in the English form a day later and leaves the partner box unticked.
    add(workbook, offers=[("en", submission(
        "S-2", "Anna Vos", phone="+32470102030", language="en", consent_partners="No",
        availability=list_text(AVAILABILITY_CHOICES, ["weekday_morning"], "en"), when="2020-03-20T10:30:00+01:00"))])
    result = run_sync(workbook, clock=lambda: fixed_clock().replace(hour=14))
    [anna] = master(workbook, "volunteers").values()
    assert anna["submission_ids"] == "S-1, S-2" and anna["consent_partners"] == "Nee"
    assert anna["last_change"] == ("20/03 EN-formulier: toestemming om te delen met partners ingetrokken; "
                                   "beschikbaarheid toegevoegd (Weekdagen voormiddag)")
    assert result.joined_existing == 1 and "1 nieuwe inzending bij een bestaande rij gevoegd" in result.summary()
    log = workbook.read([LOG_TAB])["log"].records()[-1]
    assert "1 bij een bestaande rij gevoegd" in log["details"]
    assert run_sync(workbook, clock=fixed_clock).changes_nothing  # the line stays until the next change


def test_generated_households_are_never_merged_and_each_is_a_question(workbook):
    """Twenty households: two people with alike names (a father and son of one name, a typo apart) share
    an e-mail address (each with a mobile of their own) or a landline. None is merged; each pair is
    flagged, with its reason."""
    names = [("Jan", "Jan"), ("Marie", "Maria"), ("Els", "Els"), ("Kristof", "Christof"), ("Koen", "Koen")]
    offers = []
    for n in range(20):
        first_a, first_b = names[n % len(names)]
        last = f"Huis{n:02d}"
        if n % 2:
            shared = {"email": f"gezin{n}@example.be"}
            a = {"phone": f"0470 {n:02d} 10 10", **shared}
            b = {"phone": f"0471 {n:02d} 20 20", **shared}
        else:
            a = b = {"phone": f"016 {n:02d} 30 30"}
        offers += [("nl", submission(f"H-{n}-a", f"{first_a} {last}", **a)),
                   ("nl", submission(f"H-{n}-b", f"{first_b} {last}", **b))]
    spreadsheet(workbook, offers=offers)
    run_sync(workbook, clock=fixed_clock)
    rows = master(workbook, "volunteers")
    assert len(rows) == 40 and all("," not in row["submission_ids"] for row in rows.values())  # 0 merged
    flagged = [row for row in rows.values() if row["duplicate_of"]]
    assert len(flagged) == 20
    assert all(row["duplicate_reason"].startswith(("zelfde e-mailadres", "zelfde vast nummer")) for row in flagged)


def test_a_daughter_calling_for_her_mother_adds_her_number_and_replaces_nothing(workbook):
    """Maria asks for help on the web with her own mobile; her daughter calls the desk, where an agent
    whose screen is in French types the daughter's landline. A coordinator confirms "Zelfde persoon"."""
    mother = submission("S-1", "Maria Claes", phone="0470 12 34 56", street="Naamsestraat 8",
                        when="2020-03-19T09:00:00+01:00")
    daughter_calls = submission("S-2", "Maria Claes", phone="016 23 45 67", language="fr", channel="phone",
                                tasks=("groceries", "pharmacy"), on_behalf_of="Els Claes (fille)",
                                when="2020-03-19T15:00:00+01:00")
    spreadsheet(workbook, requests=[("nl", mother), ("fr", daughter_calls)])
    run_sync(workbook, clock=fixed_clock)
    rows = master(workbook, "requests")
    assert rows["R-000002"]["duplicate_of"] == "R-000001"  # a question first: never merged on helpt's judgement
    sheet = workbook.read([REQUESTS_TAB])["requests"]
    workbook.write({sheet.cell(3, "duplicate_review"): [["Zelfde persoon"]]})

    merged = run_sync(workbook, clock=lambda: fixed_clock().replace(day=21, hour=9))

    maria = master(workbook, "requests")["R-000001"]
    assert (maria["phone"], maria["other_phones"]) == ("0470 12 34 56", "016 23 45 67")
    assert maria["form_language"] == "Nederlands"  # hers, not the agent's screen
    assert maria["last_change"] == ("21/03 samengevoegd met R-000002 (zelfde persoon): taken toegevoegd "
                                    "(Apotheek); 1 ander telefoonnummer bewaard")
    assert merged.merged_rows == 1
    again = run_sync(workbook, clock=lambda: fixed_clock().replace(day=22))
    assert again.changes_nothing and again.merged_rows == 0  # said once, not at every sync
    assert "samengevoegd" not in again.summary()


def test_an_automatic_merge_keeps_every_number_in_the_order_given(workbook):
    spreadsheet(workbook, offers=[
        ("nl", submission("S-1", "Anna Vos", phone="0470 10 20 30", email="anna@vos.be",
                          when="2020-03-19T09:00:00+01:00")),
        ("nl", submission("S-2", "Anna Vos", phone="016 20 30 40", email="anna@vos.be",
                          when="2020-03-19T10:00:00+01:00")),
        ("nl", submission("S-3", "Anna Vos", phone="+32 470 10 20 30", email="anna@vos.be",
                          when="2020-03-19T11:00:00+01:00")),
        ("nl", submission("S-4", "Anna Vos", phone="0485 99 88 77", email="anna@vos.be", channel="email",
                          when="2020-03-19T12:00:00+01:00"))])
    run_sync(workbook, clock=fixed_clock)
    [anna] = master(workbook, "volunteers").values()
    assert anna["submission_ids"] == "S-1, S-2, S-3, S-4"
    assert (anna["phone"], anna["other_phones"]) == ("0470 10 20 30", "016 20 30 40, 0485 99 88 77")
    add(workbook, offers=[("en", submission("S-5", "Anna Vos", phone="016 55 66 77", email="anna@vos.be",
                                            language="en", when="2020-03-20T09:00:00+01:00"))])
    run_sync(workbook, clock=fixed_clock)
    [anna] = master(workbook, "volunteers").values()
    assert anna["other_phones"] == "016 20 30 40, 0485 99 88 77, 016 55 66 77"
    assert anna["last_change"] == "20/03 EN-formulier: 1 ander telefoonnummer bewaard"
    assert anna["form_language"] == "Engels"  # her own latest choice on the web


def test_a_volunteers_row_lists_the_open_cases_they_hold_with_who_to_call(workbook):
    spreadsheet(workbook, OFFERS, REQUESTS)
    run_sync(workbook, clock=fixed_clock)
    requests = workbook.read([REQUESTS_TAB])["requests"]
    godelieve = next(n for n, r in enumerate(requests.records(), start=2) if r["request_id"] == "R-000001")
    workbook.write({requests.cell(godelieve, "assigned_volunteers"): [["v-000001, V-000003"]],
                    requests.cell(godelieve, "status"): [["Gematcht"]]})
    run_sync(workbook, clock=fixed_clock)
    volunteers = master(workbook, "volunteers", matching=True)
    line = "R-000001 Godelieve · 016 12 34 56 · Leuven"
    assert (volunteers["V-000001"]["cases"], volunteers["V-000003"]["cases"]) == (line, line)
    assert volunteers["V-000001"]["open_cases"] == "1" and volunteers["V-000002"]["cases"] == ""
    workbook.write({requests.cell(godelieve, "status"): [["Afgesloten"]]})
    run_sync(workbook, clock=fixed_clock)
    assert master(workbook, "volunteers", matching=True)["V-000001"]["cases"] == ""  # done: off the row
