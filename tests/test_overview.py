"""The Overzicht tab: where help is short, counted independently here; its charts in the coordinators' own
spreadsheet (read back through gspread) and drawn in the local view."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest
import requests as http
from selenium.webdriver.common.by import By

from sheets_schema.layout import init_spreadsheet
from sheets_schema.tabs import OVERVIEW_TAB, TABS
from sheets_schema.tasks import TASKS
from sync.job import run_sync

from .browser import violations
from .generate import generate, write_intake
from .servers import view_link
from .sync_helpers import fixed_clock, master

IN_PERSON = {t.code for t in TASKS if t.in_person}
TASK_BY_LABEL = {t.labels["nl"]: t.code for t in TASKS}
LABEL = {t.code: t.labels["nl"] for t in TASKS}


@pytest.fixture
def desk(workbook):
    """A generated desk, synced once; then coordinators screen, pause and close some rows, and sync again."""
    init_spreadsheet(workbook, TABS)
    write_intake(workbook, generate(volunteers=120, requests=60, seed=19))
    run_sync(workbook, clock=fixed_clock)
    rnd = random.Random(19)
    volunteers = workbook.read([TABS[1]])["volunteers"]
    edits = {}
    for n in range(len(volunteers.rows)):
        edits[volunteers.cell(n + 2, "screening")] = [[rnd.choice(["Goedgekeurd", "Goedgekeurd", "Te screenen",
                                                                    "Afgewezen"])]]
        edits[volunteers.cell(n + 2, "status")] = [[rnd.choice(["Actief", "Actief", "Actief", "Gepauzeerd"])]]
    requests = workbook.read([TABS[0]])["requests"]
    for n in range(len(requests.rows)):
        edits[requests.cell(n + 2, "status")] = [[rnd.choice(["Nieuw", "Nieuw", "In behandeling", "Gematcht",
                                                                "Afgesloten"])]]
    workbook.write(edits)
    run_sync(workbook, clock=lambda: fixed_clock().replace(hour=13))
    return workbook


def _expected(workbook) -> Counter:
    """(area, task label) -> (open, free, to screen), from the Requests and Volunteers tabs as people read them."""
    counts: Counter = Counter()
    for row in master(workbook, "requests", matching=True).values():
        if row["status"] in ("Nieuw", "In behandeling"):
            for label in filter(None, (t.strip() for t in row["tasks"].split(","))):
                code = TASK_BY_LABEL[label]
                counts[(row["area"] if code in IN_PERSON else "van thuis uit", label, "open")] += 1
    for row in master(workbook, "volunteers", matching=True).values():
        if row["status"] != "Actief":
            continue
        state = ("free" if row["screening"] == "Goedgekeurd" and int(row["open_cases"] or 0) < 2
                 else "screen" if row["screening"] == "Te screenen" else None)
        for label in filter(None, (t.strip() for t in row["tasks"].split(","))):
            if state:
                code = TASK_BY_LABEL[label]
                counts[(row["area"] if code in IN_PERSON else "van thuis uit", label, state)] += 1
    return counts


def test_the_overview_numbers_equal_counts_made_from_the_tabs(desk):
    rows = desk.read([OVERVIEW_TAB])["overview"].records()
    shown = {(r["area"], r["task"]): (int(r["open_requests"]), int(r["free_volunteers"]), int(r["to_screen"]),
                                      int(r["shortfall"])) for r in rows if r["area"]}
    expected = _expected(desk)
    keys = {(area, task) for area, task, _ in expected}
    assert set(shown) == keys and len(keys) > 10
    for area, task in keys:
        o, f, s = (expected[(area, task, k)] for k in ("open", "free", "screen"))
        assert shown[(area, task)] == (o, f, s, max(o - f, 0)), (area, task)
    # The largest shortfall first, and each row says itself in one sentence.
    shortfalls = [r[3] for r in shown.values()]
    ranked = [int(r["shortfall"]) for r in rows if r["area"]]
    assert ranked == sorted(shortfalls, reverse=True)
    first = next(r for r in rows if r["area"])
    assert first["summary"] == (f"{first['area']}, {first['task'].lower()}: {first['open_requests']} open, "
                                f"{first['free_volunteers']} vrij, {first['to_screen']} te screenen")


def test_the_area_totals_and_the_daily_counts_are_right(desk):
    rows = desk.read([OVERVIEW_TAB])["overview"].records()
    requests = master(desk, "requests").values()
    open_per_area = Counter(r["area"] for r in requests if r["status"] in ("Nieuw", "In behandeling"))
    shown = {r["area_total"]: int(r["area_open"]) for r in rows if r["area_total"]}
    assert {a: n for a, n in shown.items() if n} == dict(open_per_area)
    intake = desk.read([t for t in TABS if t.kind == "intake"])
    per_day: Counter = Counter()
    for tab_id, sheet in intake.items():
        form = "requests" if "request" in tab_id else "offers"
        for record in sheet.records():
            per_day[(re.sub(r"(\d\d)/(\d\d)/(\d{4}).*", r"\3-\2-\1", record["timestamp"])[:10], form)] += 1
    days = [r for r in rows if r["day"]]
    assert [r["day"] for r in days] == sorted({day for day, _ in per_day})
    assert all((int(r["requests_day"]), int(r["offers_day"])) == (per_day[(r["day"], "requests")],
                                                                  per_day[(r["day"], "offers")]) for r in days)
    assert sum(int(r["offers_day"]) + int(r["requests_day"]) for r in days) == sum(per_day.values())


def test_per_language_open_requests_meet_the_free_volunteers_who_speak_it(desk):
    rows = desk.read([OVERVIEW_TAB])["overview"].records()
    shown = {r["language"]: (int(r["language_open"]), int(r["language_free"])) for r in rows if r["language"]}
    open_by: Counter = Counter()
    for row in master(desk, "requests").values():
        if row["status"] in ("Nieuw", "In behandeling"):
            open_by.update(t.strip() for t in (row["languages"] or row["form_language"]).split(",") if t.strip())
    free_by: Counter = Counter()
    for row in master(desk, "volunteers", matching=True).values():
        if row["status"] == "Actief" and row["screening"] == "Goedgekeurd" and int(row["open_cases"] or 0) < 2:
            free_by.update(t.strip() for t in row["languages"].split(",") if t.strip())
    assert shown == {name: (n, free_by[name]) for name, n in open_by.items()} and len(shown) > 1
    order = [r["language"] for r in rows if r["language"]]
    assert order[0] == min(shown, key=lambda name: (shown[name][1] - shown[name][0], name))  # scarcest first


def test_the_charts_live_in_the_spreadsheet_and_a_second_init_adds_none(desk, server):
    spreadsheet = desk._spreadsheet  # gspread's Spreadsheet, talking to the local server over loopback
    [sheet] = [s for s in spreadsheet.fetch_sheet_metadata()["sheets"] if s["properties"]["title"] == "Overzicht"]
    charts = {c["spec"]["title"]: c for c in sheet["charts"]}
    assert set(charts) == {"Hulpvragen en aanbod per dag", "Open hulpvragen en vrije vrijwilligers per gebied"}
    header = desk.values(["'Overzicht'!1:1"])[0][0]
    daily = charts["Hulpvragen en aanbod per dag"]["spec"]["basicChart"]
    assert daily["chartType"] == "LINE"
    columns = [header[s["sourceRange"]["sources"][0]["startColumnIndex"]]
               for s in (daily["domains"][0]["domain"], *(x["series"] for x in daily["series"]))]
    assert columns == ["Dag", "Hulpvragen per dag", "Aanbod per dag"]
    per_area = charts["Open hulpvragen en vrije vrijwilligers per gebied"]["spec"]["basicChart"]
    assert per_area["chartType"] == "COLUMN"
    assert all(isinstance(c["chartId"], int) for c in charts.values())
    assert init_spreadsheet(desk, TABS).changes_nothing
    assert len(desk.metadata()["sheets"][[s["properties"]["title"] for s in desk.metadata()["sheets"]]
                                         .index("Overzicht")]["charts"]) == 2


def test_the_view_draws_the_charts_from_the_tabs_numbers(desk, server, browser):
    path = f"/spreadsheets/{desk.spreadsheet_id}?tab=Overzicht"
    page = http.get(view_link(server.url, server.token, path), timeout=10)  # a coordinator's browser
    assert page.status_code == 200
    svgs = re.findall(r"<svg.*?</svg>", page.text, re.S)
    assert len(svgs) == 2
    rows = desk.read([OVERVIEW_TAB])["overview"].records()
    areas = [r for r in rows if r["area_total"]]
    per_area = next(s for s in svgs if "per gebied" in s)
    heights = [float(h) for h in re.findall(r'<rect class="bar" x="[\d.]+" y="[\d.]+" width="[\d.]+" '
                                             r'height="([\d.]+)"', per_area)]
    assert len(heights) == 2 * len(areas)  # a bar for open requests and one for free volunteers, per area
    values = [int(r[c]) for r in areas for c in ("area_open", "area_free")]
    biggest = max(values)
    drawn_in_area_order = [heights[i] for n in range(len(areas)) for i in (n, len(areas) + n)]
    assert [round(h / max(heights) * biggest) for h in drawn_in_area_order] == values
    days = [r for r in rows if r["day"]]
    daily = next(s for s in svgs if "per dag" in s)
    assert [len(p.split()) for p in re.findall(r'<polyline class="line" points="([^"]+)"', daily)] == [len(days)] * 2
    # In Chromium: two figures a screen reader can name, and no accessibility violations.
    browser.get(view_link(server.url, server.token, path))
    figures = browser.find_elements(By.CSS_SELECTOR, "figure.chart svg[role=img]")
    assert len(figures) == 2 and all(f.size["width"] == 600 for f in figures)
    assert violations(browser) == []


def test_a_day_is_counted_under_the_first_ten_characters_of_its_submissions_time():
    """Stats and Overzicht count submissions per day under the day as the time cell reads it. Counted per
    date to save formatting every time, the day must read the same for any year a sheet may hold, even
    one a typo made (year 99 reads "99-01-02 1", the hour's first digit included)."""
    from dataclasses import replace
    from datetime import datetime

    from sync.normalise import Submission
    from sync.stats import submissions_per_day

    blank = Submission(*[""] * 4, None, *[""] * 20)
    times = [datetime(year, month, 2, hour) for year in (99, 999, 1000, 2020) for month in (1, 12)
             for hour in (8, 17)] + [None]
    submissions = [replace(blank, submitted_at=when, form=form) for when in times for form in ("offer", "request")]
    expected = Counter((s.time_text[:10], s.form) for s in submissions if s.time_text)
    assert submissions_per_day(submissions) == expected
    assert expected[("99-01-02 0", "offer")] == 1 and expected[("2020-12-02", "request")] == 2
