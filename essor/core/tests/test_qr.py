"""QR codes of printed documents: scalable SVG, error level M or more."""

from essor.core import qr


def test_qr_svg_is_a_scalable_qr_code_of_the_url():
    url = "https://essor.example/promotion/checkin/0oDia-SboiWl-s8p/"

    svg = qr.qr_svg(url)

    assert svg.startswith("<svg") and 'viewBox="0 0 ' in svg
    assert "width=" not in svg.split(">")[0]  # the page sizes it
    code = qr.qr_code(url)
    assert code.error in ("M", "Q", "H") and not code.is_micro
    size = code.symbol_size(border=qr.BORDER)[0]
    assert f'viewBox="0 0 {size} {size}"' in svg
    assert svg == qr.qr_svg(url) != qr.qr_svg(url.replace("s8p", "s8q"))
    # segno cannot read codes back: essor/promotion/tests/test_badges.py decodes a printed
    # one with zbarimg.
