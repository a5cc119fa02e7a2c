"""Files shipped with Setu (fonts, icons), found beside the app package.

`resources/` sits next to `app/` in a checkout and in an installed wheel alike, so it
is found from app's own location; no network, no system fonts.
"""

from __future__ import annotations

from pathlib import Path

import app

ROOT = Path(app.__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    path = ROOT.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"Setu's resource {'/'.join(parts)} is missing from {ROOT}")
    return path
