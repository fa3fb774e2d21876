"""In a real browser, on a phone: an observatory's analyst adds a dataset, publishes it,
and finds it on the observatory's public page with its small cells suppressed; in French
and Arabic. ``ESSOR_SHOTS=/some/folder`` keeps the screenshots."""

import os

import pytest

from essor.browser import browser_page
from essor.observatory.models import Dataset, Observatory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("ESSOR_SHOTS", "")


@pytest.mark.parametrize("locale", ["fr-FR", "ar"])
def test_an_analyst_publishes_a_dataset_from_a_phone(live_server, records, people, analyst,
                                                     oriental, locale):
    observatory = Observatory.objects.create(code="oriental", name_fr="Observatoire de l'Oriental",
                                             name_ar="مرصد الشرق")
    observatory.regions.set([oriental])
    observatory.analysts.set([analyst])
    url = live_server.url
    with browser_page(width=390, height=844, locale=locale) as page:
        page.goto(f"{url}/accounts/login/")
        page.fill("#id_username", analyst.username)
        page.fill("#id_password", "correct horse battery")
        page.click("form:not(#language-switch) button[type=submit]")
        page.wait_for_url(f"{url}/")
        page.goto(f"{url}/observatory/observatories/oriental/")
        page.click("#dataset-form >> xpath=.. >> summary")
        page.select_option("#dataset-form select[name=indicator_code]",
                           "training.beneficiaries")
        page.fill("#dataset-form input[name=breakdowns]", "sex")
        page.click("#dataset-form button[type=submit]")
        page.wait_for_selector("#observatory-datasets")
        dataset = Dataset.objects.get(observatory=observatory)
        assert not dataset.published
        page.click(f"form[action$='/datasets/{dataset.pk}/publish/'] button")
        page.wait_for_selector("#observatory-datasets .text-bg-success")
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"observatory-{locale[:2]}.png"),
                            full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.goto(f"{url}/open/oriental/")
        table = page.locator(f"#dataset-{dataset.pk}")
        # 3 beneficiaries in the Oriental (2 women, 1 man): every cell counts 1 to 4
        # people, so none is published.
        assert table.locator("[data-suppressed=true]").count() >= 3
        content = page.content()
        assert not [p.last_name for p in people.values() if p.last_name in content]
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, f"observatory-open-{locale[:2]}.png"),
                            full_page=True)
