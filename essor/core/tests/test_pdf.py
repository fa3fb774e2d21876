"""PDF documents are set in the repository's fonts (essor/core/fonts/), whatever fonts the
machine has, and read no file but those fonts."""

import io
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from essor.core import pdf
from essor.core.testing import embedded_fonts, font_unique_id, repository_font_ids, requires_pango

TIFINAGH = "ⵜⴰⵎⴰⵣⵉⵖⵜ"  # "tamazight"


def _document(body: str) -> str:
    return (f'<html><head><style>body {{ font-family: {pdf.SANS}; }}</style></head>'
            f"<body>{body}</body></html>")


def test_the_fonts_and_their_licence_are_in_the_repository():
    for font in pdf.FONTS:
        assert font.path.is_file(), font.path
    assert "SIL OPEN FONT LICENSE" in (pdf.FONTS_DIR / "OFL.txt").read_text()
    assert {f.family for f in pdf.FONTS} == {"Noto Sans", "Noto Naskh Arabic",
                                             "Noto Sans Tifinagh"}


@requires_pango
def test_amazigh_is_set_in_noto_sans_tifinagh():
    content = pdf.html_to_pdf(_document(f"<p>Tamazight · {TIFINAGH}</p>"))

    fonts = embedded_fonts(content)
    tifinagh = next(f for f in pdf.FONTS if f.family == "Noto Sans Tifinagh")
    assert fonts["Noto-Sans-Tifinagh"] == {font_unique_id(tifinagh.path)}
    assert TIFINAGH in PdfReader(io.BytesIO(content)).pages[0].extract_text()


@requires_pango
def test_latin_arabic_and_tifinagh_each_in_their_family():
    content = pdf.html_to_pdf(_document(f"<p>Coopérative</p><p>تعاونية</p><p>{TIFINAGH}</p>"))

    fonts = embedded_fonts(content)
    assert fonts.keys() == {"Noto-Sans", "Noto-Naskh-Arabic", "Noto-Sans-Tifinagh"}
    assert set().union(*fonts.values()) <= repository_font_ids()


@requires_pango
def test_a_pdf_reads_no_file_but_its_fonts(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not an image")

    # WeasyPrint logs and skips a refused resource; the document still renders.
    content = pdf.html_to_pdf(_document(f'<p>x</p><img src="{secret.as_uri()}">'
                                        '<img src="http://127.0.0.1:9/x.png">'))

    assert content.startswith(b"%PDF")
    fetcher = pdf._fetcher_class()(allowed_protocols={"data", "file"})
    with pytest.raises(ValueError, match="no file but their fonts"):
        fetcher.fetch(secret.as_uri())
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch("http://127.0.0.1:9/x.png")


@requires_pango
def test_render_pdf_renders_a_template_with_page_numbers_in_the_fonts_too():
    workshop = SimpleNamespace(code="AT-01", date=None, venue="", city="Oujda",
                               region=SimpleNamespace(name_fr="Oriental", name="Oriental"), trainer_label="")
    content = pdf.render_pdf("training/attendance_sheet_pdf.html", {
        "workshop": workshop, "title": {"fr": "Atelier", "ar": "ورشة"}, "rows": [],
        "waitlisted": [], "blank_rows": range(1)})

    assert "Atelier" in PdfReader(io.BytesIO(content)).pages[0].extract_text()
    # The page number (a margin box, outside <body>) too.
    assert set().union(*embedded_fonts(content).values()) <= repository_font_ids()


def test_without_pango_the_message_says_what_to_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': not found")
        return real_import(name, *args, **kwargs)

    pdf.pango_missing.cache_clear()
    monkeypatch.setattr(builtins, "__import__", no_pango)
    try:
        message = pdf.pango_missing()
    finally:
        monkeypatch.undo()
        pdf.pango_missing.cache_clear()

    assert message is not None
    assert "sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0" in message
    assert "cannot load library 'libpango-1.0-0'" in message
