"""What every section of the briefing pack is built from: page geometry, paragraph styles,
the one table style, headings and the small formatting rules for money, ratios and dates.

Kept in one place so that a table in the annex looks like a table in the summary, and
so that no section can forget to escape user text: every string a section hands to
`cell` or `para` goes through `fonts.markup` unless it is marked `Plain` (a value Setu
formatted itself) or `Markup` (markup built here from escaped parts).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from typing import ClassVar, TypeAlias, TypeVar

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app import money as money_
from app.reporting import fonts
from app.reporting.briefing import Name

# Page geometry, shared with pdf.py's frames so that tables sized here always fit.
MARGIN = 15 * mm
TOP = 20 * mm  # room for the marking at the head of the page
BOTTOM = 24 * mm  # room for the footer line and the marking under it
PORTRAIT, LANDSCAPE = "portrait", "landscape"
PAGE_SIZES = {PORTRAIT: A4, LANDSCAPE: landscape(A4)}


def frame_size(template: str) -> tuple[float, float]:
    """Width and height available to the story on a page of `template`."""
    width, height = PAGE_SIZES[template]
    return width - 2 * MARGIN, height - TOP - BOTTOM


PORTRAIT_WIDTH, PORTRAIT_HEIGHT = frame_size(PORTRAIT)
LANDSCAPE_WIDTH, LANDSCAPE_HEIGHT = frame_size(LANDSCAPE)

INK = colors.Color(0.1, 0.1, 0.1)
MUTED = colors.Color(0.4, 0.4, 0.4)
RULE = colors.Color(0.8, 0.8, 0.8)
HEAD_FILL = colors.Color(0.91, 0.92, 0.94)
ZEBRA = colors.Color(0.965, 0.97, 0.975)

CELL_SIZE, MIN_CELL_SIZE, CELL_PADDING = 8.0, 5.5, 3.0

# Heading styles whose paragraphs the contents page lists, with their contents level.
TOC_LEVELS = {"h1": 0, "h2": 1}


class Plain(str):
    """A short value Setu formatted itself (a number, date, amount, fixed code word).

    A table draws it directly, without a Paragraph: much cheaper on a long annex, and
    safe because nothing reads it as markup. It does not wrap, so user text (a
    reference, a category, a code the office chose) is never Plain: it could run into
    the next column.
    """

    __slots__ = ()


class Markup(str):
    """Paragraph markup built from already escaped parts: used as is, not escaped again."""

    __slots__ = ()


T = TypeVar("T")
Cell: TypeAlias = "str | Flowable | Sequence[Flowable]"


@cache
def styles() -> dict[str, ParagraphStyle]:
    """The pack's paragraph styles: Setu fonts, HarfBuzz shaping for Devanagari."""
    fonts.register()
    # Every font the pack uses is shipped and embedded: the bullet too (ReportLab's
    # default bullet font is an unembedded Helvetica).
    body = ParagraphStyle(
        "body",
        fontName=fonts.REGULAR,
        bulletFontName=fonts.REGULAR,
        fontSize=9,
        leading=12,
        shaping=1,
        textColor=INK,
    )

    def derive(name: str, **changes: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=body, **changes)

    found = {
        "body": body,
        "note": derive("note", fontSize=8, leading=10, textColor=MUTED),
        "bullet": derive("bullet", leftIndent=10, bulletIndent=2, spaceAfter=1),
        "cell": derive("cell", fontSize=CELL_SIZE, leading=10),
        "cell_num": derive("cell_num", fontSize=CELL_SIZE, leading=10, alignment=TA_RIGHT),
        "cell_bold": derive("cell_bold", fontName=fonts.BOLD, fontSize=CELL_SIZE, leading=10),
        "cell_bold_num": derive(
            "cell_bold_num", fontName=fonts.BOLD, fontSize=CELL_SIZE, leading=10, alignment=TA_RIGHT
        ),
        "h1": derive("h1", fontName=fonts.BOLD, fontSize=16, leading=20, spaceAfter=8),
        # Looks like h1, but the contents page does not list itself.
        "contents": derive("contents", fontName=fonts.BOLD, fontSize=16, leading=20, spaceAfter=8),
        "h2": derive(
            "h2", fontName=fonts.BOLD, fontSize=11.5, leading=14, spaceBefore=10, spaceAfter=4
        ),
        "h3": derive(
            "h3", fontName=fonts.BOLD, fontSize=9.5, leading=12, spaceBefore=8, spaceAfter=3
        ),
        "title": derive("title", fontName=fonts.BOLD, fontSize=24, leading=30, spaceAfter=6),
        "subtitle": derive("subtitle", fontSize=14, leading=18, textColor=MUTED),
        "marking": derive(
            "marking", fontName=fonts.BOLD, fontSize=22, leading=28, alignment=TA_CENTER
        ),
        "figure": derive("figure", fontName=fonts.BOLD, fontSize=15, leading=18),
        # The audit head: small, in the embedded font (its figures are tabular), not an
        # unembedded Courier.
        "mono": derive("mono", fontSize=7.5, leading=9.5, textColor=MUTED),
        # ReportLab cannot shape a contents line (its page-number tag breaks line
        # breaking), so headings give the contents Latin text (`heading(toc=...)`).
        "toc0": derive(
            "toc0", fontName=fonts.BOLD, fontSize=10.5, leading=15, spaceBefore=5, shaping=0
        ),
        "toc1": derive("toc1", fontSize=9, leading=12, leftIndent=14, shaping=0),
    }
    return found


@cache
def _unshaped(name: str) -> ParagraphStyle:
    # Same name: the contents page finds headings by their style's name.
    return ParagraphStyle(name, parent=styles()[name], shaping=0)


def para(text: str, style: str = "body", **extra: object) -> Paragraph:
    """A paragraph of user text (escaped) or of `Markup`.

    Only Devanagari needs HarfBuzz (Latin and Cyrillic print the same without it), and
    shaping every word of a long annex costs more than the rest of its layout; so a
    paragraph with no Devanagari run (`fonts.markup` sets those in their own font) is
    set unshaped.
    """
    source = text if isinstance(text, Markup) else fonts.markup(text)
    chosen = styles()[style] if fonts.DEVANAGARI in source else _unshaped(style)
    return Paragraph(source, chosen, **extra)


def markup(text: object) -> Markup:
    return Markup(fonts.markup(text))


def bold(text: object) -> Markup:
    return Markup(f"<b>{fonts.markup(text)}</b>")


def join(*parts: str, sep: str = " ") -> Markup:
    """Concatenate user text and markup into markup, escaping whatever is not `Markup`."""
    return Markup(sep.join(p if isinstance(p, Markup) else fonts.markup(p) for p in parts))


def small(text: str) -> Markup:
    """A second, smaller grey line inside a table cell (a lead, a supplier, a detail)."""
    inner = text if isinstance(text, Markup) else fonts.markup(text)
    return Markup(f'<br/><font size="7" color="#666666">{inner}</font>')


def bullets(items: Iterable[str], *, limit: int | None = None, more: str = "") -> list[Flowable]:
    """A bulleted list; beyond `limit` items, one line saying how many more there are."""
    shown = list(items)
    hidden = 0
    if limit is not None and len(shown) > limit:
        hidden, shown = len(shown) - limit, shown[:limit]
    story: list[Flowable] = [para(item, "bullet", bulletText="•") for item in shown]
    if hidden:
        story.append(para(f"… and {hidden} more{more}.", "note"))
    return story


class Titled(KeepTogether):  # type: ignore[misc]
    """A sub-heading with what it introduces, never leaving the heading alone at a page foot.

    When the block would split but fits on one page, it moves to the next page whole,
    like KeepTogether. When it is longer than a page (a long table), it starts where it
    is if `room` is left there (a few rows under the heading), else on the next page:
    moving it whole would only leave a gap. (keepWithNext cannot tell the two apart.)
    """

    def __init__(self, flowables: Sequence[Flowable], room: float) -> None:
        super().__init__(list(flowables))
        self._room = room

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (available_width, available_height):
            self.wrap(available_width, available_height)
        frame = getattr(self, "_frame", None)
        if frame is None or self._H <= frame._height:
            return list(super().split(available_width, available_height))
        return [CondPageBreak(self._room), *self._content]


def heading(
    text: str,
    level: int = 1,
    body: Sequence[Flowable] = (),
    *,
    room: float = 40 * mm,
    toc: str | None = None,
) -> list[Flowable]:
    """A heading (level 0: a section, 1: listed in the contents, 2: not) and its `body`.

    ReportLab cannot shape a contents line, so a heading with Devanagari in it is
    listed in the contents as `toc` (Latin text) when given.
    """
    title = para(text, ("h1", "h2", "h3")[level])
    if toc is not None and any("\u0900" <= ch <= "\u097f" for ch in text):
        title.toc_text = toc
    if level == 0:
        return [title, *body]
    return [Titled([title, *body], room)]


def gap(height: float = 4 * mm) -> Spacer:
    return Spacer(1, height)


def to_landscape() -> list[Flowable]:
    return [NextPageTemplate(LANDSCAPE), PageBreak()]


# Formatting ----------------------------------------------------------------------------


def money(minor: int | None, currency: str) -> Plain:
    """An exact amount as officials write it: lakh and crore grouping for rupees."""
    if minor is None:
        return Plain("n/a")
    return Plain(money_.display(minor, currency, indian_grouping=currency == "INR"))


def pct(value: Decimal | None) -> Plain:
    # A no-break space: a narrow cell must not leave the "%" alone on the next line.
    return Plain("n/a" if value is None else f"{value:.1f}\u00a0%")


def ratio(value: Decimal | None) -> Plain:
    return Plain("n/a" if value is None else f"{value:.2f}")


def day(value: date | None, missing: str = "") -> Plain:
    return Plain(missing if value is None else value.isoformat())


def signed(n: int) -> Plain:
    """Days of slip or movement: "+21", "-4", and a plain "0" for none."""
    return Plain(f"{n:+d}" if n else "0")


def count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def name(who: Name | None) -> Markup:
    """The Latin short name with the name in its own script beside it, as partners write it."""
    if who is None:
        return Markup("")
    if who.native == who.latin or not who.native:
        return markup(who.latin)
    # One string, so the brackets join the native words they touch: a word mixing the
    # Latin and Devanagari fonts cannot be shaped.
    return markup(f"{who.latin} ({who.native})")


# Long lists ----------------------------------------------------------------------------


def worst_first(items: Sequence[T], limit: int, severity: Callable[[T], int]) -> list[T]:
    """At most `limit` items: the most severe, ties in their given order, shown in that
    order. A pack read in ten minutes lists what needs attention; the registers hold
    the rest."""
    if len(items) <= limit:
        return list(items)
    chosen = sorted(range(len(items)), key=lambda i: (-severity(items[i]), i))[:limit]
    return [items[i] for i in sorted(chosen)]


def left_out(shown: int, total: int, what: str, where: str) -> list[Flowable]:
    """A note saying how many rows a capped list leaves out, and where to find them all."""
    if total <= shown:
        return []
    return [
        para(
            f"{total - shown} of {total} {what} are left out here, which lists {shown}. {where}",
            "note",
        ),
        gap(2 * mm),
    ]


# Tables --------------------------------------------------------------------------------


def _cell(value: Cell, numeric: bool, strong: bool) -> Cell:
    if isinstance(value, Plain):
        return value
    if isinstance(value, str):
        style = ("cell_bold" if strong else "cell") + ("_num" if numeric else "")
        return para(value, style)
    return value


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
    last = len(rows)
    data = [
        [_cell(markup(h) if h else Plain(""), i in numeric, True) for i, h in enumerate(header)]
    ]
    data += [
        [_cell(v, i in numeric, total and r == last) for i, v in enumerate(row)]
        for r, row in enumerate(rows, start=1)
    ]
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
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
