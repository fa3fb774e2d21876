"""PDF documents (badges, certificates, attendance sheets, reports) made by WeasyPrint
with the fonts shipped in ``essor/core/fonts/``, so that they look the same on every
machine whatever fonts it has.

Templates name the families below in their style (``font-family: "Noto Sans"…``, or the
``SANS``/``ARABIC`` stacks); ``render_pdf`` adds the ``@font-face`` rules that bind
those names to the repository's files. Nothing else is fetched: only ``data:`` addresses
(QR codes) and the font files themselves are read, so no value in the data can make
WeasyPrint call out or read a file of the server.

WeasyPrint needs Pango (with HarfBuzz and fontconfig) from the system:
``pango_missing()`` says what to install when it cannot be loaded.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

FONTS_DIR = Path(__file__).resolve().parent / "fonts"

# Latin (French) first, then Arabic, then Tifinagh (Amazigh): each character is set in
# the first family that has it.
SANS = '"Noto Sans", "Noto Naskh Arabic", "Noto Sans Tifinagh", sans-serif'
ARABIC = '"Noto Naskh Arabic", "Noto Sans", "Noto Sans Tifinagh", serif'

SYSTEM_LIBRARIES = "libpango-1.0-0 libpangoft2-1.0-0"
PANGO_MISSING = (
    "PDF documents need Pango for WeasyPrint, which could not be loaded ({error}). "
    f"Install it: sudo apt-get install {SYSTEM_LIBRARIES} (Debian, Ubuntu; it brings "
    "HarfBuzz and fontconfig), or your system's Pango 1.44+ package.")


@dataclass(frozen=True)
class Font:
    family: str
    file: str
    weight: str = "normal"

    @property
    def path(self) -> Path:
        return FONTS_DIR / self.file


FONTS = (
    Font("Noto Sans", "NotoSans-Regular.ttf"),
    Font("Noto Sans", "NotoSans-Bold.ttf", "bold"),
    Font("Noto Naskh Arabic", "NotoNaskhArabic-Regular.ttf"),
    Font("Noto Naskh Arabic", "NotoNaskhArabic-Bold.ttf", "bold"),
    Font("Noto Sans Tifinagh", "NotoSansTifinagh-Regular.ttf"),
)


def font_face_css() -> str:
    """The ``@font-face`` rules of the repository's fonts."""
    return "\n".join(
        f'@font-face {{ font-family: "{font.family}"; font-weight: {font.weight}; '
        f'font-style: normal; src: url("{font.path.as_uri()}") format("truetype"); }}'
        for font in FONTS)


@functools.cache
def pango_missing() -> str | None:
    """None when WeasyPrint can be used; else the message naming what to install."""
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:  # cffi: "cannot load library 'libpango-1.0-0'"
        return PANGO_MISSING.format(error=exc)
    return None


@functools.cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher

    allowed_files = frozenset(font.path.as_uri() for font in FONTS)

    class Fetcher(URLFetcher):
        """``data:`` addresses and the repository's font files, nothing else."""

        def fetch(self, url, headers=None):
            if url.startswith("file:") and url.split("?")[0] not in allowed_files:
                raise ValueError(f"essor's PDFs read no file but their fonts: {url}")
            return super().fetch(url, headers)

    return Fetcher


def html_to_pdf(html: str) -> bytes:
    """The PDF of an HTML document, its text set in the repository's fonts."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fetcher = _fetcher_class()(allowed_protocols={"data", "file"})
    fonts = FontConfiguration()
    return HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[CSS(string=font_face_css(), font_config=fonts, url_fetcher=fetcher)],
        font_config=fonts)


def render_pdf(template_name: str, context: dict[str, Any], request=None) -> bytes:
    """Render a template (its style inline, in ``<style>``) to PDF bytes."""
    return html_to_pdf(render_to_string(template_name, context, request=request))
