"""The pack's tables: the one table style, layout grids, and the trend arrow cells hold.

Most of a long pack is table cells, and a `Paragraph` per cell is what its layout
spends most on (markup parsed, lines broken again for every wrap and draw). So a cell
of plain user text is broken into lines here, once, and drawn as the table's own
string; only a cell that needs markup or shaping (Devanagari) is a `Paragraph`, shared
by the cells that hold the same text.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import cache
from typing import ClassVar, TypeAlias

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from app.reporting import fonts
from app.reporting.sections_common import (
    CELL_PADDING,
    CELL_SIZE,
    HEAD_FILL,
    INK,
    MIN_CELL_SIZE,
    RULE,
    ZEBRA,
    Markup,
    Plain,
    para,
    source_and_style,
)

Cell: TypeAlias = "str | Flowable | Sequence[Flowable]"


@cache
def _glyphs(font: str) -> frozenset[int]:
    fonts.register()
    return frozenset(pdfmetrics.getFont(font).face.charToGlyph)


def wrap_plain(text: str, font: str, size: float, room: float) -> str | None:
    """`text` broken into lines ("\\n") no wider than `room`, as a Paragraph would break
    it, or None when it must be a Paragraph: a character the font lacks (Devanagari is
    shaped in its own font) or a word wider than the column (a Paragraph splits it)."""
    words = text.split()
    if not words or not set(map(ord, text)) <= _glyphs(font):
        return None
    space = stringWidth(" ", font, size)
    # A Paragraph lets each space on a line shrink a little to fit one more word.
    shrink = space * rl_config.spaceShrinkage
    lines: list[str] = []
    line: list[str] = []
    width = 0.0
    for word in words:
        w = stringWidth(word, font, size)
        if w > room:
            return None
        if line and width + space + w > room + shrink * len(line):
            lines.append(" ".join(line))
            line, width = [word], w
        else:
            width = width + space + w if line else w
            line.append(word)
    lines.append(" ".join(line))
    return "\n".join(lines)


class CellParagraph(Paragraph):  # type: ignore[misc]
    """A cell's paragraph that remembers its last wrap: a table wraps each cell when it
    measures its rows, again when it is split or kept together, and again to draw it,
    always at the column's width. One instance serves every cell with the same text."""

    _wrapped: tuple[float, tuple[float, float]] | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self._wrapped is not None and self._wrapped[0] == available_width:
            return self._wrapped[1]
        size = super().wrap(available_width, available_height)
        self._wrapped = (available_width, size)
        return size  # type: ignore[no-any-return]


class _Cells:
    """Turns a table's values into cells, sharing a paragraph among cells of equal text."""

    def __init__(self) -> None:
        self._paragraphs: dict[tuple[str, str], CellParagraph] = {}

    def cell(self, value: Cell, numeric: bool, strong: bool, room: float) -> Cell:
        if isinstance(value, Plain) or not isinstance(value, str):
            return value
        if not isinstance(value, Markup):
            lines = wrap_plain(value, fonts.BOLD if strong else fonts.REGULAR, CELL_SIZE, room)
            if lines is not None:
                return lines
        style = ("cell_bold" if strong else "cell") + ("_num" if numeric else "")
        key = (value if isinstance(value, Markup) else fonts.markup(value), style)
        found = self._paragraphs.get(key)
        if found is None:
            found = self._paragraphs[key] = CellParagraph(*source_and_style(value, style))
        return found


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    width: float,
    *,
    numeric: Collection[int] = (),
    total: bool = False,
    empty: str = "None.",
) -> Flowable:
    """The pack's one table style: bold header repeated on every page, thin rules, zebra.

    `widths` are relative; the columns are scaled to exactly `width`, so a table never
    overflows its frame. Columns listed in `numeric` are right-aligned. With `total` the
    last row is a bold totals row under a rule. No rows: the `empty` sentence instead.
    """
    if not rows:
        return para(empty)
    scale = width / sum(widths)
    col_widths = [w * scale for w in widths]
    rooms = [w - 2 * CELL_PADDING for w in col_widths]
    last = len(rows)
    cells = _Cells()
    data = [
        [cells.cell(h or Plain(""), i in numeric, True, rooms[i]) for i, h in enumerate(header)]
    ]
    data += [
        [cells.cell(v, i in numeric, total and r == last, rooms[i]) for i, v in enumerate(row)]
        for r, row in enumerate(rows, start=1)
    ]
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
        ("FONTNAME", (0, 0), (-1, 0), fonts.BOLD),
        ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
        ("LEADING", (0, 0), (-1, -1), 10),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
    ]
    commands += [("ALIGN", (i, 0), (i, -1), "RIGHT") for i in numeric]
    if total:
        commands += [
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK),
            ("FONTNAME", (0, -1), (-1, -1), fonts.BOLD),
            ("BACKGROUND", (0, -1), (-1, -1), colors.white),
        ]
    commands += _shrink_to_fit(data, col_widths, bold_last=total)
    return Table(
        data, colWidths=col_widths, repeatRows=1, style=TableStyle(commands), hAlign="LEFT"
    )


def _shrink_to_fit(
    data: Sequence[Sequence[Cell]], col_widths: Sequence[float], *, bold_last: bool
) -> list[tuple[object, ...]]:
    """Smaller type for a `Plain` cell too wide for its column (a large amount).

    A Plain value does not wrap, and splitting "₹12,35,00,00,00,000.00" over two lines
    would misread; printed a little smaller it still fits its column.
    """
    commands: list[tuple[object, ...]] = []
    last = len(data) - 1
    for r, row in enumerate(data):
        font = fonts.BOLD if r == 0 or (bold_last and r == last) else fonts.REGULAR
        for c, value in enumerate(row):
            if not isinstance(value, Plain) or not value:
                continue
            room = col_widths[c] - 2 * CELL_PADDING
            needed = stringWidth(value, font, CELL_SIZE)
            if needed > room:
                size = max(MIN_CELL_SIZE, CELL_SIZE * room / needed)
                commands.append(("FONTSIZE", (c, r), (c, r), size))
    return commands


def grid(
    rows: Sequence[Sequence[Cell]],
    col_widths: Sequence[float],
    commands: Sequence[tuple[object, ...]] = (),
) -> Table:
    """A layout table (no header, no rules unless `commands` add them), left-aligned.

    Its font is set even though every cell is a flowable: ReportLab selects the
    table's font while drawing, and its default is an unembedded Helvetica.
    """
    style = [("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    return Table(
        [list(row) for row in rows],
        colWidths=list(col_widths),
        hAlign="LEFT",
        style=TableStyle([*style, *commands]),
    )


def facts(pairs: Sequence[tuple[str, Cell]], width: float, label_share: float = 0.28) -> Table:
    """Label/value lines without a header (the cover's particulars), in body type."""
    data = [
        [para(label, "cell_bold"), para(value) if isinstance(value, str) else value]
        for label, value in pairs
    ]
    return grid(
        data,
        [width * label_share, width * (1 - label_share)],
        [
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ],
    )


def side_by_side(cells: Sequence[Flowable | list[Flowable]], width: float) -> Table:
    """Flowables in equal columns on one row (the two heat maps, the key figures)."""
    return grid(
        [cells],
        [width / len(cells)] * len(cells),
        [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)],
    )


class TrendArrow(Flowable):  # type: ignore[misc]
    """An arrow (↑ ↓ →) drawn in vector lines, followed by its word.

    The shipped fonts have no arrow glyphs, and a missing glyph prints as a box; the
    word keeps the trend readable in text extraction and on a poor photocopy.
    """

    _ANGLES: ClassVar[dict[str, float]] = {"up": 90.0, "down": -90.0, "flat": 0.0}

    def __init__(self, trend: str) -> None:
        super().__init__()
        self.trend = trend if trend in self._ANGLES else "flat"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return min(available_width, 34.0), 10.0

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(INK)
        canvas.setFillColor(INK)
        canvas.setLineWidth(0.9)
        canvas.translate(4.5, 4.5)
        canvas.rotate(self._ANGLES[self.trend])
        canvas.line(-3.8, 0, 1.5, 0)
        path = canvas.beginPath()
        path.moveTo(4.2, 0)
        path.lineTo(0.6, 2.6)
        path.lineTo(0.6, -2.6)
        path.close()
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()
        canvas.setFont(fonts.REGULAR, 8)
        canvas.setFillColor(INK)
        canvas.drawString(11, 2, self.trend)
