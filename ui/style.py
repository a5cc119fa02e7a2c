"""Setu's look: a light, high-contrast style for a government office.

Qt's Fusion style with a palette of dark text on light backgrounds, the shipped Noto
Sans fonts (Latin and Cyrillic, with Noto Sans Devanagari for Devanagari) as the
application font, and a small stylesheet for the navigation list, invalid fields and
RAG panels. Text sizes are in points, never pixels, so the interface scales with the
screen (100 % and 150 % alike).

    style.apply(app)                 # once, before the first window is shown
    style.set_invalid(widget, True)  # outline a field the user must correct
    style.set_rag(panel, "AMBER")    # tint a panel by RAG status
"""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

from app.resources import ROOT

FONT_FILES = (
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
    "NotoSansDevanagari-Regular.ttf",
    "NotoSansDevanagari-Bold.ttf",
)
# Noto Sans first; Qt falls back to the next family for glyphs the first lacks.
FONT_FAMILIES = ["Noto Sans", "Noto Sans Devanagari"]
FONT_POINTS = 10

TEXT = "#111111"
MUTED = "#4a4a4a"  # secondary text: still 8:1 on the window colour
WINDOW = "#f3f5f8"
BASE = "#ffffff"
ACCENT = "#0b4f8a"  # selection and links: white on it is 8:1
BORDER = "#9aa5b1"
INVALID = "#c00000"

# Background, border and text of each RAG status: the word is always written too, so
# the colour is never the only signal (it survives greyscale print and colour blindness).
RAG_COLOURS: dict[str, tuple[str, str, str]] = {
    "RED": ("#f9d6d5", "#a4161a", "#7a0c0c"),
    "AMBER": ("#fde9c4", "#b35c00", "#5c3000"),
    "GREEN": ("#d5f0dc", "#1e6b34", "#0f4d22"),
}
# Risk ratings on the 5x5 matrix (cells of heat maps).
RATING_COLOURS = {"HIGH": "#e8a09a", "MEDIUM": "#f6d48a", "LOW": "#b9e0c2"}

STYLESHEET = f"""
QListWidget#navigation {{
    background: #e6ebf1;
    border: none;
    border-right: 1px solid {BORDER};
    outline: none;
}}
QListWidget#navigation::item {{
    padding: 0.45em 0.8em;
    border-left: 4px solid transparent;
    color: {TEXT};
}}
QListWidget#navigation::item:hover {{
    background: #d3dce6;
}}
QListWidget#navigation::item:selected {{
    background: #c9dcf0;
    border-left: 4px solid {ACCENT};
    color: {TEXT};
    font-weight: bold;
}}
*[invalid="true"] {{
    border: 2px solid {INVALID};
}}
QLabel[role="field_error"] {{
    color: {INVALID};
}}
QLabel[role="page_title"] {{
    font-size: 15pt;
    font-weight: bold;
}}
QLabel[role="section_title"] {{
    font-size: 11pt;
    font-weight: bold;
}}
QLabel[role="muted"] {{
    color: {MUTED};
}}
QFrame[role="tile"] {{
    background: {BASE};
    border: 1px solid {BORDER};
    border-radius: 4px;
}}
QLabel[role="tile_value"] {{
    font-size: 16pt;
    font-weight: bold;
}}
QLabel[role="rag_word"] {{
    font-size: 26pt;
    font-weight: bold;
}}
QLabel#highest_marking {{
    font-weight: bold;
}}
""" + "".join(
    f"""
QFrame[rag="{status}"] {{
    background: {background};
    border: 2px solid {border};
    border-radius: 4px;
}}
QFrame[rag="{status}"] QLabel {{
    color: {text};
    background: transparent;
    border: none;
}}
"""
    for status, (background, border, text) in RAG_COLOURS.items()
)


def palette() -> QPalette:
    """Dark text on light backgrounds; disabled text still readable (about 5:1)."""
    pal = QPalette()
    roles = QPalette.ColorRole
    colours = {
        roles.Window: WINDOW,
        roles.WindowText: TEXT,
        roles.Base: BASE,
        roles.AlternateBase: "#eef2f6",
        roles.Text: TEXT,
        roles.Button: "#e4e8ed",
        roles.ButtonText: TEXT,
        roles.BrightText: "#ffffff",
        roles.Highlight: ACCENT,
        roles.HighlightedText: "#ffffff",
        roles.ToolTipBase: "#fffbe0",
        roles.ToolTipText: TEXT,
        roles.PlaceholderText: "#5f6368",
        roles.Link: ACCENT,
        roles.LinkVisited: "#5a2d82",
        roles.Light: "#ffffff",
        roles.Midlight: "#e9edf2",
        roles.Mid: BORDER,
        roles.Dark: "#6b7580",
        roles.Shadow: "#3c4148",
    }
    for role, colour in colours.items():
        pal.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        pal.setColor(disabled, role, QColor("#6b6b6b"))
    return pal


@cache
def register_fonts() -> tuple[str, ...]:
    """Add the shipped fonts to Qt (once); returns the families they provide."""
    families: list[str] = []
    for name in FONT_FILES:
        path = ROOT / "fonts" / name
        font_id = QFontDatabase.addApplicationFont(str(path)) if path.exists() else -1
        if font_id != -1:
            families += QFontDatabase.applicationFontFamilies(font_id)
    return tuple(dict.fromkeys(families))


def application_font() -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSize(FONT_POINTS)
    return font


def apply(app: QApplication) -> None:
    """Style `app`: Fusion, the palette, the shipped fonts, the stylesheet, the icon."""
    fusion = QStyleFactory.create("Fusion")
    if fusion is not None:
        app.setStyle(fusion)
    app.setPalette(palette())
    register_fonts()
    app.setFont(application_font())
    app.setStyleSheet(STYLESHEET)
    app.setWindowIcon(icon("setu"))


def icon(name: str) -> QIcon:
    """One of the shipped icons (resources/icons/NAME.svg); an empty icon if missing."""
    path = ROOT / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def repolish(widget: QWidget) -> None:
    """Re-read the stylesheet after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def set_invalid(widget: QWidget, invalid: bool) -> None:
    """Outline `widget` in red (2 px) while its value is invalid."""
    if bool(widget.property("invalid")) != invalid:
        widget.setProperty("invalid", invalid)
        repolish(widget)


def set_rag(widget: QWidget, status: str) -> None:
    """Tint a QFrame as a RAG panel: status is RED, AMBER or GREEN."""
    widget.setProperty("rag", status)
    repolish(widget)
    for child in widget.findChildren(QWidget):
        repolish(child)
