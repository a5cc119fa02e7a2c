"""The pack's fonts: shipped Noto Sans (Latin and Cyrillic) and Noto Sans Devanagari.

Fonts are embedded (subset) so the PDF prints the same everywhere; Devanagari needs
HarfBuzz shaping (uharfbuzz) so that conjuncts and vowel signs combine correctly.
Text is split into script runs, each set in a font that has its glyphs: no black boxes.
"""

from __future__ import annotations

import re
from functools import cache, partial
from html import escape as _escape

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.resources import resource

REGULAR, BOLD = "Setu", "Setu-Bold"
DEVANAGARI, DEVANAGARI_BOLD = "Setu-Deva", "Setu-Deva-Bold"
_FILES = {
    REGULAR: "NotoSans-Regular.ttf",
    BOLD: "NotoSans-Bold.ttf",
    DEVANAGARI: "NotoSansDevanagari-Regular.ttf",
    DEVANAGARI_BOLD: "NotoSansDevanagari-Bold.ttf",
}
# Devanagari and its extensions, with the joiners that shape conjuncts.
_DEVANAGARI_CHARS = "\u0900-\u097f\ua8e0-\ua8ff\u1cd0-\u1cff\u200c\u200d"
_DEVANAGARI = re.compile(f"[{_DEVANAGARI_CHARS}]")
_DEVANAGARI_SPLIT = re.compile(f"([{_DEVANAGARI_CHARS}]+)")
# &, < and > as xml.sax.saxutils.escape does; that module imports urllib.request, whose
# import costs a `setu brief` more than escaping the whole pack.
escape = partial(_escape, quote=False)


@cache
def register() -> None:
    """Register the shipped fonts once, and forbid markup from fetching anything."""
    # User text is escaped, but should any markup slip through, it may load nothing:
    # no URL scheme and no host is trusted.
    rl_config.trustedSchemes = []
    rl_config.trustedHosts = None
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource("fonts", filename))))
    for family, regular, bold in (
        (REGULAR, REGULAR, BOLD),
        (DEVANAGARI, DEVANAGARI, DEVANAGARI_BOLD),
    ):
        addMapping(family, 0, 0, regular)
        addMapping(family, 1, 0, bold)
        addMapping(family, 0, 1, regular)
        addMapping(family, 1, 1, bold)


@cache
def _devanagari_coverage() -> frozenset[int]:
    register()
    face = pdfmetrics.getFont(DEVANAGARI).face
    return frozenset(face.charToGlyph)


def _word(word: str) -> str:
    if not _DEVANAGARI.search(word):
        return escape(word)
    covered = _devanagari_coverage()
    if all(ord(ch) in covered for ch in word):
        # The whole word, with its punctuation, in one font: ReportLab shapes a word
        # with a single font, so "(क्षितिज," must not mix fonts inside it.
        return f'<font name="{DEVANAGARI}">{escape(word)}</font>'
    return "".join(
        f'<font name="{DEVANAGARI}">{escape(part)}</font>'
        if _DEVANAGARI.match(part)
        else escape(part)
        for part in _DEVANAGARI_SPLIT.split(word)
        if part
    )


def markup(text: object) -> str:
    """User text as safe paragraph markup: escaped, Devanagari words in a font that has them.

    Nothing the user typed can become a tag: `<b>R&D</b>` prints as those characters.
    """
    return "".join(_word(part) for part in re.split(r"(\s+)", str(text)))
