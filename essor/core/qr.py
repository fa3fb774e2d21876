"""QR codes for printed documents (badges, certificates…): SVG, scalable, never fetched.

At least level M: about 15% of the modules may be lost (a folded or smudged paper) and
the code still reads; segno raises the level when the code size allows it.
"""

from __future__ import annotations

import segno

ERROR_LEVEL = "m"
BORDER = 4  # the quiet zone the standard asks for, in modules


def qr_code(data: str) -> segno.QRCode:
    return segno.make(data, error=ERROR_LEVEL, micro=False)


def qr_svg(data: str) -> str:
    """The QR code of ``data`` as an SVG document sized by its viewBox only (the page
    gives it its size), black modules on a transparent ground."""
    return qr_code(data).svg_inline(border=BORDER, omitsize=True)


def qr_data_uri(data: str) -> str:
    """The same SVG as a ``data:`` URI, for an <img> in a PDF or a page (and its CSP)."""
    return qr_code(data).svg_data_uri(border=BORDER, omitsize=True)
