"""The neighbour card as a PDF: four A6 cards (landscape) on one A4, to cut along the dashed lines.

fpdf2 writes it in pure Python (WeasyPrint would need system libraries a
platform's dyno does not have). DejaVu Sans, shipped in webhooks/fonts, prints
every name a neighbour may have, not only the Latin-1 of PDF's own fonts.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF

from .card import CardSide

FONTS = Path(__file__).parent / "fonts"
CARD_W, CARD_H = 148.5, 105.0  # A6 landscape: four fill an A4 landscape page
MARGIN, GAP, QR = 7.0, 6.0, 26.0


def card_pdf(sides: Sequence[CardSide], qr_png: bytes) -> bytes:
    """The PDF bytes: the same card four times, its languages side by side, the QR code bottom right."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_title("helpt")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    for row in range(2):
        for column in range(2):
            _card(pdf, column * CARD_W, row * CARD_H, sides, qr_png)
    pdf.set_draw_color(140)
    with pdf.local_context(dash_pattern={"dash": 2, "gap": 2}):  # where to cut
        pdf.line(CARD_W, 0, CARD_W, 2 * CARD_H)
        pdf.line(0, CARD_H, 2 * CARD_W, CARD_H)
    return bytes(pdf.output())


def _card(pdf: FPDF, x0: float, y0: float, sides: Sequence[CardSide], qr_png: bytes) -> None:
    width = (CARD_W - 2 * MARGIN - (len(sides) - 1) * GAP) / len(sides)
    large = 15 if len(sides) == 1 else 12.5  # points: large print, for neighbours with poor sight
    for n, side in enumerate(sides):
        x = x0 + MARGIN + n * (width + GAP)
        pdf.set_xy(x, y0 + MARGIN)
        for text, style, size in ((side.greeting, "B", large), (side.offer, "", large), (side.desk, "", 10)):
            if not text:
                continue
            pdf.set_font("DejaVu", style, size)
            pdf.multi_cell(width, size * 0.45, text, align="L", new_x="LEFT", new_y="NEXT")
            pdf.set_xy(x, pdf.get_y() + 2)  # (ln() would go back to the page's margin, not this column's)
    first = sides[0]
    pdf.image(io.BytesIO(qr_png), x=x0 + CARD_W - MARGIN - QR, y=y0 + CARD_H - MARGIN - QR, w=QR, h=QR)
    pdf.set_font("DejaVu", "", 8)
    pdf.set_xy(x0 + MARGIN, y0 + CARD_H - MARGIN - 9)
    pdf.multi_cell(CARD_W - 2 * MARGIN - QR - 3, 4, f"{first.online}\n{first.form_url}", align="L")
