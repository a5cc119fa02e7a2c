"""Drawing primitives shared by the pack's charts: text, hatching, markers, date axes.

The pack is printed in black and white, so everything here carries meaning by shape,
pattern, grey level and words, never by hue alone; colours are a bonus for screens.
All text is set in the shipped Setu fonts: ReportLab's default Helvetica has no
Cyrillic, and an unregistered font would silently fall back to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab import rl_config

# ReportLab validates every attribute of every shape as it is set, which costs more
# than building and drawing the charts; the charts' own tests check what they draw.
# It must be set before reportlab.graphics.shapes is first imported, which reads it
# once: so the charts import their shapes from here.
rl_config.shapeChecking = 0

from reportlab.graphics.shapes import Circle, Path, String  # noqa: E402
from reportlab.graphics.shapes import Drawing as Drawing  # noqa: E402
from reportlab.graphics.shapes import Group as Group  # noqa: E402
from reportlab.graphics.shapes import Line as Line  # noqa: E402
from reportlab.graphics.shapes import Polygon as Polygon  # noqa: E402
from reportlab.graphics.shapes import PolyLine as PolyLine  # noqa: E402
from reportlab.graphics.shapes import Rect as Rect  # noqa: E402
from reportlab.lib import colors  # noqa: E402
from reportlab.pdfbase.pdfmetrics import stringWidth  # noqa: E402

from app.reporting import fonts  # noqa: E402

INK = colors.Color(0.1, 0.1, 0.1)
MUTED = colors.Color(0.45, 0.45, 0.45)
RULE = colors.Color(0.78, 0.78, 0.78)
WHITE = colors.white
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def canvas(width: float, height: float) -> Drawing:
    """An empty drawing whose default font is Setu, so no stray Helvetica is embedded."""
    fonts.register()
    drawing = Drawing(width, height)
    drawing.initialFontName = fonts.REGULAR
    return drawing


def width_of(text: str, size: float, *, bold: bool = False) -> float:
    return float(stringWidth(text, fonts.BOLD if bold else fonts.REGULAR, size))


def text(
    x: float,
    y: float,
    value: str,
    size: float,
    *,
    anchor: str = "start",
    bold: bool = False,
    color: colors.Color = INK,
) -> String:
    """A String in the Setu fonts; `y` is the baseline."""
    return String(
        x,
        y,
        value,
        fontName=fonts.BOLD if bold else fonts.REGULAR,
        fontSize=size,
        fillColor=color,
        textAnchor=anchor,
    )


def vertical_text(x: float, y: float, value: str, size: float, *, bold: bool = False) -> Group:
    """Text reading bottom to top, centred on (x, y): the y-axis title."""
    group = Group(text(0, 0, value, size, anchor="middle", bold=bold))
    group.transform = (0, 1, -1, 0, x, y)
    return group


def fit(value: str, size: float, room: float, *, bold: bool = False) -> str:
    """`value` cut with an ellipsis so that it fits `room` points."""
    if width_of(value, size, bold=bold) <= room:
        return value
    while value and width_of(value + "…", size, bold=bold) > room:
        value = value[:-1]
    return value.rstrip() + "…"


def hatch(
    x: float, y: float, w: float, h: float, *, gap: float = 3, color: colors.Color = INK
) -> Path:
    """Diagonal lines ("/") filling a rectangle, clipped to it by hand.

    ReportLab's shapes have no fill patterns, and hatching is what survives a
    black-and-white office printer where two similar greys would not. The lines are
    one path, not a shape each: a long bar has a hundred of them.
    """
    path = Path(strokeColor=color, strokeWidth=0.5, fillColor=None)
    k = -h + gap / 2
    while k < w:
        # Points (u, u - k) relative to the corner, for u where both lie inside.
        u0, u1 = max(0.0, k), min(w, h + k)
        if u1 > u0:
            path.moveTo(x + u0, y + u0 - k)
            path.lineTo(x + u1, y + u1 - k)
        k += gap
    return path


def marker(kind: int, x: float, y: float, size: float, color: colors.Color) -> Polygon | Circle:
    """One of eight markers: circle, square, triangle, diamond, each filled then hollow."""
    r = size / 2
    fill = color if kind < 4 else WHITE
    style = {"fillColor": fill, "strokeColor": color, "strokeWidth": 0.8}
    shape = kind % 4
    if shape == 0:
        return Circle(x, y, r * 0.9, **style)
    points = {
        1: (-r, -r, r, -r, r, r, -r, r),
        2: (-r, -r * 0.8, r, -r * 0.8, 0, r),
        3: (0, -r, r, 0, 0, r, -r, 0),
    }[shape]
    return Polygon([p + (x if i % 2 == 0 else y) for i, p in enumerate(points)], **style)


class Legend:
    """Legend entries laid out left to right in one row whose bottom is at `y`.

    Callers draw each sample at `legend.x`, centred on `legend.middle`, then `add` it
    with its label; the row grows rightwards.
    """

    def __init__(self, x: float, y: float, font: float) -> None:
        self.x, self.y, self.font = x, y, font
        self.middle = y + (font + 2) / 2
        self.group = Group()

    def add(self, label: str, sample_width: float, *samples: object) -> None:
        for sample in samples:
            self.group.add(sample)
        self.note(label, self.x + sample_width + 3)

    def note(self, label: str, x: float | None = None, *, color: colors.Color = INK) -> None:
        start = self.x if x is None else x
        self.group.add(text(start, self.middle - self.font * 0.35, label, self.font, color=color))
        self.x = start + width_of(label, self.font) + 10


@dataclass(frozen=True)
class DateScale:
    """Maps dates linearly onto [low, high] points: x for a timeline, y for a trend."""

    start: date
    end: date
    low: float
    high: float

    def __call__(self, day: date) -> float:
        span = max((self.end - self.start).days, 1)
        return self.low + (self.high - self.low) * (day - self.start).days / span

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def clamp(self, day: date) -> date:
        return min(max(day, self.start), self.end)


def month_start(day: date, step: int = 1) -> date:
    """The first of the month on or before `day`, on a multiple of `step` months."""
    month = (day.month - 1) // step * step + 1
    return date(day.year, month, 1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def padded_range(first: date, last: date) -> tuple[date, date]:
    """Whole months around [first, last], so axes start and end on a tick."""
    return month_start(first), add_months(month_start(last), 1)


def tick_step(scale: DateScale, min_gap: float) -> int:
    """The smallest step (months) whose ticks lie at least `min_gap` points apart."""
    per_month = abs(scale.high - scale.low) * 30.44 / max((scale.end - scale.start).days, 1)
    for step in (1, 3, 6, 12, 24, 60):
        if per_month * step >= min_gap:
            return step
    return 120


def ticks(scale: DateScale, step: int) -> list[date]:
    """Month starts on multiples of `step` months inside the scale's range."""
    day = month_start(scale.start, min(step, 12))
    found = []
    while day <= scale.end:
        if day >= scale.start and (step <= 12 or day.year % (step // 12) == 0):
            found.append(day)
        day = add_months(day, min(step, 12))
    return found


def tick_label(day: date, step: int) -> str:
    """The short label under a tick: the month, quarter or half; years go on their own row."""
    if step == 1:
        return MONTHS[day.month - 1]
    if step == 3:
        return f"Q{(day.month - 1) // 3 + 1}"
    if step == 6:
        return f"H{(day.month - 1) // 6 + 1}"
    return ""


def date_axis(scale: DateScale, y: float, top: float, font: float) -> Group:
    """A horizontal date axis at `y`: month/quarter ticks, year labels, year grid lines.

    Two label rows (quarter under the tick, year under that) keep the labels short
    enough for a portrait page; year boundaries are drawn up to `top` as faint rules
    so a bar's position can be read against the calendar.
    """
    group = Group(Line(scale.low, y, scale.high, y, strokeColor=INK, strokeWidth=0.6))
    step = tick_step(scale, width_of("Q4", font) + 6)
    for day in ticks(scale, step):
        x = scale(day)
        year_start = day.month == 1
        group.add(Line(x, y, x, y - (4 if year_start else 2.5), strokeColor=INK, strokeWidth=0.5))
        if year_start:
            group.add(Line(x, y, x, top, strokeColor=RULE, strokeWidth=0.4))
        label = tick_label(day, step)
        if label:
            group.add(text(x + 1.5, y - font - 1.5, label, font, color=MUTED))
    year_row = y - (2 * font + 3 if step <= 6 else font + 3)
    for year in range(scale.start.year, scale.end.year + 1):
        first = max(date(year, 1, 1), scale.start)
        last = min(date(year + 1, 1, 1), scale.end)
        label = str(year)
        if scale(last) - scale(first) >= width_of(label, font, bold=True) + 4:
            middle = (scale(first) + scale(last)) / 2
            group.add(text(middle, year_row, label, font, anchor="middle", bold=True))
    return group


def spread(wanted: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Label positions near `wanted` (any order) but at least `gap` apart, within [low, high].

    Used for end-of-line labels, which would otherwise print on top of each other when
    several milestones converge on the same forecast.
    """
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    placed = [min(max(wanted[i], low), high) for i in order]
    for n in range(1, len(placed)):
        placed[n] = max(placed[n], placed[n - 1] + gap)
    overflow = placed[-1] - high if placed else 0
    if overflow > 0:
        placed = [p - overflow for p in placed]
        for n in range(len(placed) - 2, -1, -1):
            placed[n] = min(placed[n], placed[n + 1] - gap)
    result = [0.0] * len(wanted)
    for i, position in zip(order, placed, strict=True):
        result[i] = position
    return result
