"""The briefing pack as a PDF: page templates, markings, contents, metadata, atomic write.

`render` reads nothing but the `BriefingData` it is given, so it can run in a worker
thread; the story itself comes from `sections`. Every page carries the pack's marking
at its head and foot, the programme code and status date, and "Page N of M", which
only `NumberedCanvas.save` can print because only then is M known. The story is laid
out once: the contents page's page numbers are drawn at save too (`contents`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase import ttfonts
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import NextPageTemplate, PageBreak

from app.errors import SetuError
from app.reporting import contents, fonts
from app.reporting.briefing import BriefingData
from app.reporting.sections import SECTIONS
from app.reporting.sections_common import (
    BOTTOM,
    MARGIN,
    MUTED,
    PAGE_SIZES,
    RULE,
    TOC_LEVELS,
    TOP,
    frame_size,
)

Progress = Callable[[int, int], None]
FOOTER_Y = 14 * mm
MARKING_SIZE = 10


class Cancelled(SetuError):
    """The user cancelled the pack while it was being made; no file was written."""

    def __init__(self) -> None:
        super().__init__("the briefing pack was cancelled; no file was written")


def paint_page(canvas: Canvas, doc: BaseDocTemplate, *, marking: str, footer: str) -> None:
    """The marking at head and foot of the page, and the footer's left half.

    The page size is the canvas's, not the document's: landscape pages differ.
    """
    width, height = canvas._pagesize
    canvas.saveState()
    canvas.setFont(fonts.BOLD, MARKING_SIZE)
    canvas.drawCentredString(width / 2, height - 10 * mm, marking)
    canvas.drawCentredString(width / 2, 8 * mm, marking)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, FOOTER_Y + 3.5 * mm, width - MARGIN, FOOTER_Y + 3.5 * mm)
    canvas.setFont(fonts.REGULAR, 8)
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN, FOOTER_Y, footer)
    canvas.restoreState()


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """Holds every page until `save`, when the total is known, to print "Page N of M",
    and when every heading's page (`heading_pages`) is known, for the contents.

    PDF destinations (the contents' links, the outline) name the page being written,
    and pages are written only at `save`: bookmarks are held with their page and set
    when it is written, or they would all point at page 1.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.heading_pages: dict[str, int] = {}
        self._pages: list[dict[str, Any]] = []
        self._marks: list[tuple[str, dict[str, Any]]] = []
        self._later: list[Callable[[NumberedCanvas], None]] = []

    def bookmarkPage(self, key: str, **kwargs: Any) -> None:
        self._marks.append((key, kwargs))

    def later(self, draw: Callable[[NumberedCanvas], None]) -> None:
        """Draw on this page, in page coordinates, when the pages are written."""
        self._later.append(draw)

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._marks = []
        self._later = []
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            width, _ = self._pagesize
            self.saveState()
            self.setFont(fonts.REGULAR, 8)
            self.setFillColor(MUTED)
            self.drawRightString(width - MARGIN, FOOTER_Y, f"Page {self._pageNumber} of {total}")
            self.restoreState()
            for draw in state["_later"]:
                draw(self)
            for key, kwargs in state["_marks"]:
                super().bookmarkPage(key, **kwargs)
            super().showPage()
        super().save()


class PackDocument(BaseDocTemplate):  # type: ignore[misc]
    """Portrait and landscape A4 templates; headings feed the contents and the outline."""

    def __init__(self, filename: str, data: BriefingData, cancel: threading.Event | None) -> None:
        super().__init__(
            filename,
            pagesize=PAGE_SIZES["portrait"],
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=TOP,
            bottomMargin=BOTTOM,
            title=f"{data.code} briefing pack {data.status_date.isoformat()}",
            subject=data.name,
            author=data.created_by,
            creator="Setu",
            keywords=[data.marking, f"audience {data.audience}", data.code, "briefing pack"],
            displayDocTitle=1,
            lang="en",
            initialFontName=fonts.REGULAR,
        )
        footer = f"{data.code} · briefing pack · status date {data.status_date.isoformat()}"
        painter = partial(paint_page, marking=data.marking, footer=footer)
        templates = []
        for template, size in PAGE_SIZES.items():
            width, height = frame_size(template)
            frame = Frame(
                MARGIN,
                BOTTOM,
                width,
                height,
                id=template,
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
            )
            templates.append(PageTemplate(template, [frame], onPage=painter, pagesize=size))
        self.addPageTemplates(templates)
        self._cancel = cancel

    def afterFlowable(self, flowable: Flowable) -> None:
        """Stop when cancelled; note the page of each heading the contents lists (keyed
        by `contents.fill`) and put the heading in the PDF outline."""
        if self._cancel is not None and self._cancel.is_set():
            raise Cancelled()
        key = getattr(flowable, "toc_key", None)
        if key is None:
            return
        level = TOC_LEVELS[flowable.style.name]
        top = self.frame._y + flowable.height + flowable.style.spaceAfter
        self.canv.heading_pages[key] = self.page
        self.canv.bookmarkPage(key, fit="XYZ", left=0, top=top)
        self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=level > 0)


def _without_ligatures() -> None:
    """Shape without Latin ligatures: an "fi" ligature reaches the PDF's text as U+FB01,
    so a reader searching the pack for "first" (or a test looking for a title) misses it.

    Devanagari conjuncts come from the script's required features (half forms,
    pre-base substitutions), not from `liga`, so they are shaped as before. ReportLab
    takes the features from `shapeFragWord`'s default argument and offers no setting.
    """
    defaults = ttfonts.shapeFragWord.__defaults__
    if defaults and isinstance(defaults[0], dict):
        defaults[0].update(liga=False, dlig=False)


def _story(data: BriefingData, progress: Progress, cancel: threading.Event | None) -> list[Any]:
    story: list[Any] = []
    total = len(SECTIONS) + 1
    for done, section in enumerate(SECTIONS, start=1):
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        if story:
            story += [NextPageTemplate(section.template), PageBreak()]
        story += section.build(data)
        progress(done, total)
    return story


def render(
    data: BriefingData,
    out: Path,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> int:
    """Write the pack to `out` and return its page count.

    The PDF is written beside `out` under a temporary name and moved into place only
    when complete, so a reader never opens half a pack and a cancelled or failed
    render leaves no file (and never clobbers the previous pack).
    """
    fonts.register()
    _without_ligatures()
    report = progress or (lambda done, total: None)
    story = _story(data, report, cancel)
    contents.fill(story)
    partial_file = out.with_name(f".{out.name}.{os.getpid()}.{threading.get_ident()}.part")
    try:
        doc = PackDocument(str(partial_file), data, cancel)
        doc.build(story, canvasmaker=NumberedCanvas)
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        os.replace(partial_file, out)
    except BaseException:
        partial_file.unlink(missing_ok=True)
        raise
    report(len(SECTIONS) + 1, len(SECTIONS) + 1)
    return int(doc.page)
