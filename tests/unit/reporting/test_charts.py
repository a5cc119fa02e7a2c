"""The pack's charts: what a reader of the printed PDF can find in them, and where.

Each drawing is rendered to a one-page PDF and read back with pdftotext, because the
text that survives into the PDF is what an official can read (and search). Positions
are checked on the Drawing's own String objects.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Group, String

from app.domain import IMPACT_WORDS, LIKELIHOOD_WORDS, rating
from app.reporting import fonts
from app.reporting.charts import (
    TimelineRow,
    compact_money,
    cost_share_chart,
    heat_map,
    rag_badge,
    timeline,
    trend_chart,
)
from app.services.analytics_schedule import TrendSeries

TODAY = date(2025, 3, 14)
CRORE = 10**7 * 100  # one crore rupees, in paise


def render(drawing: Drawing, tmp_path: Path, name: str = "chart") -> Path:
    path = tmp_path / f"{name}.pdf"
    renderPDF.drawToFile(drawing, str(path))
    return path


def pdf_text(path: Path) -> str:
    """The PDF's text with runs of whitespace collapsed, as a reader would search it."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def text_of(drawing: Drawing, tmp_path: Path) -> str:
    return pdf_text(render(drawing, tmp_path))


def strings(node: Any) -> Iterator[String]:
    """Every String in a drawing, however deeply grouped."""
    for child in node.getContents():
        if isinstance(child, String):
            yield child
        elif isinstance(child, Group | Drawing):
            yield from strings(child)


def the_string(drawing: Drawing, value: str) -> String:
    found = [s for s in strings(drawing) if s.text == value]
    assert len(found) == 1, f"{value!r} occurs {len(found)} times"
    return found[0]


MATRIX = [[0, 1, 3, 2, 1], [0, 2, 0, 4, 0], [1, 0, 5, 0, 0], [3, 0, 0, 1, 0], [2, 0, 0, 0, 0]]


def test_heat_map_prints_title_axes_words_and_counts(tmp_path: Path) -> None:
    text = text_of(heat_map(MATRIX, "Inherent risk", 240, 220), tmp_path)
    for label in ("Inherent risk", "Likelihood", "Impact", "Number of risks in each cell"):
        assert label in text
    for word in [*LIKELIHOOD_WORDS.values(), *IMPACT_WORDS.values(), "Low", "Medium", "High"]:
        assert word in text
    assert "5" in text.split()  # the largest count, which is only in one cell


@pytest.mark.parametrize("row", range(5))
@pytest.mark.parametrize("column", range(5))
def test_heat_map_puts_a_count_in_its_cell(row: int, column: int) -> None:
    """matrix[0] is likelihood 5 (top), column 0 impact 1 (left), as `summary --json`."""
    matrix = [[0] * 5 for _ in range(5)]
    matrix[row][column] = 17
    drawing = heat_map(matrix, "Residual risk", 240, 220)
    likelihood, impact = 5 - row, column + 1

    count = the_string(drawing, "17")
    impact_label = the_string(drawing, IMPACT_WORDS[impact])
    likelihood_label = the_string(drawing, LIKELIHOOD_WORDS[likelihood])
    cell_w = the_string(drawing, "Minor").x - the_string(drawing, "Minimal").x
    cell_h = the_string(drawing, "Almost certain").y - the_string(drawing, "Likely").y
    assert count.x == pytest.approx(impact_label.x)
    assert abs(count.y - likelihood_label.y) < cell_h / 2
    # The rating letter printed in the same cell agrees with the domain's matrix.
    letters = [
        s.text
        for s in strings(drawing)
        if s.text in ("L", "M", "H")
        and abs(s.x - count.x) < cell_w / 2
        and abs(s.y - count.y) < cell_h / 2
    ]
    assert letters == [rating(likelihood, impact).value[0]]


def test_heat_map_orders_rows_and_columns() -> None:
    drawing = heat_map(MATRIX, "Inherent risk", 240, 220)
    ys = [the_string(drawing, LIKELIHOOD_WORDS[n]).y for n in range(5, 0, -1)]
    xs = [the_string(drawing, IMPACT_WORDS[n]).x for n in range(1, 6)]
    assert ys == sorted(ys, reverse=True)
    assert xs == sorted(xs)


def test_heat_map_refuses_a_matrix_that_is_not_5x5() -> None:
    with pytest.raises(ValueError, match="5 rows of 5"):
        heat_map([[0] * 5] * 4, "Inherent risk", 240, 220)


ROWS = (
    TimelineRow(
        "WS-01",
        date(2023, 4, 1),
        date(2025, 3, 31),
        date(2025, 9, 30),
        ((date(2024, 6, 30), date(2024, 9, 15)),),
    ),
    TimelineRow("WS-02", date(2023, 10, 1), date(2026, 6, 30), date(2026, 6, 30)),
    TimelineRow("COPROD-03", date(2024, 7, 1), date(2027, 6, 30), None),
)


def test_timeline_prints_rows_today_slip_and_calendar(tmp_path: Path) -> None:
    drawing = timeline(ROWS, date(2023, 1, 1), date(2027, 12, 31), TODAY, 480, 220)
    text = text_of(drawing, tmp_path)
    for label in ("WS-01", "WS-02", "COPROD-03", "Baseline", "Forecast", "Milestone forecast"):
        assert label in text
    assert "Today 2025-03-14" in text
    assert "+183 d" in text  # 2025-03-31 -> 2025-09-30
    assert "no forecast" in text
    for year in ("2023", "2024", "2025", "2026", "2027"):
        assert year in text
    assert "Q3" in text


def test_timeline_slip_label_sits_after_the_later_bar_end() -> None:
    drawing = timeline(ROWS, date(2023, 1, 1), date(2027, 12, 31), TODAY, 480, 220)
    slip, row = the_string(drawing, "+183 d"), the_string(drawing, "WS-01")
    today = the_string(drawing, "Today 2025-03-14")
    assert slip.x > today.x  # the forecast finish (Sep 2025) lies after today
    assert abs(slip.y - row.y) < 1


def test_timeline_without_today_in_range_has_no_today_line(tmp_path: Path) -> None:
    drawing = timeline(ROWS, date(2023, 1, 1), date(2024, 12, 31), TODAY, 480, 220)
    assert "Today" not in text_of(drawing, tmp_path)


def a_series(n: int, code: str = "WS-01", title: str = "Seeker PDR") -> TrendSeries:
    points = ((date(2024, 1, 15), date(2024, 9, 30)), (date(2024, 6, 15), date(2024, 12, 31)))
    return TrendSeries(n, code, title, date(2024, 9, 30), points)


def test_trend_chart_labels_lines_axes_and_today(tmp_path: Path) -> None:
    series = [a_series(1), a_series(2, "WS-02", "Первая поставка"), a_series(3, "WS-03", "")]
    text = text_of(trend_chart(series, 480, 260, TODAY), tmp_path)
    for label in ("WS-01 Seeker PDR", "WS-02 Первая поставка", "WS-03"):
        assert label in text
    for label in ("Report date", "Forecast date", "Report date = forecast date"):
        assert label in text
    assert "Today 2025-03-14" in text
    assert "Jan 2025" in text  # a forecast-axis tick


def test_trend_chart_draws_at_most_eight_and_says_so(tmp_path: Path) -> None:
    series = [a_series(n, f"WS-{n:02}") for n in range(1, 11)]
    series.append(TrendSeries(99, "WS-99", "Not yet reported", date(2025, 1, 1), ()))
    text = text_of(trend_chart(series, 480, 260, TODAY), tmp_path)
    assert "WS-08 Seeker PDR" in text
    assert "WS-09" not in text
    assert "3 milestones not shown" in text


def test_trend_chart_without_reports_still_draws(tmp_path: Path) -> None:
    text = text_of(trend_chart([], 480, 260, TODAY), tmp_path)
    assert "Today 2025-03-14" in text


@pytest.mark.parametrize(
    ("minor", "currency", "expected"),
    [
        (124 * CRORE, "INR", "₹124 cr"),
        (12_40_00_000_00, "INR", "₹12.4 cr"),
        (3_50_000_00, "INR", "₹3.5 lakh"),
        (45_000_00, "INR", "₹45,000"),
        (99_96_000_00, "INR", "₹1 cr"),  # 99.96 lakh rounds up into the next unit
        (1_20_000 * CRORE, "INR", "₹1.2 lakh cr"),
        (1_200_000_000_00, "RUB", "₽1.2 bn"),
        (3_400_000_00, "USD", "$3.4 M"),
        (950_000_000_00, "USD", "$950 M"),
        (999_960_000_00, "USD", "$1 bn"),
        (12_345_00, "EUR", "€12.3 k"),
        (-12_345_00, "USD", "-$12.3 k"),
        (340_25, "USD", "$340"),
        (5, "USD", "$0.1"),  # 5 cents, half-up
        (0, "EUR", "€0"),
        (12_345_678, "JPY", "¥12.3 M"),  # yen have no minor unit
    ],
)
def test_compact_money(minor: int, currency: str, expected: str) -> None:
    assert compact_money(minor, currency) == expected


PARTNERS = (
    ("Ministry of Defence (IND)", 124 * CRORE, 98_50 * CRORE // 100),
    ("Минобороны России", 124 * CRORE, 131_20 * CRORE // 100),
    ("BrahMos Aerospace", 41_30 * CRORE // 100, 0),
)


def test_cost_share_chart_names_partners_amounts_and_currency(tmp_path: Path) -> None:
    text = text_of(cost_share_chart(PARTNERS, "INR", 400, 180), tmp_path)
    for label in ("Ministry of Defence (IND)", "Минобороны России", "BrahMos Aerospace"):
        assert label in text
    assert "Amount in INR (₹)" in text
    for value in ("₹124 cr", "₹98.5 cr", "₹131 cr", "₹41.3 cr", "₹0"):
        assert value in text
    assert "Owed (agreed share)" in text and "Contributed" in text


def test_cost_share_bars_are_labelled_beside_their_partner() -> None:
    drawing = cost_share_chart(PARTNERS, "INR", 400, 180)
    name = the_string(drawing, "Минобороны России")
    value = the_string(drawing, "₹131 cr")
    assert value.x > name.x and abs(value.y - name.y) < 12


@pytest.mark.parametrize("status", ["RED", "AMBER", "GREEN"])
def test_rag_badge_prints_the_word(status: str, tmp_path: Path) -> None:
    badge = rag_badge(status)
    assert (badge.width, badge.height) == (44, 14)
    assert text_of(badge, tmp_path) == status


def test_rag_badge_refuses_an_unknown_status() -> None:
    with pytest.raises(ValueError, match="PURPLE"):
        rag_badge("PURPLE")


def all_charts() -> dict[str, Drawing]:
    return {
        "heat": heat_map(MATRIX, "Inherent risk", 240, 220),
        "timeline": timeline(ROWS, date(2023, 1, 1), date(2027, 12, 31), TODAY, 480, 220),
        "trend": trend_chart([a_series(1)], 480, 260, TODAY),
        "cost": cost_share_chart(PARTNERS, "RUB", 400, 180),
        "rag": rag_badge("AMBER"),
    }


def test_charts_set_all_text_in_the_setu_fonts(tmp_path: Path) -> None:
    """Helvetica has no Cyrillic: no String may fall back to it, nor may the PDF embed it."""
    for name, drawing in all_charts().items():
        assert {s.fontName for s in strings(drawing)} <= {fonts.REGULAR, fonts.BOLD}, name
        listing = subprocess.run(
            ["pdffonts", str(render(drawing, tmp_path, name))],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "Helvetica" not in listing, name
        assert "NotoSans" in listing, name


def test_charts_render_to_png(tmp_path: Path) -> None:
    """Every chart rasterises cleanly (the PNGs are what a reviewer looks at)."""
    for name, drawing in all_charts().items():
        pdf = render(drawing, tmp_path, name)
        subprocess.run(
            ["pdftoppm", "-r", "100", "-png", "-singlefile", str(pdf), str(tmp_path / name)],
            check=True,
            capture_output=True,
        )
        assert (tmp_path / f"{name}.png").stat().st_size > 0
