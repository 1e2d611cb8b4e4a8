"""Partner extracts: the right volunteers, the right fields, the right people, and the partner's notes kept.

Property-based tests over the pure decisions; then the whole loop over gspread
against the local Sheets server: sync, extract (spreadsheet and file), share,
withdraw, sort, make inactive.
"""

from __future__ import annotations

import csv
import os
import stat
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheets_schema.answers import bool_text, choice_code, list_text, parse_bool
from sheets_schema.tabs import PARTNER_FIELD_CHOICES, PARTNERS_TAB, VOLUNTEERS, tab
from sheets_schema.tasks import TASK_CHOICES
from sheets_schema.workbook import open_local
from sync.extracts import write_extract
from sync.job import Upkeep, run_sync
from sync.partners import FIELDS, Partner, extract_table, is_eligible

from .conftest import FAST_RETRY
from .sync_helpers import master, spreadsheet, submission

COLUMN = {c.id: c for c in VOLUNTEERS.columns}
TASKS = [c.code for c in TASK_CHOICES]
POSTCODES = ["3000", "3001", "3010", "3012", "1000"]


def _label(column_id: str, code: str, language: str) -> str:
    return next(c.labels[language] for c in COLUMN[column_id].choices if c.code == code)


volunteers = st.lists(st.builds(
    lambda n, screening, status, consent, postcode, tasks, language: {
        "volunteer_id": f"V-{n:06d}", "screening": _label("screening", screening, language),
        "status": _label("status", status, language), "consent_partners": bool_text(consent, language),
        "postcode": postcode, "tasks": list_text(TASK_CHOICES, tasks, language), "full_name": f"Person {n}",
        "phone": f"+3247000{n:04d}", "email": f"p{n}@example.be", "street": f"Straat {n}", "area": "Leuven",
        "languages": "Nederlands", "transport": "", "availability": ""},
    st.integers(0, 9999), st.sampled_from(["to_screen", "approved", "rejected"]),
    st.sampled_from(["active", "paused", "withdrawn"]), st.booleans(), st.sampled_from(POSTCODES),
    st.lists(st.sampled_from(TASKS), unique=True, max_size=3), st.sampled_from(["nl", "en", "fr"])),
    max_size=30, unique_by=lambda v: v["volunteer_id"])
partners = st.builds(
    lambda postcodes, tasks, fields, active: Partner("P-1", "Netwerk", frozenset(postcodes), frozenset(tasks),
                                                     tuple(f for f in FIELDS if f in fields), "x.csv", "", active),
    st.sets(st.sampled_from(POSTCODES)), st.sets(st.sampled_from(TASKS)), st.sets(st.sampled_from(FIELDS)),
    st.booleans())


@settings(max_examples=500, deadline=None)
@given(volunteers=volunteers, partner=partners, language=st.sampled_from(["nl", "en", "fr"]))
def test_an_extract_holds_only_shareable_volunteers_and_allowed_fields(volunteers, partner, language):
    header, rows, note = extract_table(partner, volunteers, language)
    by_id = {v["volunteer_id"]: v for v in volunteers}
    allowed = {c.labels[language] for c in PARTNER_FIELD_CHOICES if c.code in partner.fields}
    assert header[0] == COLUMN["volunteer_id"].labels[language] and set(header[1:]) == allowed
    assert len(header) == 1 + len(partner.fields) and all(len(row) == len(header) for row in rows)
    for row in rows:
        volunteer = by_id[row[0]]
        assert partner.active
        # Coordinators may type in any language: compare codes.
        assert choice_code(COLUMN["screening"].choices, volunteer["screening"]) == "approved"
        assert choice_code(COLUMN["status"].choices, volunteer["status"]) == "active"
        assert parse_bool(volunteer["consent_partners"]) is True
        assert volunteer["postcode"] in partner.postcodes
        assert {choice_code(TASK_CHOICES, t) for t in volunteer["tasks"].split(", ")} & partner.tasks
        assert volunteer["street"] not in row  # never the address
    # ... and every volunteer who may be shared is there.
    assert {row[0] for row in rows} == {v["volunteer_id"] for v in volunteers if is_eligible(v, partner)}
    assert bool(note) == (not rows)


@settings(max_examples=200, deadline=None)
@given(volunteers=volunteers, partner=partners, data=st.data())
def test_withdrawing_or_withdrawing_consent_removes_a_volunteer_from_the_extract(volunteers, partner, data):
    shared = [row[0] for row in extract_table(partner, volunteers, "nl")[1]]
    if not shared:
        return
    leaving = data.draw(st.sampled_from(shared))
    change = data.draw(st.sampled_from([("status", _label("status", "withdrawn", "nl")),
                                        ("consent_partners", "Nee"),
                                        ("screening", _label("screening", "rejected", "nl")),
                                        ("postcode", "9000")]))
    after = [{**v, change[0]: change[1]} if v["volunteer_id"] == leaving else v for v in volunteers]
    assert leaving not in [row[0] for row in extract_table(partner, after, "nl")[1]]


def _extract_workbook(server):
    return open_local(server.url, token=server.token, title=f"extract-{uuid.uuid4().hex[:6]}", retry=FAST_RETRY)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ids=st.lists(st.integers(0, 99), unique=True, min_size=1, max_size=12), data=st.data())
def test_the_partners_notes_stay_with_the_right_volunteer_whatever_they_sort_or_type(server, ids, data):
    """Against the local server: the partner adds notes and sorts; helpt rewrites; every note is where it was.

    While helpt writes, the partner may type a note (it is never overwritten) or sort again (helpt's
    check after the write puts its cells right). A sort in the very moment helpt removes a volunteer
    can still cost that row's notes: Sheets has no conditional delete; see docs/privacy.md.
    """
    extract = _extract_workbook(server)
    ours = ["Vrijwilliger-id", "Naam"]
    rows = sorted([f"V-{n:06d}", f"Person {n}"] for n in ids)
    write_extract(extract, ours, rows, "")
    tab = extract.first_tab()
    extract.write({f"'{tab.title}'!C1:C{len(rows) + 1}": [["Onze notities"]] + [[f"note about {r[0]}"] for r in rows],
                   f"'{tab.title}'!A{len(rows) + 3}:C{len(rows) + 3}": [["", "", "een eigen rij van de partner"]]})

    def sort(column: int, order: str) -> None:
        extract.batch_update([{"sortRange": {
            "range": {"sheetId": tab.sheet_id, "startRowIndex": 1, "endRowIndex": len(rows) + 1},
            "sortSpecs": [{"dimensionIndex": column, "sortOrder": order}]}}])

    sort(data.draw(st.sampled_from([1, 2])), "DESCENDING")
    order = [row[0] for row in extract.first_tab().rows[1:len(rows) + 1]]
    during = data.draw(st.sampled_from(["nothing", "types", "sorts"]))
    staying = rows if during == "sorts" else data.draw(st.lists(st.sampled_from(rows), unique_by=lambda r: r[0]))
    newcomers = [[f"V-{n:06d}", f"New {n}"] for n in range(100, 100 + data.draw(st.integers(0, 3)))]
    notes = {row[0]: f"note about {row[0]}" for row in rows}
    typed_for = order[0]

    def partner_acts() -> None:
        if during == "types":  # a new note on the first row, typed while helpt writes
            extract.write({f"'{tab.title}'!C2": [["typed during the write"]]})
            notes[typed_for] = "typed during the write"
        elif during == "sorts":
            sort(2, "ASCENDING")

    renamed = [[i, f"{n} (nieuw)"] for i, n in staying]
    write_extract(extract, ours, renamed + newcomers, "", before_write=partner_acts)
    grid = extract.first_tab().rows
    assert grid[0] == ours + ["Onze notities"]
    mine = {row[0]: (row + ["", ""])[1:3] for row in grid[1:] if row and row[0]}
    assert sorted(mine) == sorted([r[0] for r in staying] + [r[0] for r in newcomers])
    for volunteer_id, name in renamed + newcomers:
        assert mine[volunteer_id] == [name, notes.get(volunteer_id, "") if [volunteer_id, name] in renamed else ""]
    if during == "nothing":  # the partner's order is kept for those who stay; newcomers come last
        assert [row[0] for row in grid[1:] if row and row[0]] == \
            [i for i in order if i in {r[0] for r in staying}] + [r[0] for r in newcomers]
    assert ["", "", "een eigen rij van de partner"] in grid  # the partner's own row is never touched


# --- the whole loop, over gspread against the local Sheets server ---------------------------------

def _partner_row(partner_id: str, destination: str, contact: str, *, active: bool = True,
                 fields=("full_name", "phone", "tasks")) -> dict[str, str]:
    return {"partner_id": partner_id, "name": f"Netwerk {partner_id}", "areas": "3000, 3010",
            "tasks": "Boodschappen doen", "fields": ", ".join(
                c.labels["nl"] for c in PARTNER_FIELD_CHOICES if c.code in fields),
            "destination": destination, "contact_email": contact, "active": bool_text(active, "nl")}


def _set_partners(workbook, rows) -> None:
    sheet = workbook.read([PARTNERS_TAB])["partners"]
    workbook.clear([f"'{sheet.title}'!A2:Z1000"])
    workbook.append(sheet, rows)


def _approve(workbook, **changes_by_name) -> None:
    """A coordinator screens volunteers in the Volunteers tab: screening, status per name."""
    sheet = workbook.read([VOLUNTEERS])["volunteers"]
    ranges = {}
    for n, row in enumerate(sheet.records()):
        for column_id, value in changes_by_name.get(row["full_name"], {}).items():
            ranges[sheet.cell(n + 2, column_id)] = [[value]]
    workbook.write(ranges)


def test_sync_mirrors_approved_volunteers_to_a_partner_spreadsheet_and_a_file_shared_with_the_contact_only(
        server, tmp_path):
    workbook = open_local(server.url, token=server.token, title=f"partners-{uuid.uuid4().hex[:6]}", retry=FAST_RETRY)
    consent = bool_text(True, "nl")
    spreadsheet(workbook, offers=[
        ("nl", submission("S-1", "Anna Appel", phone="0470 11 11 11", postcode="3000", consent_partners=consent)),
        ("nl", submission("S-2", "Bert Boom", phone="0470 22 22 22", postcode="3010", consent_partners=consent,
                          street="Geheimstraat 1")),
        ("nl", submission("S-3", "Cas Claes", phone="0470 33 33 33", postcode="3000")),  # no consent
        ("nl", submission("S-4", "Dirk Dijk", phone="0470 44 44 44", postcode="9000", consent_partners=consent)),
    ])
    extract = open_local(server.url, token=server.token, title=f"extract-{uuid.uuid4().hex[:6]}", retry=FAST_RETRY)
    extract.share("someone.else@example.be", "reader")  # a share helpt did not make goes
    _set_partners(workbook, [_partner_row("P-sheet", f"{server.url}/spreadsheets/{extract.spreadsheet_id}",
                                          "contact@netwerk.be"),
                             _partner_row("P-file", "netwerk.csv", "", fields=("full_name", "postcode")),
                             _partner_row("P-broken", "https://docs.google.com/spreadsheets/d/" + "x" * 44, "")])
    extracts = tmp_path / "extracts"
    run_sync(workbook, upkeep=Upkeep(extracts_dir=extracts))  # creates the Volunteers rows, all still to be screened
    approved = {"screening": "Goedgekeurd"}
    _approve(workbook, **{"Anna Appel": approved, "Bert Boom": approved, "Cas Claes": approved,
                          "Dirk Dijk": approved})
    result = run_sync(workbook, upkeep=Upkeep(extracts_dir=extracts))
    ids = {row["full_name"]: row_id for row_id, row in master(workbook, "volunteers").items()}

    first = extract.first_tab()
    title, grid = first.title, first.rows
    assert grid == [["Vrijwilliger-id", "Naam", "Telefoon", "Taken"],
                    [ids["Anna Appel"], "Anna Appel", "0470 11 11 11", "Boodschappen doen"],
                    [ids["Bert Boom"], "Bert Boom", "0470 22 22 22", "Boodschappen doen"]]
    assert {(p["emailAddress"], p["role"]) for p in extract.permissions()} == {
        ("helpt@local-sheets.iam.gserviceaccount.com", "owner"), ("contact@netwerk.be", "writer")}
    path = extracts / "netwerk.csv"
    assert list(csv.reader(path.open())) == [["Vrijwilliger-id", "Naam", "Postcode"],
                                             [ids["Anna Appel"], "Anna Appel", "3000"],
                                             [ids["Bert Boom"], "Bert Boom", "3010"]]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    log = [r for r in workbook.read([tab("log")])["log"].records() if r["job"] == "partnerexport"]
    assert [r["details"] for r in log[-2:]] == ["P-sheet: 2 vrijwilligers gedeeld", "P-file: 2 vrijwilligers gedeeld"]
    # The refusal was news at the first sync; the second, refused the same way, does not log it again (its
    # Partners row still says it), nor will a sync whose extracts stay as they are.
    assert log[-3]["details"].startswith("P-broken: niet bijgewerkt (") and "opnieuw" in log[-3]["details"]
    run_sync(workbook, upkeep=Upkeep(extracts_dir=extracts))
    assert [r for r in workbook.read([tab("log")])["log"].records() if r["job"] == "partnerexport"] == log
    assert "Geheimstraat" not in str(grid) + path.read_text() + str(log)
    assert [r.partner_id for r in result.partners] == ["P-sheet", "P-file", "P-broken"]
    # Each Partners row says where its extract is and what the sync did, in the team's words.
    rows = {r["partner_id"]: r for r in workbook.read([PARTNERS_TAB])["partners"].records()}
    assert (rows["P-sheet"]["extract"], rows["P-sheet"]["extract_status"]) == (
        f"{server.url}/spreadsheets/{extract.spreadsheet_id}", "bijgewerkt: 2 vrijwilligers gedeeld")
    assert (rows["P-file"]["extract"], rows["P-file"]["extract_status"]) == (
        "netwerk.csv", "bijgewerkt: 2 vrijwilligers gedeeld")
    assert rows["P-broken"]["extract"] == "" and \
        rows["P-broken"]["extract_status"].startswith("niets geschreven of gedeeld: ")

    # The partner adds notes and sorts its sheet (Bert first); Anna withdraws; their notes stay put.
    extract.write({f"'{title}'!E1:E3": [["Notities"], ["belt maandag"], ["heeft fiets"]]})
    extract.batch_update([{"sortRange": {"range": {"sheetId": first.sheet_id, "startRowIndex": 1, "endRowIndex": 3},
                                         "sortSpecs": [{"dimensionIndex": 1, "sortOrder": "DESCENDING"}]}}])
    _approve(workbook, **{"Anna Appel": {"status": "Gestopt"}})
    run_sync(workbook, upkeep=Upkeep(extracts_dir=extracts))
    grid = extract.first_tab().rows
    assert grid == [["Vrijwilliger-id", "Naam", "Telefoon", "Taken", "Notities"],
                    [ids["Bert Boom"], "Bert Boom", "0470 22 22 22", "Boodschappen doen", "heeft fiets"]]

    # The partner is made inactive: an empty extract that says why, and nobody but the owner has access.
    _set_partners(workbook, [_partner_row("P-sheet", extract.spreadsheet_id, "contact@netwerk.be", active=False)])
    run_sync(workbook, upkeep=Upkeep(extracts_dir=extracts))
    grid = extract.first_tab().rows
    assert grid[0] == ["Vrijwilliger-id", "Naam", "Telefoon", "Taken", "Notities"]
    assert grid[1][0].startswith("Deze partner is niet actief") and len(grid) == 2
    assert [p["role"] for p in extract.permissions()] == ["owner"]


def test_the_first_sync_after_adding_a_partner_says_it_wrote_the_extract_and_a_quiet_one_says_nothing(
        server, tmp_path):
    workbook = open_local(server.url, token=server.token, title=f"quiet-{uuid.uuid4().hex[:6]}", retry=FAST_RETRY)
    spreadsheet(workbook, offers=[("nl", submission("S-1", "Anna Appel", phone="0470 11 11 11", postcode="3000",
                                                    consent_partners=bool_text(True, "nl")))])
    extracts = tmp_path / "extracts"
    run_sync(workbook, upkeep=Upkeep(extracts_dir=extracts))
    _approve(workbook, **{"Anna Appel": {"screening": "Goedgekeurd"}})
    assert not run_sync(workbook, upkeep=Upkeep(extracts_dir=extracts)).changes_nothing  # the screening
    assert run_sync(workbook, upkeep=Upkeep(extracts_dir=extracts)).changes_nothing
    extract = open_local(server.url, token=server.token, title=f"extract-{uuid.uuid4().hex[:6]}", retry=FAST_RETRY)
    _set_partners(workbook, [_partner_row("P-sheet", f"{server.url}/spreadsheets/{extract.spreadsheet_id}", ""),
                             _partner_row("P-file", "netwerk.xlsx", "")])
    added = run_sync(workbook, upkeep=Upkeep(extracts_dir=extracts))
    assert not added.changes_nothing and "2 uittreksels voor partners geschreven" in added.summary()
    quiet = run_sync(workbook, upkeep=Upkeep(extracts_dir=extracts))
    assert quiet.changes_nothing and "niets te wijzigen" in quiet.summary()
