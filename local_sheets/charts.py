"""Charts: addChart, updateChartSpec and deleteEmbeddedObject as Google takes them, and an SVG of
each basic chart for the local view.

A chart lives in the `charts` of the sheet it floats over (overlayPosition),
as Google lists it in the spreadsheet resource. Its data are GridRanges read
when it is drawn, so it follows what a sync writes. The view draws line,
column and bar charts, the kinds helpt makes; any other chart is kept as
sent and shown as its title.
"""

from __future__ import annotations

import copy
import html
import math
import secrets
from collections.abc import Callable, Sequence
from typing import Any

from .errors import bad_request
from .store import Spreadsheet
from .targets import box, sheet_of

# Google's defaults when a request gives no size: what a chart made in the Sheets editor gets.
DEFAULT_WIDTH, DEFAULT_HEIGHT = 600, 371
DRAWN = ("LINE", "COLUMN", "BAR", "AREA")
# Google's first series colours, in order.
PALETTE = ("#4285f4", "#ea4335", "#fbbc04", "#34a853", "#ff6d01", "#46bdc6")


def _charts(ss: Spreadsheet) -> list[tuple[Any, dict[str, Any]]]:
    return [(sheet, chart) for sheet in ss.sheets for chart in sheet.extras.get("charts", [])]


def _ranges(spec: dict[str, Any]) -> list[dict[str, Any]]:
    basic = spec.get("basicChart") or {}
    parts = [d.get("domain", {}) for d in basic.get("domains", [])] + [s.get("series", {}) for s in
                                                                        basic.get("series", [])]
    return [source for part in parts for source in (part.get("sourceRange") or {}).get("sources", [])]


def _checked_spec(ss: Spreadsheet, spec: Any) -> dict[str, Any]:
    if not isinstance(spec, dict) or not spec:
        raise bad_request("chart.spec is required.")
    for source in _ranges(spec):
        box(sheet_of(ss, source.get("sheetId")), source)  # every source on an existing grid, inside it
    basic = spec.get("basicChart")
    if basic is not None and basic.get("chartType") not in (*DRAWN, "SCATTER", "COMBO", "STEPPED_AREA"):
        raise bad_request(f"Invalid value at 'basicChart.chart_type': {str(basic.get('chartType'))[:30]}")
    return copy.deepcopy(spec)


def add_chart(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    chart = copy.deepcopy(req.get("chart") or {})
    chart["spec"] = _checked_spec(ss, chart.get("spec"))
    overlay = (chart.get("position") or {}).get("overlayPosition")
    if not isinstance(overlay, dict):
        raise bad_request("The local server places charts over a grid only: give position.overlayPosition.")
    anchor = overlay.get("anchorCell") or {}
    sheet = sheet_of(ss, anchor.get("sheetId"))
    if anchor.get("rowIndex", 0) >= sheet.row_count or anchor.get("columnIndex", 0) >= sheet.col_count:
        raise bad_request("The chart's anchorCell lies outside the grid.")
    taken = {c["chartId"] for _, c in _charts(ss)}
    wanted = chart.get("chartId")
    if wanted is not None and wanted in taken:
        raise bad_request(f"An object with id {wanted} already exists.")
    chart["chartId"] = wanted if wanted is not None else _new_id(taken)
    overlay.setdefault("widthPixels", DEFAULT_WIDTH)
    overlay.setdefault("heightPixels", DEFAULT_HEIGHT)
    chart.setdefault("border", {"color": {"red": 1, "green": 1, "blue": 1},
                                "colorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}}})
    sheet.extras.setdefault("charts", []).append(chart)
    return {"addChart": {"chart": copy.deepcopy(chart)}}


def _new_id(taken: set[int]) -> int:
    while (candidate := secrets.randbelow(2_000_000_000) + 1) in taken:
        pass
    return candidate


def _chart_by_id(ss: Spreadsheet, chart_id: Any) -> tuple[Any, dict[str, Any]]:
    for sheet, chart in _charts(ss):
        if chart["chartId"] == chart_id:
            return sheet, chart
    raise bad_request(f"No chart with id: {str(chart_id)[:20]}")


def update_chart_spec(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    _, chart = _chart_by_id(ss, req.get("chartId"))
    chart["spec"] = _checked_spec(ss, req.get("spec"))
    return {}


def delete_embedded_object(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet, chart = _chart_by_id(ss, req.get("objectId"))
    sheet.extras["charts"].remove(chart)
    if not sheet.extras["charts"]:
        del sheet.extras["charts"]
    return {}


# --- drawing ----------------------------------------------------------------------

Cells = Callable[[dict[str, Any]], list[list[Any]]]  # a GridRange -> its cells, row by row


def _column(cells: Cells, source: dict[str, Any]) -> list[Any]:
    return [row[0] if row else "" for row in cells(source)]


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        return None


def chart_svg(chart: dict[str, Any], cells: Cells, index: int) -> str:
    """One chart as an accessible SVG figure: its title, axes, one colour per series and a legend."""
    spec = chart.get("spec") or {}
    title = str(spec.get("title") or "Chart")
    overlay = (chart.get("position") or {}).get("overlayPosition") or {}
    width = int(overlay.get("widthPixels") or DEFAULT_WIDTH)
    height = int(overlay.get("heightPixels") or DEFAULT_HEIGHT)
    basic = spec.get("basicChart")
    if not basic or basic.get("chartType") not in DRAWN:
        return (f'<figure class="chart"><figcaption>{_esc(title)}</figcaption>'
                "<p>The local view draws line, column and bar charts only.</p></figure>")
    header = int(basic.get("headerCount") or 0)
    domains = [_column(cells, s) for d in basic.get("domains", [])[:1]
               for s in (d.get("domain", {}).get("sourceRange") or {}).get("sources", [])[:1]]
    labels = [str(v) for v in (domains[0] if domains else [])]
    series = []
    for n, entry in enumerate(basic.get("series", [])):
        sources = (entry.get("series", {}).get("sourceRange") or {}).get("sources", [])
        values = _column(cells, sources[0]) if sources else []
        name = str(values[0]) if header and values else f"Series {n + 1}"
        series.append((name, [_number(v) for v in values[header:]]))
    labels = labels[header:]
    # Rows where the domain is empty are the unused rest of a whole-column range.
    keep = [i for i, label in enumerate(labels) if label.strip()]
    labels = [labels[i] for i in keep]
    series = [(name, [values[i] if i < len(values) else None for i in keep]) for name, values in series]
    return _draw(basic["chartType"], title, labels, series, width, height, index)


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _nice_top(peak: float) -> float:
    """A round axis top at or above `peak`: 1, 2, 5 or 10 times a power of ten."""
    if peak <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(peak))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= peak)


def _draw(kind: str, title: str, labels: Sequence[str], series: Sequence[tuple[str, list[float | None]]],
          width: int, height: int, index: int) -> str:
    left, right, top, bottom = 48, 16, 40, 72
    plot_w, plot_h = max(width - left - right, 10), max(height - top - bottom, 10)
    peak = max((v for _, values in series for v in values if v is not None), default=0.0)
    top_value = 4 * _nice_top(peak / 4)  # four round steps up the value axis
    ident = f"chart-{index}"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{ident}-title {ident}-desc">',
             f'<title id="{ident}-title">{_esc(title)}</title>',
             f'<desc id="{ident}-desc">{_esc(_description(labels, series))}</desc>',
             f'<rect width="{width}" height="{height}" fill="#fff"/>',
             f'<text x="{width / 2:.0f}" y="24" text-anchor="middle" font-size="15" font-weight="bold" '
             f'fill="#1a1a1a">{_esc(title)}</text>']
    for step in range(5):  # horizontal grid lines and the value axis
        value = top_value * step / 4
        y = top + plot_h - plot_h * step / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ccc"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#3c3c3c">'
                     f"{value:g}</text>")
    slots = max(len(labels), 1)
    slot_w = plot_w / slots
    every = max(1, math.ceil(slots / 12))  # at most a dozen labels under the axis
    for i, label in enumerate(labels):
        if i % every == 0:
            x = left + slot_w * (i + 0.5)
            parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="end" font-size="11" '
                         f'fill="#3c3c3c" transform="rotate(-30 {x:.1f} {top + plot_h + 16})">'
                         f"{_esc(label[:18])}</text>")

    def y_of(value: float) -> float:
        return top + plot_h - plot_h * value / top_value

    for n, (_, values) in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        if kind in ("COLUMN", "BAR"):
            bar_w = slot_w * 0.8 / max(len(series), 1)
            for i, value in enumerate(values):
                if value is None:
                    continue
                x = left + slot_w * i + slot_w * 0.1 + bar_w * n
                parts.append(f'<rect class="bar" x="{x:.1f}" y="{y_of(value):.1f}" width="{bar_w:.1f}" '
                             f'height="{top + plot_h - y_of(value):.1f}" fill="{colour}"/>')
        else:
            points = " ".join(f"{left + slot_w * (i + 0.5):.1f},{y_of(v):.1f}"
                              for i, v in enumerate(values) if v is not None)
            parts.append(f'<polyline class="line" points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
    for n, (name, _) in enumerate(series):  # the legend, under the labels
        x = left + n * 200
        y = height - 12
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{PALETTE[n % len(PALETTE)]}"/>')
        parts.append(f'<text x="{x + 18}" y="{y}" font-size="12" fill="#1a1a1a">{_esc(name[:28])}</text>')
    parts.append("</svg>")
    return f'<figure class="chart">{"".join(parts)}</figure>'


def _description(labels: Sequence[str], series: Sequence[tuple[str, list[float | None]]]) -> str:
    """The chart's numbers in words, for a screen reader."""
    if not labels:
        return "No data yet."
    rows = []
    for i, label in enumerate(labels[:40]):
        values = ", ".join(f"{name} {values[i]:g}" for name, values in series
                           if i < len(values) and values[i] is not None)
        rows.append(f"{label}: {values}")
    return "; ".join(rows) + ("; …" if len(labels) > 40 else "")
