"""The briefing pack's charts, as vector ReportLab Drawings (each is a platypus flowable).

A government office prints the pack in black and white, so no chart relies on colour:
ratings carry a letter, bars a hatch or grey level plus a legend, lines a dash
pattern and marker shape, and every value that matters is printed as a number.
Every public function registers the shipped fonts first, because a Drawing built
before registration would fall back to Helvetica, which has no Cyrillic.

The schedule charts (timeline, milestone trend) live in `charts_schedule`; they are
re-exported here so the pack imports every chart from one place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from reportlab.lib import colors

from app.domain import IMPACT_WORDS, LIKELIHOOD_WORDS, Rating, rating
from app.money import SYMBOLS, minor_digits, to_major
from app.reporting.charts_common import (
    INK,
    MUTED,
    RULE,
    WHITE,
    Drawing,
    Group,
    Legend,
    Line,
    Rect,
    canvas,
    fit,
    hatch,
    text,
    vertical_text,
    width_of,
)
from app.reporting.charts_schedule import TimelineRow, timeline, trend_chart

__all__ = [
    "TimelineRow",
    "compact_money",
    "cost_share_chart",
    "heat_map",
    "rag_badge",
    "timeline",
    "trend_chart",
]

# Three fills whose grey values (about 95 %, 71 % and 36 %) stay apart on a mono printer.
RATING_FILL = {
    Rating.LOW: colors.Color(0.93, 0.97, 0.91),
    Rating.MEDIUM: colors.Color(0.93, 0.7, 0.22),
    Rating.HIGH: colors.Color(0.69, 0.23, 0.18),
}
RATING_WORD = {Rating.LOW: "Low", Rating.MEDIUM: "Medium", Rating.HIGH: "High"}


def _on(fill_rating: Rating) -> colors.Color:
    """Ink that reads on a cell: white on the dark HIGH fill, near-black elsewhere."""
    return WHITE if fill_rating is Rating.HIGH else INK


def heat_map(matrix: Sequence[Sequence[int]], title: str, width: float, height: float) -> Drawing:
    """The 5x5 risk matrix with the number of risks in each cell.

    `matrix[0]` is likelihood 5 (the top row) down to `matrix[4]`, likelihood 1; column 0
    is impact 1 .. column 4 impact 5, the orientation of `setu summary --json`, so the
    pack can pass that structure unchanged. Each cell is shaded by its rating and also
    carries the rating's letter, so a greyscale copy loses nothing.
    """
    if len(matrix) != 5 or any(len(row) != 5 for row in matrix):
        raise ValueError("a risk matrix has 5 rows of 5 counts")
    drawing = canvas(width, height)
    pad = 3.0
    font = min(max(min(width, height) * 0.028, 5.0), 7.0)
    title_size = min(max(height * 0.045, 7.0), 10.0)
    title_y = height - pad - title_size * 0.8
    drawing.add(
        text(
            pad, title_y, fit(title, title_size, width - 2 * pad, bold=True), title_size, bold=True
        )
    )
    # The unit, under the title: the cells count risks, they are not scores.
    drawing.add(text(pad, title_y - font - 3, "Number of risks in each cell", font, color=MUTED))

    rows = [(n, LIKELIHOOD_WORDS[n]) for n in range(5, 0, -1)]
    number_room = width_of("5", font, bold=True) + 6
    word_room = max(width_of(word, font) for _, word in rows) + 3
    left = pad + font + 4 + word_room + number_room
    bottom = pad + (font + 5) + (font + 4) + 2 * (font + 1.5) + 2
    top = title_y - font - 7
    cell_w, cell_h = (width - pad - left) / 5, (top - bottom) / 5

    for r, (likelihood, word) in enumerate(rows):
        y_mid = top - (r + 0.5) * cell_h
        baseline = y_mid - font * 0.35
        drawing.add(text(left - 3, baseline, str(likelihood), font, anchor="end", bold=True))
        drawing.add(text(left - number_room, baseline, word, font, anchor="end"))
        for c in range(5):
            cell = rating(likelihood, c + 1)
            _cell(drawing, left + c * cell_w, top - (r + 1) * cell_h, cell_w, cell_h, cell)
            _count(drawing, left + (c + 0.5) * cell_w, y_mid, matrix[r][c], cell_w, cell_h, cell)
    for c in range(5):
        x_mid = left + (c + 0.5) * cell_w
        drawing.add(text(x_mid, bottom - font - 1, str(c + 1), font, anchor="middle", bold=True))
        word = fit(IMPACT_WORDS[c + 1], font, cell_w - 1)
        drawing.add(text(x_mid, bottom - 2 * font - 2.5, word, font, anchor="middle"))

    axis_y = bottom - 3 * font - 5
    drawing.add(text(left + 2.5 * cell_w, axis_y, "Impact", font, anchor="middle", bold=True))
    axis_x = pad + font * 0.8
    drawing.add(vertical_text(axis_x, (top + bottom) / 2, "Likelihood", font, bold=True))
    drawing.add(_rating_legend(left, pad, font))
    return drawing


def _cell(drawing: Drawing, x: float, y: float, w: float, h: float, cell: Rating) -> None:
    # White gutters keep neighbouring cells of the same rating apart when printed.
    drawing.add(Rect(x, y, w, h, fillColor=RATING_FILL[cell], strokeColor=WHITE, strokeWidth=1.2))
    size = min(max(min(w, h) * 0.18, 4.5), 6.5)
    letter = cell.value[0]
    drawing.add(text(x + 2.5, y + h - size - 1.5, letter, size, bold=True, color=_on(cell)))


def _count(
    drawing: Drawing, x: float, y: float, count: int, w: float, h: float, cell: Rating
) -> None:
    """The count, large and bold; a zero is printed small and faint so the eye skips it."""
    size = min(max(min(w, h) * 0.42, 7.0), 18.0)
    if count:
        drawing.add(
            text(x, y - size * 0.35, str(count), size, anchor="middle", bold=True, color=_on(cell))
        )
        return
    faint = colors.Color(0.85, 0.85, 0.85) if cell is Rating.HIGH else MUTED
    drawing.add(text(x, y - size * 0.25, "0", size * 0.6, anchor="middle", color=faint))


def _rating_legend(x: float, y: float, font: float) -> Group:
    legend, size = Legend(x, y, font), font + 2
    for cell in Rating:
        box = Rect(
            legend.x, y, size, size, fillColor=RATING_FILL[cell], strokeColor=INK, strokeWidth=0.3
        )
        baseline = legend.middle - font * 0.35
        letter = text(
            legend.x + size / 2,
            baseline,
            cell.value[0],
            font,
            anchor="middle",
            bold=True,
            color=_on(cell),
        )
        legend.add(RATING_WORD[cell], size, box, letter)
    return legend.group


# Display units per currency: INR in lakh and crore as Indian officials write them.
_UNITS = {
    "INR": ((10**5, " lakh"), (10**7, " cr"), (10**12, " lakh cr")),
}
_DEFAULT_UNITS = ((10**3, " k"), (10**6, " M"), (10**9, " bn"), (10**12, " tn"))


def _rounded(value: Decimal) -> Decimal:
    """One decimal below 100 ("12.4"), whole numbers above ("245"): three figures at most."""
    step = Decimal("0.1") if abs(value) < 100 else Decimal(1)
    return value.quantize(step, ROUND_HALF_UP)


def compact_money(minor: int, currency: str) -> str:
    """A short amount for chart labels: '₹12.4 cr', '₹3.5 lakh', '$3.4 M', '₽1.2 bn'.

    Exact figures belong in the pack's tables; on a bar a reader needs the size at a
    glance, and a label must fit beside the bar. Rounding is half-up on the exact
    Decimal, never via float.
    """
    major = to_major(minor, currency)
    units = ((1, ""), *_UNITS.get(currency, _DEFAULT_UNITS))
    index = max(i for i, (size, _) in enumerate(units) if abs(major) >= size or i == 0)
    value = _rounded(major / units[index][0])
    # Rounding can reach the next unit up: 999.96 M is shown as 1 bn, not 1,000 M.
    if index + 1 < len(units) and abs(value) * units[index][0] >= units[index + 1][0]:
        index += 1
        value = _rounded(major / units[index][0])
    number = f"{abs(value):,}".removesuffix(".0")
    sign = "-" if value < 0 else ""
    return f"{sign}{SYMBOLS.get(currency, currency + ' ')}{number}{units[index][1]}"


def _nice_step(span: int, parts: int = 5) -> int:
    """A 1-2-5 step (in minor units) cutting `span` into about `parts` intervals."""
    raw = max(span // parts, 1)
    magnitude = int(10 ** (len(str(raw)) - 1))
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)


OWED_LABEL, PAID_LABEL = "Owed (agreed share)", "Contributed"
PAID_FILL = colors.Color(0.3, 0.3, 0.3)


def cost_share_chart(
    partners: Sequence[tuple[str, int, int]], currency: str, width: float, height: float
) -> Drawing:
    """Per partner, what its agreed share makes it owe beside what it has contributed.

    `partners` holds (name, owed, contributed) in minor units of `currency` (the
    agreement's base currency). Owed bars are hatched outlines and contributed bars are
    solid dark grey, named in a legend, and each bar carries its value, so a
    photocopy still shows who is behind.
    """
    drawing = canvas(width, height)
    pad = 3.0
    font = min(max(height * 0.035, 5.5), 7.5)
    amounts = [a for _, owed, paid in partners for a in (owed, paid)]
    low, high = min([0, *amounts]), max([0, *amounts])
    # At least five whole units of span, so an all-zero chart still has sensible ticks.
    step = _nice_step(max(high - low, 5 * 10 ** minor_digits(currency)))
    # Round the axis out to whole steps, so it starts and ends on a labelled tick.
    low, high = low // step * step, -(-high // step) * step
    high = max(high, low + step)

    legend_y = height - pad - font - 2
    legend, size = Legend(pad, legend_y, font), font + 2
    legend.add(OWED_LABEL, size, _owed_bar(legend.x, legend_y, size, size))
    legend.add(PAID_LABEL, size, _paid_bar(legend.x, legend_y, size, size))
    drawing.add(legend.group)

    names = [name for name, _, _ in partners]
    name_room = min(max([width_of(n, font) for n in names] or [0]), width * 0.3)
    left = pad + name_room + 5
    labels = [compact_money(a, currency) for a in amounts]
    right = width - pad - max([width_of(s, font) for s in labels] or [0]) - 4
    bottom = pad + 2 * font + 8
    top = legend_y - 6

    def at(amount: int) -> float:
        return left + (right - left) * (amount - low) / (high - low)

    drawing.add(_money_axis(at, range(low, high + 1, step), bottom, top, font, currency))
    title = f"Amount in {currency} ({SYMBOLS.get(currency, currency)})"
    drawing.add(text((left + right) / 2, pad, title, font, anchor="middle", bold=True))

    band = (top - bottom) / max(len(partners), 1)
    bar = min(band * 0.34, 14.0)
    for i, (name, owed, paid) in enumerate(partners):
        middle = top - (i + 0.5) * band
        drawing.add(text(pad, middle - font * 0.35, fit(name, font, name_room), font))
        for amount, y, sample in (
            (owed, middle + 0.5, _owed_bar),
            (paid, middle - bar - 0.5, _paid_bar),
        ):
            x0, x1 = sorted((at(0), at(amount)))
            drawing.add(sample(x0, y, x1 - x0, bar))
            drawing.add(
                text(
                    max(x1, at(0)) + 3,
                    y + bar / 2 - font * 0.35,
                    compact_money(amount, currency),
                    font,
                )
            )
    return drawing


def _money_axis(
    at: Callable[[int], float], ticks: range, bottom: float, top: float, font: float, currency: str
) -> Group:
    """Grid lines at round amounts, labelled compactly, and the zero line in ink."""
    group = Group()
    for tick in ticks:
        x = at(tick)
        group.add(Line(x, bottom, x, top, strokeColor=RULE, strokeWidth=0.4))
        label = compact_money(tick, currency)
        group.add(text(x, bottom - font - 2, label, font, anchor="middle", color=MUTED))
    group.add(Line(at(0), bottom, at(0), top, strokeColor=INK, strokeWidth=0.6))
    return group


def _owed_bar(x: float, y: float, w: float, h: float) -> Group:
    box = Rect(x, y, w, h, fillColor=WHITE, strokeColor=INK, strokeWidth=0.6)
    return Group(box, hatch(x, y, w, h, gap=2.5))


def _paid_bar(x: float, y: float, w: float, h: float) -> Group:
    return Group(Rect(x, y, w, h, fillColor=PAID_FILL, strokeColor=INK, strokeWidth=0.6))


# Per status: fill, text colour, border width, dash pattern, corner radius. The border
# differs as well as the tint, and the word itself is printed, so mono copies read true.
_RAG_STYLE = {
    "RED": (colors.Color(0.75, 0.2, 0.17), WHITE, 1.8, None, 0.0),
    "AMBER": (colors.Color(0.98, 0.78, 0.33), INK, 1.0, (2.0, 1.2), 0.0),
    "GREEN": (colors.Color(0.83, 0.93, 0.82), INK, 0.6, None, 3.0),
}


def rag_badge(status: str, width: float = 44, height: float = 14) -> Drawing:
    """A RED/AMBER/GREEN label: the word on a tinted box with a border peculiar to it.

    Anything else is a bug upstream (RAG values are exactly those three words), so it
    raises rather than print a badge that could be read as a status.
    """
    if status not in _RAG_STYLE:
        raise ValueError(f"{status!r} is not a RAG status (RED, AMBER or GREEN)")
    fill, ink, border, dash, radius = _RAG_STYLE[status]
    drawing = canvas(width, height)
    inset = border / 2
    drawing.add(
        Rect(
            inset,
            inset,
            width - border,
            height - border,
            rx=radius,
            ry=radius,
            fillColor=fill,
            strokeColor=INK,
            strokeWidth=border,
            strokeDashArray=dash,
        )
    )
    size = min(height * 0.55, (width - 2 * border - 4) / max(width_of(status, 1, bold=True), 1))
    drawing.add(
        text(
            width / 2, height / 2 - size * 0.35, status, size, anchor="middle", bold=True, color=ink
        )
    )
    return drawing
