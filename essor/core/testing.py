"""Helpers for the permission matrix: every app lists the answer each persona gets.

An app declares its rows in ``essor/<app>/tests/matrix.py``:

    ROWS = {"promotion:event_list": row(**STAFF)}       # URL name → persona → status
    def build(ctx) -> dict:                             # URL name → reverse() kwargs
        event = EventFactory(region=ctx["casablanca_settat"])
        return {"promotion:event_detail": {"pk": event.pk}}

``ctx`` holds the region fixtures (``oriental``, ``casablanca_settat``) and every persona
by name. Objects made in ``build`` should belong to Casablanca-Settat, so that the
Oriental personas must get 404 on them.
"""

from typing import Any

PERSONAS = ["anonymous", "national_admin", "oriental_officer", "casablanca_officer",
            "trainer", "coach", "analyst", "partner", "organisation_account"]


def row(anonymous=302, **others):
    expected = {"anonymous": anonymous}
    for persona in PERSONAS[1:]:
        expected[persona] = others.get(persona, others.get("default"))
    return expected


ALL = {p: 200 for p in PERSONAS if p != "anonymous"}
EDITORS = {"national_admin": 200, "oriental_officer": 200, "casablanca_officer": 200,
           "default": 403}
CASA_OBJECT = {"national_admin": 200, "casablanca_officer": 200, "default": 404}
CASA_OBJECT_READ = {**CASA_OBJECT, "coach": 200}


# -- PDF documents ------------------------------------------------------------------------
# Tests that render a PDF carry ``requires_pango``: without Pango they are skipped with
# the message that says what to install.

def _pango_missing() -> str | None:
    from essor.core.pdf import pango_missing

    return pango_missing()


def _requires_pango():
    import pytest

    missing = _pango_missing()
    return pytest.mark.skipif(missing is not None, reason=missing or "")


requires_pango = _requires_pango()


def embedded_fonts(content: bytes) -> dict[str, set[str]]:
    """The fonts embedded in a PDF: family as the PDF names it (``Noto-Naskh-Arabic``) →
    the unique IDs of the font files it was subset from
    (``2.004;GOOG;NotoNaskhArabic-Regular``)."""
    import io

    from pypdf import PdfReader

    fonts: dict[str, set[str]] = {}
    for page in PdfReader(io.BytesIO(content)).pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font = ref.get_object()
            if "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            else:
                descriptor = font["/FontDescriptor"]
            program = descriptor.get_object()["/FontFile2"].get_object().get_data()
            fonts.setdefault(str(font["/BaseFont"]).split("+")[-1], set()).add(
                font_unique_id(io.BytesIO(program)))
    return fonts


def repository_font_ids() -> set[str]:
    """The unique IDs of the fonts shipped in ``essor/core/fonts/``."""
    from essor.core.pdf import FONTS

    return {font_unique_id(font.path) for font in FONTS}


def font_unique_id(file) -> str:
    """The unique ID (name ID 3) of a TrueType font file or stream."""
    from fontTools.ttLib import TTFont

    return TTFont(file)["name"].getDebugName(3)
