"""The pack's schedule charts: the workstream timeline and the milestone-trend chart.

Both put dates on a linear axis (`DateScale`) with quarter ticks and year labels, and
both draw a dashed "today" line labelled with the status date, because a schedule
read on paper weeks later must say when "now" was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors

from app.reporting.charts_common import (
    INK,
    MONTHS,
    MUTED,
    RULE,
    WHITE,
    DateScale,
    Drawing,
    Group,
    Legend,
    Line,
    Polygon,
    PolyLine,
    Rect,
    add_months,
    canvas,
    date_axis,
    fit,
    marker,
    padded_range,
    spread,
    text,
    tick_step,
    ticks,
    vertical_text,
    width_of,
)
from app.services.analytics_schedule import TrendSeries

FORECAST_FILL = colors.Color(0.35, 0.35, 0.35)
MAX_SERIES = 8
NO_FORECAST = "no forecast"
# Dark, colour-blind-safe hues (after Okabe-Ito and Tol); all print dark in greyscale,
# where the dash pattern and marker shape tell the lines apart and no line fades into
# the pale diagonal.
LINE_COLOURS = tuple(
    colors.HexColor(h)
    for h in (
        "#000000",
        "#0072B2",
        "#D55E00",
        "#009E73",
        "#AA3377",
        "#8C6D00",
        "#332288",
        "#882255",
    )
)
# The reference diagonal is a broad pale band, unlike any milestone's line.
DIAGONAL = {"strokeColor": colors.Color(0.8, 0.8, 0.8), "strokeWidth": 3.0}
DASHES: tuple[tuple[float, ...] | None, ...] = (
    None,
    (4, 2),
    (1, 1.5),
    (5, 1.5, 1, 1.5),
    (8, 2),
    (2, 2),
    (6, 1.5, 1, 1.5, 1, 1.5),
    (3, 1),
)


@dataclass(frozen=True)
class TimelineRow:
    """One workstream on the timeline; `milestones` holds (baseline, forecast) pairs."""

    label: str
    baseline_start: date
    baseline_finish: date
    forecast_finish: date | None
    milestones: tuple[tuple[date, date], ...] = ()


def _font(height: float) -> float:
    return min(max(height * 0.03, 5.5), 7.5)


def _today_line(scale: DateScale, today: date, low: float, high: float, font: float) -> Group:
    """A dashed vertical line at `today`, labelled with the ISO date so it reads anywhere."""
    group = Group()
    if not scale.contains(today):
        return group
    x = scale(today)
    group.add(Line(x, low, x, high, strokeColor=INK, strokeWidth=0.8, strokeDashArray=(3, 2)))
    label = f"Today {today.isoformat()}"
    room = width_of(label, font, bold=True) / 2
    centre = min(max(x, scale.low + room), scale.high - room)
    group.add(text(centre, high + 2, label, font, anchor="middle", bold=True))
    return group


def _diamond(x: float, y: float, r: float, fill: colors.Color) -> Polygon:
    return Polygon(
        [x, y - r, x + r, y, x, y + r, x - r, y], fillColor=fill, strokeColor=INK, strokeWidth=0.7
    )


def _baseline_bar(x: float, middle: float, w: float, h: float) -> Rect:
    return Rect(x, middle - h / 2, w, h, fillColor=WHITE, strokeColor=INK, strokeWidth=0.7)


def _forecast_bar(x: float, middle: float, w: float, h: float) -> Rect:
    """Solid and thinner than the baseline outline it sits in, so both stay visible."""
    return Rect(x, middle - h * 0.22, w, h * 0.44, fillColor=FORECAST_FILL, strokeColor=None)


def _timeline_legend(x: float, y: float, font: float, with_milestones: bool) -> Group:
    legend, bar, h = Legend(x, y, font), 2 * font, font + 1
    legend.add("Baseline", bar, _baseline_bar(legend.x, legend.middle, bar, h * 0.7))
    legend.add("Forecast", bar, _forecast_bar(legend.x, legend.middle, bar, h * 0.7))
    if with_milestones:
        for label, fill in (("Milestone baseline", WHITE), ("Milestone forecast", INK)):
            legend.add(label, h, _diamond(legend.x + h / 2, legend.middle, h / 2, fill))
    return legend.group


def timeline(
    rows: Sequence[TimelineRow], start: date, end: date, today: date, width: float, height: float
) -> Drawing:
    """Workstreams as bars against the calendar: baseline outline, forecast solid.

    The hollow bar spans the agreed baseline, the solid bar inside it runs to the
    forecast finish, so a slip shows as solid ink past the outline and is also printed
    ("+45 d"). Milestones, when given, sit above the bars: hollow diamond at the
    baseline, filled at the forecast, joined when they differ. Dates outside
    [start, end] are clipped to the edges.
    """
    drawing = canvas(width, height)
    pad, font = 3.0, _font(height)
    with_milestones = any(row.milestones for row in rows)
    legend_y = height - pad - font - 1
    drawing.add(_timeline_legend(pad, legend_y, font, with_milestones))

    left = pad + max([width_of(row.label, font, bold=True) for row in rows] or [0]) + 6
    right = width - pad - max(width_of(w, font, bold=True) for w in ("+999 d", NO_FORECAST)) - 3
    scale = DateScale(start, end, left, right)
    bottom = pad + 2 * font + 8
    top = legend_y - font - 8
    band = (top - bottom) / max(len(rows), 1)
    outline = min(band * (0.45 if with_milestones else 0.6), 12.0)

    drawing.add(date_axis(scale, bottom, top, font))
    for i, row in enumerate(rows):
        row_top = top - i * band
        bar_y = row_top - band + (band - outline) / (3 if with_milestones else 2)
        if i:
            drawing.add(Line(pad, row_top, right, row_top, strokeColor=RULE, strokeWidth=0.3))
        label_y = bar_y + outline / 2 - font * 0.35
        drawing.add(text(pad, label_y, row.label, font, bold=True))
        drawing.add(_bars(scale, row, bar_y, outline, font))
        lane = bar_y + outline + (row_top - bar_y - outline) / 2
        for baseline, forecast in row.milestones:
            drawing.add(_milestone(scale, baseline, forecast, lane, min(outline * 0.45, 4.5)))
    drawing.add(_today_line(scale, today, bottom, top, font))
    return drawing


def _bars(scale: DateScale, row: TimelineRow, y: float, h: float, font: float) -> Group:
    x0 = scale(scale.clamp(row.baseline_start))
    x1 = scale(scale.clamp(row.baseline_finish))
    middle = y + h / 2
    group = Group(_baseline_bar(x0, middle, x1 - x0, h))
    if row.forecast_finish is None:
        group.add(_end_label(x1 + 2.5, middle, NO_FORECAST, font, MUTED))
        return group
    xf = scale(scale.clamp(row.forecast_finish))
    group.add(_forecast_bar(x0, middle, max(xf - x0, 0.5), h))
    slip = (row.forecast_finish - row.baseline_finish).days
    if slip:
        group.add(_end_label(max(x1, xf) + 2.5, middle, f"{slip:+d} d", font, INK))
    return group


def _end_label(x: float, middle: float, label: str, font: float, color: colors.Color) -> Group:
    """Text after a bar on a white patch, so a grid or "today" line does not strike it out."""
    w = width_of(label, font, bold=True)
    patch = Rect(x - 1, middle - font * 0.55, w + 2, font * 1.1, fillColor=WHITE, strokeColor=None)
    return Group(patch, text(x, middle - font * 0.35, label, font, bold=True, color=color))


def _milestone(scale: DateScale, baseline: date, forecast: date, y: float, r: float) -> Group:
    group = Group()
    xb, xf = scale(scale.clamp(baseline)), scale(scale.clamp(forecast))
    if abs(xf - xb) > r:
        group.add(Line(xb, y, xf, y, strokeColor=INK, strokeWidth=0.5))
    group.add(_diamond(xb, y, r, WHITE))
    # Smaller than the hollow one, so a milestone on time shows a ring round a dot.
    group.add(_diamond(xf, y, r * 0.6, INK))
    return group


def trend_chart(series: Sequence[TrendSeries], width: float, height: float, today: date) -> Drawing:
    """The milestone-trend chart: each milestone's forecast date against the date reported.

    A flat line is a steady forecast, a rising one a slipping milestone, and a line that
    meets the dashed diagonal (report date = forecast date) a milestone reached. Each
    line keeps its forecast until `today` or until the diagonal, then is named in the
    right margin by workstream code and title beside its marker.

    At most eight series are drawn (MAX_SERIES): beyond that no dash pattern and marker
    stay distinct on a mono print. The caller picks which milestones matter; any extra
    series and those with no report yet are counted in a note, not silently dropped.
    """
    drawing = canvas(width, height)
    pad, font = 3.0, _font(height)
    shown = [s for s in series[:MAX_SERIES] if s.points]
    reports = [r for s in shown for r, _ in s.points] or [today]
    forecasts = [f for s in shown for _, f in s.points] or [today]
    x_start, x_end = padded_range(min(reports), max([*reports, today]))
    y_start, y_end = padded_range(min([*forecasts, x_start]), max(forecasts))
    # A month of headroom, so the latest forecast's marker clears the "today" label.
    y_end = add_months(y_end, 1)

    labels = [f"{s.workstream_code} {s.title}" for s in shown]
    room = min(max([width_of(label, font) for label in labels] or [0]) + font + 8, width * 0.34)
    axis_labels = [_y_label(day, 3) for day in (y_start, y_end)]
    left = pad + font + 5 + max(width_of(label, font) for label in axis_labels) + 3
    right = width - pad - room
    bottom = pad + 3 * font + 8
    top = height - pad - 2 * font - 8
    xs = DateScale(x_start, x_end, left, right)
    ys = DateScale(y_start, y_end, bottom, top)

    drawing.add(
        Rect(
            left,
            bottom,
            right - left,
            top - bottom,
            fillColor=None,
            strokeColor=INK,
            strokeWidth=0.5,
        )
    )
    drawing.add(date_axis(xs, bottom, top, font))
    drawing.add(_y_axis(ys, left, right, font))
    drawing.add(text((left + right) / 2, pad, "Report date", font, anchor="middle", bold=True))
    drawing.add(
        vertical_text(pad + font * 0.8, (top + bottom) / 2, "Forecast date", font, bold=True)
    )
    drawing.add(_diagonal(xs, ys))
    drawing.add(_today_line(xs, today, bottom, top, font))
    drawing.add(_trend_legend(left, height - pad - font - 1, font, len(series), len(shown)))

    ends = []
    for n, s in enumerate(shown):
        colour, dash = LINE_COLOURS[n], DASHES[n]
        points = [(xs(r), ys(f)) for r, f in s.points]
        last_report, last_forecast = s.points[-1]
        # The latest forecast stands until today, or until it is reached (the diagonal).
        held = min(today, last_forecast, x_end)
        if held > last_report:
            points.append((xs(held), points[-1][1]))
        flat = [c for point in points for c in point]
        drawing.add(PolyLine(flat, strokeColor=colour, strokeWidth=1.1, strokeDashArray=dash))
        for r, f in s.points:
            drawing.add(marker(n, xs(r), ys(f), 4.5, colour))
        ends.append(points[-1])
    label_ys = spread([y for _, y in ends], font + 2.5, bottom + font / 2, top - font / 2)
    for n, ((x, y), label_y) in enumerate(zip(ends, label_ys, strict=True)):
        colour = LINE_COLOURS[n]
        drawing.add(
            Line(
                x,
                y,
                right + 3,
                label_y,
                strokeColor=colour,
                strokeWidth=0.4,
                strokeDashArray=(0.8, 1),
            )
        )
        drawing.add(marker(n, right + 3 + font / 2, label_y, 4.5, colour))
        label = fit(labels[n], font, room - font - 8)
        drawing.add(text(right + font + 6, label_y - font * 0.35, label, font))
    return drawing


def _y_label(day: date, step: int) -> str:
    return str(day.year) if step >= 12 else f"{MONTHS[day.month - 1]} {day.year}"


def _y_axis(scale: DateScale, left: float, right: float, font: float) -> Group:
    """Forecast dates up the left side, "Jul 2025" per tick, with faint grid lines."""
    group = Group()
    step = tick_step(scale, font * 2.2)
    for day in ticks(scale, step):
        y = scale(day)
        group.add(Line(left, y, right, y, strokeColor=RULE, strokeWidth=0.3))
        group.add(Line(left - 2.5, y, left, y, strokeColor=INK, strokeWidth=0.5))
        group.add(
            text(left - 3.5, y - font * 0.35, _y_label(day, step), font, anchor="end", color=MUTED)
        )
    return group


def _diagonal(xs: DateScale, ys: DateScale) -> Group:
    """The report date = forecast date line, over the dates both axes share."""
    first, last = max(xs.start, ys.start), min(xs.end, ys.end)
    if first >= last:
        return Group()
    return Group(Line(xs(first), ys(first), xs(last), ys(last), **DIAGONAL))


def _trend_legend(x: float, y: float, font: float, given: int, shown: int) -> Group:
    legend = Legend(x, y, font)
    diagonal = Line(legend.x, legend.middle, legend.x + 16, legend.middle, **DIAGONAL)
    legend.add("Report date = forecast date (milestone reached)", 16, diagonal)
    hidden = given - shown
    if hidden:
        plural = "s" if hidden > 1 else ""
        legend.note(
            f"{hidden} milestone{plural} not shown (no report yet, or beyond {MAX_SERIES})",
            color=MUTED,
        )
    return legend.group
