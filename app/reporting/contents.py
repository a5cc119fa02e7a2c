"""The contents page, set in the one layout pass that sets the rest of the pack.

ReportLab's TableOfContents needs `multiBuild`, which lays the whole pack out twice:
once to learn each heading's page, once more to print it. But the headings are known
before layout starts (the story is built first); only their pages are not, and the
contents page has its fixed place after the cover. So `fill` lists the headings and
sets each contents line's text in the layout, and the line's dot leader and page number
are drawn when `NumberedCanvas` writes the pages out, by when every page is known.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from app.reporting import fonts
from app.reporting.sections_common import TOC_LEVELS, Heading, styles

# Room kept at the right of every contents line for its page number.
NUMBER_ROOM = 30.0
PADDING = 3.0  # above and below each line, and around the gap before each section
DOT = " . "
_TEXT_ENDS = "setu-contents-text-ends"  # the onDraw callback at the end of a line's text


class Contents(Flowable):  # type: ignore[misc]
    """Where the contents lines go: `fill` replaces it with them."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        raise RuntimeError("contents.fill(story) was not called before the layout")


class ContentsLine(Flowable):  # type: ignore[misc]
    """One heading's line: its text now, its dot leader and page number at save time."""

    def __init__(self, level: int, text: str, key: str) -> None:
        super().__init__()
        self.key = key
        self.style: ParagraphStyle = styles()[f"toc{level}"]
        # ReportLab cannot shape a contents line (the onDraw tag breaks line breaking),
        # so the toc styles are unshaped and headings give Latin text (`heading(toc=...)`).
        source = f'{fonts.markup(text)}<onDraw name="{_TEXT_ENDS}" label="{key}"/>'
        self._text = Paragraph(source, self.style)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        _, height = self._text.wrap(available_width - NUMBER_ROOM, available_height)
        self.width, self.height = available_width, height + 2 * PADDING
        return self.width, self.height

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore + 2 * PADDING if self.style.spaceBefore else 0)

    def draw(self) -> None:
        canvas = self.canv
        canvas.setNamedCB(_TEXT_ENDS, self._text_ends)
        self._text.drawOn(canvas, 0, PADDING)
        canvas.linkRect("", self.key, (0, 0, self.width, self.height), relative=1)

    def _text_ends(self, canvas: Any, kind: str, label: str) -> None:
        """Where the text ends, in page coordinates: the dots start there at save time."""
        x, y = canvas._curr_tx_info["cur_x"], canvas._curr_tx_info["cur_y"]
        start, baseline = _on_page(canvas, x, y)
        right, _ = _on_page(canvas, self.width, y)
        canvas.later(
            partial(_page_number, key=self.key, x=start, y=baseline, right=right, style=self.style)
        )


def _on_page(canvas: Any, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = canvas._currentMatrix
    return a * x + c * y + e, b * x + d * y + f


def _page_number(
    canvas: Any, *, key: str, x: float, y: float, right: float, style: ParagraphStyle
) -> None:
    """The dot leader from the end of the text, and the page number flush right."""
    number = str(canvas.heading_pages[key])
    font, size = style.fontName, style.fontSize
    dot_width = stringWidth(DOT, font, size)
    number_width = stringWidth(number, font, size)
    dots = max(int((right - x - number_width) / dot_width), 0)
    canvas.saveState()
    canvas.setFont(font, size)
    canvas.setFillColor(style.textColor)
    canvas.drawString(right - dots * dot_width - number_width, y, DOT * dots + number)
    canvas.restoreState()


def _walk(flowables: Sequence[Flowable]) -> Iterator[Flowable]:
    for flowable in flowables:
        yield flowable
        inner = getattr(flowable, "_content", None)  # KeepTogether, and so Titled
        if isinstance(inner, list):
            yield from _walk(inner)


def fill(story: list[Flowable]) -> None:
    """Key every heading the contents lists, in story order, and put its contents line
    where the story's `Contents` is (if it has one)."""
    lines: list[Flowable] = []
    for flowable in _walk(story):
        if not isinstance(flowable, Heading):
            continue
        level = TOC_LEVELS.get(flowable.style.name)
        if level is None:
            continue
        flowable.toc_key = f"h{len(lines) + 1}"
        lines.append(
            ContentsLine(level, flowable.toc_text or flowable.getPlainText(), flowable.toc_key)
        )
    for i, flowable in enumerate(story):
        if isinstance(flowable, Contents):
            story[i : i + 1] = lines
            return
