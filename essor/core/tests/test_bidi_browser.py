"""In a real browser, in Arabic (right to left) and French, on a desktop (1,280 px) and a
phone (360 px): a phone number typed into the person form reads in order on the screen,
``06 12 34 56 78`` and not ``78 56 34 12 06``, in the field and on the saved person's page.

The value of a field is always in order; what a right-to-left page mirrors is its
display. So the test measures where the characters are drawn: the x of each digit group
must grow from the first group to the last. Inside an input the text cannot be measured
with a Range, so it is drawn in a mirror box given the input's computed direction, font
and bidi isolation; on the person's page the Range is taken on the shown text itself.
``ESSOR_SHOTS=/some/folder`` keeps the screenshots."""

import os
from pathlib import Path

import pytest

from essor.browser import browser_page
from essor.registry.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ESSOR_SHOTS", "")
TYPED = "06 12 34 56 78"

# The x of the first character of each digit group of the text of ``node``, as drawn.
GROUPS_X = """(node) => {
  const text = node.nodeType === Node.TEXT_NODE ? node : document.createTreeWalker(
    node, NodeFilter.SHOW_TEXT).nextNode();
  const xs = [];
  const re = /\\d+/g;
  let m;
  while ((m = re.exec(text.data)) !== null) {
    const range = document.createRange();
    range.setStart(text, m.index);
    range.setEnd(text, m.index + 1);
    xs.push(range.getBoundingClientRect().left);
  }
  return xs;
}"""

# The input's text drawn in a box with the input's direction, isolation and font.
MIRROR_X = """(input) => {
  const style = getComputedStyle(input);
  const box = document.createElement('span');
  box.style.display = 'inline-block';
  box.style.direction = style.direction;
  box.style.unicodeBidi = style.unicodeBidi;
  box.style.font = style.font;
  box.style.whiteSpace = 'pre';
  box.textContent = input.value;
  input.parentNode.appendChild(box);
  const xs = (GROUPS_X)(box.firstChild);
  box.remove();
  return xs;
}""".replace("GROUPS_X", GROUPS_X)


def _shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _in_order(xs):
    return len(xs) >= 4 and all(a < b for a, b in zip(xs, xs[1:], strict=False))


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("locale", ["ar", "fr-FR"])
def test_a_phone_typed_in_the_person_form_reads_in_order(live_server, casablanca_officer,
                                                         casablanca_settat, locale, width):
    direction = "rtl" if locale == "ar" else "ltr"
    language = locale[:2]
    with browser_page(width=width, height=900, locale=locale) as page:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", "karima_casablanca")
        page.fill("#id_password", "correct horse battery")
        page.click("form:not(#language-switch) button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")

        page.goto(f"{live_server.url}/registry/people/new/")
        page.wait_for_selector(f"html[dir={direction}]")
        page.fill("#id_first_name", "Fatima")
        page.fill("#id_last_name", "Zahraoui")
        page.fill("#id_first_name_ar", "فاطمة")
        page.fill("#id_last_name_ar", "الزهراوي")
        page.check("#id_sex_0")
        page.fill("#id_birth_year", "1988")
        page.select_option("#id_province", index=1)
        phone = page.locator("#id_phone")
        phone.click()
        page.keyboard.type(TYPED)

        assert phone.input_value() == TYPED
        assert phone.evaluate("i => getComputedStyle(i).direction") == "ltr"
        xs = phone.evaluate(MIRROR_X)
        assert _in_order(xs), f"the phone field draws its groups at {xs}"
        # In an Arabic page the field still lines up with the labels, on the right.
        if direction == "rtl":
            assert phone.evaluate("i => getComputedStyle(i).textAlign") == "right"
        _shot(page, f"person-form-{language}-{width}")

        page.click("main form button[type=submit]")
        page.wait_for_selector("#person-phone")
        shown = page.locator("#person-phone bdi")
        assert shown.evaluate("b => getComputedStyle(b).direction") == "ltr"
        assert shown.inner_text() == "0612 34 56 78"
        xs = shown.evaluate(GROUPS_X)
        assert _in_order(xs), f"the person's page draws the phone's groups at {xs}"
        _shot(page, f"person-detail-{language}-{width}")

        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the person's page runs {overflow}px off screen"

    assert Person.objects.get(last_name="Zahraoui").phone == TYPED


def test_without_isolation_an_arabic_page_mirrors_the_phone(live_server):
    """The measure tells mirrored from in-order: the same number, left as plain text in a
    right-to-left paragraph, is drawn last group first."""
    with browser_page(width=360, locale="ar") as page:
        page.goto(f"{live_server.url}/accounts/login/")
        page.wait_for_selector("html[dir=rtl]")
        page.evaluate("""(typed) => {
            const p = document.createElement('p');
            p.id = 'plain'; p.textContent = 'الهاتف: ' + typed;
            document.querySelector('main').appendChild(p);
        }""", TYPED)
        xs = page.locator("#plain").evaluate(GROUPS_X)

    assert len(xs) == 5 and all(a > b for a, b in zip(xs, xs[1:], strict=False)), xs
