"""Table cells: plain text is broken into lines as a Paragraph would break it, and a
Paragraph is kept for what needs one (Devanagari, markup, a word wider than its column)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from app.reporting import fonts
from app.reporting.sections_common import CELL_SIZE, Markup, Plain, source_and_style
from app.reporting.tables import CellParagraph, table, wrap_plain

WORDS = (
    "Qualify",
    "a",
    "second",
    "source",
    "and",
    "hold",
    "six",
    "months",
    "of",
    "buffer",
    "stock.",
    "НПО",
    "«Северный",
    "луч»",
    "<b>R&D</b>",
    "(T/R)",
    "—",
    "1,250",
    "interoperability",
)


def paragraph_lines(text: str, font: str, room: float) -> list[str]:
    style = "cell_bold" if font == fonts.BOLD else "cell"
    paragraph = Paragraph(*source_and_style(text, style))
    paragraph.wrap(room, 10_000)
    return [
        # Plain text gives (extra space, words); text with entities gives fragments.
        " ".join(line[1]) if isinstance(line, tuple) else "".join(w.text for w in line.words)
        for line in paragraph.blPara.lines
    ]


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=40),
    room=st.floats(20, 400),
    font=st.sampled_from([fonts.REGULAR, fonts.BOLD]),
)
def test_plain_cells_break_like_paragraphs(words: list[str], room: float, font: str) -> None:
    fonts.register()
    text = " ".join(words)
    lines = wrap_plain(text, font, CELL_SIZE, room)
    if lines is None:
        assert any(stringWidth(w, font, CELL_SIZE) > room for w in words)
        return
    assert lines.split("\n") == paragraph_lines(text, font, room)


def test_what_needs_a_paragraph_gets_one() -> None:
    fonts.register()
    assert wrap_plain("Dr. S. Kulkarni (डॉ. एस. कुलकर्णी)", fonts.REGULAR, CELL_SIZE, 500) is None
    assert wrap_plain("汉字", fonts.REGULAR, CELL_SIZE, 500) is None  # no glyph in Noto Sans
    assert wrap_plain("interoperability", fonts.REGULAR, CELL_SIZE, 10) is None
    assert wrap_plain("  two   words ", fonts.REGULAR, CELL_SIZE, 500) == "two words"


def test_cells_share_a_paragraph_per_text() -> None:
    owner = "Dr. S. Kulkarni (डॉ. एस. कुलकर्णी)"
    rows = [(owner, "plain text", Plain("3")), (owner, Markup("<b>bold</b>"), Plain("4"))]
    found = table(("Owner", "Note", "N"), rows, (40, 40, 10), 300)._cellvalues
    assert isinstance(found[1][0], CellParagraph) and found[1][0] is found[2][0]
    assert found[1][1] == "plain text" and isinstance(found[2][1], CellParagraph)
    assert found[0] == ["Owner", "Note", "N"]  # the header is plain bold text
