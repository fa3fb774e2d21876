"""The French and Arabic catalogues are complete, correct and compiled.

French is the default language and Arabic a complete translation (DESIGN.md, Languages):
every string of the interface has a translation in both, and a page rendered in Arabic is
right to left. English is the source language, so its catalogue stays empty on purpose.
"""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

TRANSLATED = ["fr", "ar"]
PLURAL_FORMS = {"fr": 2, "ar": 6}
# The same ignores as `make messages`.
IGNORED = [".venv", "static/vendor", "staticfiles", "scripts", "bench"]
# Python %-placeholders: %(name)s, %s, %d, %i, %f, %r (with optional flags/width).
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[#0\- +]*\d*(?:\.\d+)?[sdifr]")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
HOW_TO_FIX = ("run `make messages`, translate the new strings in locale/fr and locale/ar "
              "(no fuzzy entries), then compile them (`make messages` does it)")


PROJECT = Path(__file__).resolve().parents[3]
LOCALE = PROJECT / "locale"  # the committed catalogues


def po_path(lang):
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def catalogue(lang):
    path = po_path(lang)
    assert path.exists(), f"{path} is missing: {HOW_TO_FIX}"
    return polib.pofile(str(path))


def live(entries):
    return [e for e in entries if not e.obsolete]


def key(entry):
    return (entry.msgctxt, entry.msgid)


def label(entry):
    return repr(entry.msgid) + (f" (context {entry.msgctxt!r})" if entry.msgctxt else "")


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def forms(entry):
    """The translations of an entry: one string, or one per plural form."""
    if entry.msgid_plural:
        return [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def test_english_is_the_source_language():
    assert [Path(p).resolve() for p in settings.LOCALE_PATHS] == [LOCALE]
    assert settings.LANGUAGE_CODE == "fr"
    assert [code for code, _ in settings.LANGUAGES] == ["fr", "ar", "en"]


# -- every entry translated, nothing fuzzy, placeholders kept --------------------------------


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogue_header_is_not_fuzzy_and_declares_the_plural_forms(lang):
    po = catalogue(lang)
    assert not po.metadata_is_fuzzy, f"the header of {po_path(lang)} is marked fuzzy"
    assert po.metadata.get("Language") == lang
    assert f"nplurals={PLURAL_FORMS[lang]};" in po.metadata.get("Plural-Forms", "").replace(
        " ", "")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_entry_is_translated_and_none_is_fuzzy(lang):
    po = catalogue(lang)
    entries = live(po)
    assert entries, f"{po_path(lang)} has no entries"
    untranslated = [label(e) for e in entries
                    if any(not s.strip() for s in forms(e))
                    or (e.msgid_plural and len(e.msgstr_plural) != PLURAL_FORMS[lang])]
    fuzzy = [label(e) for e in entries if "fuzzy" in e.flags]
    assert not untranslated, (f"{len(untranslated)} untranslated entries in {lang} "
                              f"(all {PLURAL_FORMS[lang]} plural forms are needed): "
                              + "; ".join(untranslated))
    assert not fuzzy, f"fuzzy entries in {lang} (check and clear the flag): " + "; ".join(fuzzy)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_the_placeholders_and_html_tags(lang):
    wrong = []
    for e in live(catalogue(lang)):
        wanted = placeholders(e.msgid_plural or e.msgid)
        if e.msgid_plural and placeholders(e.msgid) != wanted:
            wanted = sorted(set(wanted) | set(placeholders(e.msgid)))
        tags = sorted(TAG.findall(e.msgid))
        for text in forms(e):
            if not text:
                continue  # reported by the completeness test
            found = placeholders(text)
            if e.msgid_plural:
                found = sorted(set(found))
                expected = sorted(set(wanted))
            else:
                expected = wanted
            if found != expected:
                wrong.append(f"{label(e)} -> {text!r}: placeholders {found} != {expected}")
            if sorted(TAG.findall(text)) != tags:
                wrong.append(f"{label(e)} -> {text!r}: HTML tags differ from the source")
    assert not wrong, f"{lang}: " + "\n".join(wrong)


def test_yesno_translations_keep_an_ascii_comma():
    # `|yesno:_("yes,no")` splits on ",": an Arabic comma would break the filter.
    for lang in TRANSLATED:
        for e in live(catalogue(lang)):
            if e.msgid == "yes,no":
                assert len(e.msgstr.split(",")) == 2, (lang, e.msgstr)


# -- complete with respect to the sources ------------------------------------------------------


GETTEXT_TOOLS = ["xgettext", "msguniq", "msgmerge", "msgattrib"]


def _copy_sources(root: Path, dest: Path):
    """Copy the project without its locale dir, virtualenv and ignored directories.

    makemessages writes to the `locale` directory it finds under the current directory,
    so it runs on a copy: the committed catalogues are never touched by this test.
    """
    skip_top = {".venv", ".git", "locale", "staticfiles", "scripts", "bench", "media",
                "node_modules", "test-artifacts"}

    def ignore(directory, names):
        here = Path(directory)
        skipped = {n for n in names if n in {"__pycache__", ".pytest_cache", ".ruff_cache",
                                             ".hypothesis"} or ".sqlite3" in n}
        if here == root:
            skipped |= {n for n in names if n in skip_top}
        if here == root / "static":
            skipped |= {"vendor"} & set(names)
        return skipped

    shutil.copytree(root, dest, ignore=ignore, symlinks=True)


@pytest.fixture
def fresh_french_catalogue(tmp_path, settings, monkeypatch):
    missing_tools = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing_tools:
        pytest.skip("GNU gettext is not installed (missing: " + ", ".join(missing_tools)
                    + "); install it (e.g. `apt-get install gettext`) to check that the "
                    "catalogues cover every string of the sources")
    src = tmp_path / "src"
    _copy_sources(PROJECT, src)
    (src / "locale").mkdir()
    settings.LOCALE_PATHS = [src / "locale"]
    monkeypatch.chdir(src)
    call_command("makemessages", locale=["fr"], ignore_patterns=list(IGNORED),
                 no_location=True, verbosity=0)
    return polib.pofile(str(src / "locale" / "fr" / "LC_MESSAGES" / "django.po"))


def test_catalogues_hold_every_string_of_the_sources(fresh_french_catalogue):
    in_sources = {key(e): e for e in live(fresh_french_catalogue)}
    assert in_sources, "makemessages found no translatable string in the sources"
    for lang in TRANSLATED:
        committed = {key(e) for e in live(catalogue(lang))}
        missing = [label(e) for k, e in sorted(in_sources.items(),
                                               key=lambda item: (item[0][0] or "", item[0][1]))
                   if k not in committed]
        assert not missing, (f"{len(missing)} strings of the sources are missing from "
                             f"locale/{lang}: {HOW_TO_FIX}. Missing: " + "; ".join(missing))


# -- compiled catalogues up to date -------------------------------------------------------------


def _translations(entries):
    table = {}
    for e in entries:
        if e.obsolete or not e.msgid or "fuzzy" in e.flags:
            continue
        if e.msgid_plural:
            value = tuple(e.msgstr_plural[i] for i in sorted(e.msgstr_plural))
            if not all(value):
                continue
            table[key(e)] = (e.msgid_plural, value)
        elif e.msgstr:
            table[key(e)] = e.msgstr
    return table


@pytest.mark.parametrize("lang", TRANSLATED)
def test_compiled_catalogue_matches_the_po_file(lang):
    mo_path = po_path(lang).with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: {HOW_TO_FIX}"
    compiled = _translations(polib.mofile(str(mo_path)))
    source = _translations(catalogue(lang))
    stale = sorted({k[1] for k in compiled.keys() ^ source.keys()}
                   | {k[1] for k in compiled.keys() & source.keys() if compiled[k] != source[k]})
    assert not stale, (f"{mo_path} is out of date with the .po file ({len(stale)} entries "
                       f"differ): {HOW_TO_FIX}. First: {stale[:5]}")


# -- the translations reach the pages --------------------------------------------------------


@pytest.mark.django_db
def test_login_page_in_arabic_is_arabic_and_right_to_left(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    assert "تسجيل الدخول" in html  # "Log in"
    assert "Se connecter" not in html and ">Log in<" not in html
    assert "bootstrap.rtl" in html


@pytest.mark.django_db
def test_login_page_in_french_by_default(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="fr"' in html and 'dir="ltr"' in html
    assert "Se connecter" in html  # "Log in"
    assert "Aller au contenu" in html  # "Skip to content"


@pytest.mark.django_db
def test_login_page_in_english_shows_the_source_strings(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert 'lang="en"' in html and 'dir="ltr"' in html
    assert "Log in" in html
