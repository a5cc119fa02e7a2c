"""The floor for the pack benchmark: a bare ReportLab document of a given page count.

`python bench/bare_pdf.py PAGES OUT.pdf` lays out PAGES pages of plain paragraphs
with SimpleDocTemplate and its default fonts, and writes them: what any ReportLab
document of that length costs as a whole process (start, import, layout, write),
with no database, no fonts to embed, no charts and no tables.
"""

from __future__ import annotations

import sys

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

SENTENCE = (
    "The programme office reports the state of each workstream, its milestones, "
    "contracts, contributions and risks as at the status date. "
)


def main(pages: int, out: str) -> int:
    styles = getSampleStyleSheet()
    story = []
    for page in range(1, pages + 1):
        story.append(Paragraph(f"Page {page}", styles["Heading1"]))
        # About a page of body text: 8 paragraphs of four sentences.
        story += [Paragraph(SENTENCE * 4, styles["BodyText"]) for _ in range(8)]
        story.append(PageBreak())
    SimpleDocTemplate(out, pagesize=A4).build(story)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]), sys.argv[2]))
