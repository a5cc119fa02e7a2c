"""What every section of the briefing pack is built from: page geometry, paragraph styles,
headings and the small formatting rules for money, ratios and dates (tables are in
`tables`).

Kept in one place so that no section can forget to escape user text: every string a
section hands to `para` or a table goes through `fonts.markup` unless it is marked
`Plain` (a value Setu formatted itself) or `Markup` (markup built here from escaped
parts).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from typing import TypeVar

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
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


def source_and_style(text: str, style: str) -> tuple[str, ParagraphStyle]:
    """Paragraph markup for user text (escaped) or `Markup`, and the style to set it in.

    Only Devanagari needs HarfBuzz (Latin and Cyrillic print the same without it), and
    shaping every word of a long annex costs more than the rest of its layout; so a
    paragraph with no Devanagari run (`fonts.markup` sets those in their own font) is
    set unshaped.
    """
    source = text if isinstance(text, Markup) else fonts.markup(text)
    return source, styles()[style] if fonts.DEVANAGARI in source else _unshaped(style)


def para(text: str, style: str = "body", **extra: object) -> Paragraph:
    """A paragraph of user text (escaped) or of `Markup`."""
    source, chosen = source_and_style(text, style)
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


def bullets(
    items: Iterable[str], *, limit: int | None = None, more: str = "", hidden: int = 0
) -> list[Flowable]:
    """A bulleted list; beyond `limit` items, one line saying how many more there are
    (counting the `hidden` items a caller left out before formatting them)."""
    shown = list(items)
    if limit is not None and len(shown) > limit:
        hidden, shown = hidden + len(shown) - limit, shown[:limit]
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


class Heading(Paragraph):  # type: ignore[misc]
    """A heading: `contents.index` gives those the contents lists a `toc_key`.

    It never splits: the layout reports it to the contents and the outline as the one
    flowable it was given, on the one page it is on.
    """

    toc_key: str | None = None
    toc_text: str | None = None  # the contents' Latin text for a Devanagari heading

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return []


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
    title = Heading(*source_and_style(text, ("h1", "h2", "h3")[level]))
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


def export_command(kind: str, audience: str) -> str:
    """The command that writes a whole register, as this pack's audience may see it."""
    chosen = "" if audience == "joint" else f" --audience {audience}"
    return f"`setu export {kind} --out {kind}.xlsx{chosen}`"


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
