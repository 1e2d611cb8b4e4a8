"""`helpt init` against the local Sheets server: creates what is missing, then changes nothing."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from sheets_schema.areas import load_areas
from sheets_schema.fields import COORDINATOR, SYSTEM
from sheets_schema.layout import SYSTEM_BACKGROUND, init_spreadsheet, plan_init
from sheets_schema.tabs import AREAS_TAB, INTAKE_TABS, PARTNER_FIELD_CHOICES, REQUESTS, TABS, TASKS_TAB, VOLUNTEERS
from sheets_schema.tasks import TASKS
from sheets_schema.workbook import column_letters, open_local, quote_title

from .conftest import FAST_RETRY


def _state(workbook):
    """Everything a person could see: tabs, sizes, protections, and every value."""
    metadata = workbook.metadata()
    titles = [s["properties"]["title"] for s in metadata["sheets"]]
    return metadata["sheets"], workbook.values([quote_title(t) for t in titles])


def test_init_creates_every_tab_with_its_header(workbook):
    plan = init_spreadsheet(workbook, TABS)
    assert len(plan.tabs_added) == len(TABS)

    metadata = workbook.metadata()
    sheets = [s["properties"] for s in metadata["sheets"]]
    assert [s["title"] for s in sheets] == [tab.title("nl") for tab in TABS]  # no stray "Sheet1"
    assert all(s["gridProperties"]["frozenRowCount"] == 1 for s in sheets)
    headers = workbook.values([f"{quote_title(tab.title('nl'))}!1:1" for tab in TABS])
    for tab, grid in zip(TABS, headers):
        language = tab.language or "nl"  # intake tabs speak their form's language
        assert grid[0] == [column.labels[language] for column in tab.columns]


def test_init_protects_system_columns_warning_only(workbook):
    init_spreadsheet(workbook, TABS)
    metadata = workbook.metadata()
    requests_sheet = workbook.find_tab(REQUESTS, metadata)
    protected = {p["range"]["startColumnIndex"]: p for p in requests_sheet.get("protectedRanges", [])}
    for index, column in enumerate(REQUESTS.columns):
        if column.owner == SYSTEM:
            assert protected[index]["warningOnly"] is True
        else:
            assert index not in protected  # coordinators edit their columns freely
    for tab in INTAKE_TABS:
        ranges = workbook.find_tab(tab, metadata)["protectedRanges"]
        assert [(p["warningOnly"], set(p["range"])) for p in ranges] == [(True, {"sheetId"})]


def test_init_twice_changes_nothing(workbook):
    init_spreadsheet(workbook, TABS)
    before = _state(workbook)
    calls = workbook.api_calls
    plan = init_spreadsheet(workbook, TABS)
    assert plan.changes_nothing, plan.summary()
    assert workbook.api_calls - calls == 2  # read the tabs and the header rows (notes, checks); write nothing
    assert _state(workbook) == before


def test_init_adds_a_missing_column_at_the_end_and_keeps_coordinator_columns(workbook):
    init_spreadsheet(workbook, TABS)
    sheet = workbook.read([VOLUNTEERS])["volunteers"]
    title = quote_title(sheet.title)
    # A coordinator deleted the "notes" header text and added a column of their own.
    workbook.batch_update([{"appendDimension": {"sheetId": sheet.sheet_id, "dimension": "COLUMNS", "length": 1}}])
    workbook.write({sheet.cell(1, "notes"): [[""]],
                    f"{title}!{column_letters(len(sheet.header))}1": [["Eigen kolom"], ["x"]]})
    plan = init_spreadsheet(workbook, TABS)
    assert plan.columns_added == {sheet.title: [VOLUNTEERS.column("notes").labels["nl"]]}

    again = workbook.read([VOLUNTEERS])["volunteers"]
    assert again.header[len(sheet.header)] == "Eigen kolom"
    assert again.positions["notes"] == len(sheet.header) + 1
    assert again.rows[0][len(sheet.header)] == "x"
    assert init_spreadsheet(workbook, TABS).changes_nothing


@pytest.mark.parametrize("language", ["en", "fr"])
def test_tab_titles_and_headers_follow_the_team_language(server, language):
    workbook = open_local(server.url, token=server.token, title=f"team-{language}", language=language, retry=FAST_RETRY)
    init_spreadsheet(workbook, TABS)
    sheet = workbook.read([REQUESTS])["requests"]
    assert sheet.title == REQUESTS.title(language)
    assert sheet.header == [c.labels[language] for c in REQUESTS.columns]


def test_plan_marks_system_columns_and_adds_dropdowns_for_coordinator_choices():
    plan = plan_init([REQUESTS], {"sheets": []}, {}, {}, "nl")
    kinds = [next(iter(r)) for r in plan.requests]
    assert kinds[:2] == ["updateSpreadsheetProperties", "addSheet"]  # the team's locale, then the tab
    dropdowns = [r["setDataValidation"] for r in plan.requests if "setDataValidation" in r
                 and r["setDataValidation"]["rule"]["condition"]["type"] == "ONE_OF_LIST"]
    with_choices = [c for c in REQUESTS.columns if c.owner == COORDINATOR and c.choices]
    assert len(dropdowns) == len(with_choices)
    for rule, column in zip(dropdowns, with_choices):
        values = [v["userEnteredValue"] for v in rule["rule"]["condition"]["values"]]
        assert values == [choice.labels["nl"] for choice in column.choices]
    greys = [r["repeatCell"] for r in plan.requests
             if "repeatCell" in r and "backgroundColor" in r["repeatCell"]["cell"]["userEnteredFormat"]]
    assert len(greys) == sum(c.owner == SYSTEM for c in REQUESTS.columns)
    assert all(g["cell"]["userEnteredFormat"]["backgroundColor"] == SYSTEM_BACKGROUND for g in greys)


def test_init_fills_empty_reference_tabs_once(workbook):
    init_spreadsheet(workbook, TABS)
    sheets = workbook.read([TASKS_TAB, AREAS_TAB])
    tasks = {r["code"]: r for r in sheets["tasks"].records()}
    assert list(tasks) == [t.code for t in TASKS]
    assert tasks["groceries"]["requires"] == "Auto, Bakfiets"  # words of the team, not codes
    assert tasks["groceries"]["in_person"] == "Ja" and tasks["phone_chat"]["in_person"] == "Nee"
    areas = {r["postcode"]: r for r in sheets["areas"].records()}
    assert len(areas) == len(load_areas())
    assert areas["3010"]["name"] == "Kessel-Lo"
    assert "3000" in areas["3010"]["neighbours"].split(", ")

    # The tab now belongs to the coordinators: their edit survives another init.
    workbook.write({sheets["tasks"].cell(2, "material"): [["Een fiets met kar"]]})
    assert init_spreadsheet(workbook, TABS).changes_nothing
    again = workbook.read([TASKS_TAB])["tasks"].records()
    assert again[0]["material"] == "Een fiets met kar" and len(again) == len(TASKS)


def test_every_header_carries_its_columns_help_and_id_columns_are_checked_as_typed(workbook):
    """Read back through gspread, as a coordinator's Google Sheets would show them: a note on each header
    (hover it), and on Toegewezen vrijwilligers a check that flags "TOM" as it is typed."""
    init_spreadsheet(workbook, TABS)
    found = workbook._spreadsheet.fetch_sheet_metadata(params={  # gspread, over loopback to the local server
        "ranges": ["'Hulpvragen'!1:2"], "fields": "sheets(data(rowData(values(formattedValue,note,dataValidation))))"})
    header, second = (row.get("values", []) for row in found["sheets"][0]["data"][0]["rowData"])
    by_header = {cell["formattedValue"]: cell.get("note") for cell in header}
    assert by_header == {c.labels["nl"]: c.help["nl"] for c in REQUESTS.columns}
    index = [c.id for c in REQUESTS.columns].index("assigned_volunteers")
    rule = second[index]["dataValidation"]
    formula = rule["condition"]["values"][0]["userEnteredValue"]
    assert rule["condition"]["type"] == "CUSTOM_FORMULA" and rule["strict"] is False
    assert "REGEXMATCH" in formula and "[Vv]-[0-9]{6}" in formula
    pattern = re.search(r'"(\^.*\$)"', formula).group(1)
    assert re.match(pattern, "V-000001, v-000123") and not re.match(pattern, "TOM")
    # A coordinator deletes a note: the next init puts it back, and only that.
    sheet = workbook.read([REQUESTS])["requests"]
    workbook.batch_update([{"updateCells": {"range": {"sheetId": sheet.sheet_id, "startRowIndex": 0, "endRowIndex": 1,
                                                      "startColumnIndex": 0, "endColumnIndex": 1},
                                            "rows": [{"values": [{"note": ""}]}], "fields": "note"}}])
    plan = init_spreadsheet(workbook, TABS)
    assert [next(iter(r)) for r in plan.requests] == ["updateCells"]
    assert init_spreadsheet(workbook, TABS).changes_nothing


def test_partners_list_columns_take_several_choices_and_active_is_yes_or_no(workbook, server):
    init_spreadsheet(workbook, TABS)
    found = workbook._spreadsheet.fetch_sheet_metadata(params={
        "ranges": ["'Partners'!1:2"], "fields": "sheets(data(rowData(values(formattedValue,dataValidation))))"})
    header, second = (row.get("values", []) for row in found["sheets"][0]["data"][0]["rowData"])
    rules = {cell["formattedValue"]: rule.get("dataValidation", {}).get("condition", {})
             for cell, rule in zip(header, second + [{}] * (len(header) - len(second)))}
    assert [v["userEnteredValue"] for v in rules["Actief"]["values"]] == ["Ja", "Nee"]
    pattern = re.search(r'"(\^.*\$)"', rules["Taken"]["values"][0]["userEnteredValue"]).group(1)
    assert re.match(pattern, "Boodschappen doen, Apotheek") and not re.match(pattern, "Boodschappen")
    fields = re.search(r'"(\^.*\$)"', rules["Gedeelde velden"]["values"][0]["userEnteredValue"]).group(1)
    assert re.match(fields, ", ".join(c.labels["nl"] for c in PARTNER_FIELD_CHOICES))
    # A team that works in French gets the checks in French at the next init; nothing else changes.
    french = open_local(server.url, token=server.token, spreadsheet_id=workbook.spreadsheet_id, language="fr",
                        retry=FAST_RETRY)
    kinds = Counter(next(iter(r)) for r in init_spreadsheet(french, TABS).requests)
    assert kinds["setDataValidation"] > 5 and "addSheet" not in kinds
