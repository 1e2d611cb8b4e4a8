"""The local Sheets server's HTML views and xlsx/CSV exports."""
import csv
import io
import re
from html.parser import HTMLParser

import openpyxl
import pytest

from local_sheets import render

XSS = "<script>alert(1)</script>"


def make_spreadsheet(**extra):
    sheets = [
        {"properties": {"sheetId": 2, "title": "Volunteers", "index": 1,
                        "gridProperties": {"rowCount": 1000, "columnCount": 5}}},
        {"properties": {"sheetId": 1, "title": "Requests", "index": 0,
                        "gridProperties": {"rowCount": 1000, "columnCount": 5,
                                           "frozenRowCount": 1}},
         "protectedRanges": [{"range": {"sheetId": 1, "startColumnIndex": 0,
                                        "endColumnIndex": 1},
                              "description": "system column", "warningOnly": True}]},
    ]
    spreadsheet = {"spreadsheetId": "abc/1", "properties": {"title": "Leuven Helpt"},
                   "sheets": sheets}
    spreadsheet.update(extra)
    return spreadsheet


GRIDS = {
    "Requests": [["id", "name", "note"],
                 ["R-000001", XSS, 'say "hi" & bye'],
                 ["R-000002", "Anna", 3]],
    "Volunteers": [["id", "name"], ["V-000001", "Bert"]],
}


class Collector(HTMLParser):
    """Records every element with its attributes and the section it sits in."""

    def __init__(self):
        super().__init__()
        self.elements, self.stack, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs), tuple(self.stack)))
        if tag not in {"meta", "br", "link"}:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag):]

    def handle_data(self, data):
        self.text.append((tuple(self.stack), data))

    def find(self, tag, **attrs):
        return [(a, ctx) for t, a, ctx in self.elements
                if t == tag and all(a.get(k) == v for k, v in attrs.items())]

    def texts_in(self, tag):
        return [d for ctx, d in self.text if tag in ctx]


def parse(page):
    parser = Collector()
    parser.feed(page)
    return parser


def test_index_lists_spreadsheets_with_quoted_links():
    page = render.render_index([{"id": "a b/c", "title": XSS, "sheet_count": 3}])
    doc = parse(page)
    assert doc.find("html", lang="en")
    assert "helpt — local spreadsheets" in doc.texts_in("title")
    assert doc.find("a", href="/spreadsheets/a%20b%2Fc")
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_index_empty_points_to_init():
    page = render.render_index([])
    assert "No spreadsheet exists yet" in page and "helpt init" in page


def test_spreadsheet_escapes_public_values():
    page = render.render_spreadsheet(make_spreadsheet(), GRIDS, "Requests")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "say &quot;hi&quot; &amp; bye" in page
    assert XSS in parse(page).texts_in("td")


def test_spreadsheet_page_structure():
    page = render.render_spreadsheet(make_spreadsheet(), GRIDS, None)
    doc = parse(page)
    assert doc.find("html", lang="en")
    assert any("Leuven Helpt" in t for t in doc.texts_in("title"))
    assert doc.texts_in("caption")
    assert "read-only" in page
    assert "<script" not in page
    assert doc.find("a", href="/spreadsheets/abc%2F1/export.xlsx")
    assert doc.find("a", href="/spreadsheets/abc%2F1/export/Requests.csv")


def test_tab_navigation_defaults_to_first_tab_by_index():
    doc = parse(render.render_spreadsheet(make_spreadsheet(), GRIDS, None))
    tabs = [a["href"] for a, ctx in doc.find("a") if "nav" in ctx]
    assert tabs == ["?tab=Requests", "?tab=Volunteers"]
    current = doc.find("a", **{"aria-current": "page"})
    assert [a["href"] for a, _ in current] == ["?tab=Requests"]
    assert "R-000001" in doc.texts_in("td")


def test_active_tab_shows_its_rows_and_quotes_titles():
    spreadsheet = make_spreadsheet()
    spreadsheet["sheets"][0]["properties"]["title"] = "Vrijwilligers & co"
    grids = {"Requests": GRIDS["Requests"], "Vrijwilligers & co": GRIDS["Volunteers"]}
    doc = parse(render.render_spreadsheet(spreadsheet, grids, "Vrijwilligers & co"))
    current = doc.find("a", **{"aria-current": "page"})
    assert [a["href"] for a, _ in current] == ["?tab=Vrijwilligers%20%26%20co"]
    assert "V-000001" in doc.texts_in("td") and "R-000001" not in doc.texts_in("td")
    assert doc.find("a", href="/spreadsheets/abc%2F1/export/Vrijwilligers%20%26%20co.csv")


def test_frozen_header_row_in_thead_with_column_letters():
    doc = parse(render.render_spreadsheet(make_spreadsheet(), GRIDS, "Requests"))
    thead_cols = [a for a, ctx in doc.find("th", scope="col") if "thead" in ctx]
    assert len(thead_cols) == 6  # A B C + id name note
    head_text = doc.texts_in("thead")
    assert {"A", "B", "C", "id", "name", "note"} <= {t.strip() for t in head_text}
    assert "id" not in doc.texts_in("tbody")
    row_numbers = [t for ctx, t in doc.text if "tbody" in ctx and "th" in ctx]
    assert row_numbers == ["2", "3"]


def test_column_letters_go_past_z():
    grids = {"Volunteers": [list(range(28))]}  # no frozen rows: thead = letters
    doc = parse(render.render_spreadsheet(make_spreadsheet(), grids, "Volunteers"))
    head = [t.strip() for t in doc.texts_in("thead") if t.strip()]
    assert head[-3:] == ["Z", "AA", "AB"]


def test_protected_column_is_marked():
    doc = parse(render.render_spreadsheet(make_spreadsheet(), GRIDS, "Requests"))
    locked = doc.find("th", scope="col", **{"class": "ref locked"})
    assert len(locked) == 1 and "system column" in locked[0][0]["title"]
    assert all("locked" in a.get("class", "") for a, ctx in doc.find("td")
               if a.get("title"))
    assert len([a for a, _ in doc.find("td") if "locked" in a.get("class", "")]) == 2


def test_formats_become_inline_css():
    formats = {"Requests": [
        {"range": {"sheetId": 1, "startRowIndex": 1, "endRowIndex": 2},
         "format": {"backgroundColor": {"red": 1, "green": 0.8}}},
        {"range": {"sheetId": 1, "startRowIndex": 2, "startColumnIndex": 1,
                   "endColumnIndex": 2},
         "format": {"backgroundColor": {"blue": 0.2}, "textFormat": {"bold": True}}},
    ]}
    doc = parse(render.render_spreadsheet(make_spreadsheet(_formats=formats), GRIDS, "Requests"))
    styles = [a.get("style", "") for a, ctx in doc.find("td") if "tbody" in ctx]
    # Row 2: all three cells yellow; row 3: only column B dark blue, bold, white text.
    assert styles[:3] == ["background:#ffcc00;color:#1a1a1a"] * 3
    assert styles[3:] == ["", "background:#000033;color:#fff;font-weight:bold", ""]


def test_empty_colour_is_black_with_white_text():
    formats = {"Requests": [{"range": {"sheetId": 1}, "format": {"backgroundColor": {}}}]}
    page = render.render_spreadsheet(make_spreadsheet(_formats=formats), GRIDS, "Requests")
    assert 'style="background:#000000;color:#fff"' in page


def test_row_cap_says_how_many_more():
    grids = {"Requests": [["id"]] + [[f"R-{i:06d}"] for i in range(2500)]}
    doc = parse(render.render_spreadsheet(make_spreadsheet(), grids, "Requests"))
    assert len(doc.find("tr")) == 1 + render.MAX_ROWS  # letters row + rows shown
    assert any("501 more rows" in t for t in doc.texts_in("p"))


def test_empty_tab_and_ragged_rows():
    grids = {"Requests": [["a"], ["b", "c", "d"]], "Volunteers": []}
    page = render.render_spreadsheet(make_spreadsheet(), grids, "Requests")
    rows = re.findall(r"<tr>(.*?)</tr>", page)
    # Short rows are padded to the widest: corner/row number + 3 cells each.
    assert [len(re.findall(r"<t[dh][ >]", r)) for r in rows] == [4, 4, 4]
    page = render.render_spreadsheet(make_spreadsheet(), grids, "Volunteers")
    assert "is empty" in page


def load(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_has_tabs_in_order_with_values_and_frozen_header():
    wb = load(render.to_xlsx(make_spreadsheet(), GRIDS))
    assert wb.sheetnames == ["Requests", "Volunteers"]
    rows = [list(r) for r in wb["Requests"].iter_rows(values_only=True)]
    assert rows == [["id", "name", "note"], ["R-000001", XSS, 'say "hi" & bye'],
                    ["R-000002", "Anna", 3]]
    assert wb["Requests"].freeze_panes == "A2"
    assert wb["Volunteers"].freeze_panes is None


@pytest.mark.parametrize("text", ['=IMPORTRANGE("a","b")', "+32 470 12 34 56",
                                  "-1+2", "@SUM(A1)", "\t=1", "\r=1"])
def test_xlsx_never_stores_text_as_formula(text):
    grids = {"Requests": [["id", "phone"], ["R-1", text]], "Volunteers": []}
    cell = load(render.to_xlsx(make_spreadsheet(), grids))["Requests"]["B2"]
    assert cell.data_type == "s"
    assert cell.value == text.replace("\r", "\n") or cell.value == text


def test_xlsx_numbers_stay_numbers():
    grids = {"Requests": [[1, 2.5, True, "3"]], "Volunteers": []}
    ws = load(render.to_xlsx(make_spreadsheet(), grids))["Requests"]
    assert [c.value for c in ws[1]] == [1, 2.5, True, "3"]
    assert [c.data_type for c in ws[1]] == ["n", "n", "b", "s"]


def test_xlsx_titles_sanitised_and_unique():
    long = "A very long tab title that Excel will not accept"
    titles = [long, long + " too", "a/b:c", "A_B_C", "history", "'quoted'"]
    sheets = [{"properties": {"sheetId": i, "title": t, "index": i}}
              for i, t in enumerate(titles)]
    wb = load(render.to_xlsx({"spreadsheetId": "x", "sheets": sheets}, {}))
    names = wb.sheetnames
    assert all(len(n) <= 31 for n in names)
    assert len({n.lower() for n in names}) == len(titles)
    assert names[0] == long[:31] and names[1].endswith(" (2)")
    assert names[2] == "a_b_c" and names[3] == "A_B_C (2)"
    assert names[4] == "history (2)" and names[5] == "quoted"


def test_csv_round_trips():
    rows = [["id", "note"], ["R-1", 'a, "quoted"\nline'], ["R-2", "=1+1", 3]]
    text = render.to_csv(rows, for_people=False)  # the Drive export API: exactly as stored
    # Google's export (recorded by gspread: 'a1,B2') has no line break after the last row.
    assert text.endswith(",3") and "\r\n" in text.split('"')[0]
    assert render.to_csv(rows, for_people=True).endswith("\r\n")
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["id", "note"], ["R-1", 'a, "quoted"\nline'], ["R-2", "=1+1", "3"]]
