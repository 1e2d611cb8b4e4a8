"""`helpt init` against the local Sheets server: creates what is missing, then changes nothing."""

from __future__ import annotations

import pytest

from sheets_schema.areas import load_areas
from sheets_schema.fields import COORDINATOR, SYSTEM
from sheets_schema.layout import SYSTEM_BACKGROUND, init_spreadsheet, plan_init
from sheets_schema.tabs import AREAS_TAB, INTAKE_TABS, REQUESTS, TABS, TASKS_TAB, VOLUNTEERS
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
    assert workbook.api_calls - calls == 2  # read the tabs and the header rows; write nothing
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
    assert kinds[0] == "addSheet"
    dropdowns = [r["setDataValidation"] for r in plan.requests if "setDataValidation" in r]
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
    assert tasks["groceries"]["requires"] == "car, cargo_bike"
    assert tasks["groceries"]["in_person"] == "TRUE" and tasks["phone_chat"]["in_person"] == "FALSE"
    areas = {r["postcode"]: r for r in sheets["areas"].records()}
    assert len(areas) == len(load_areas())
    assert areas["3010"]["name"] == "Kessel-Lo"
    assert "3000" in areas["3010"]["neighbours"].split(", ")

    # The tab now belongs to the coordinators: their edit survives another init.
    workbook.write({sheets["tasks"].cell(2, "material"): [["Een fiets met kar"]]})
    assert init_spreadsheet(workbook, TABS).changes_nothing
    again = workbook.read([TASKS_TAB])["tasks"].records()
    assert again[0]["material"] == "Een fiets met kar" and len(again) == len(TASKS)
