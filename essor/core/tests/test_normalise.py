"""The keys that decide whether two records are one person."""

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from essor.core.normalise import (
    has_arabic,
    levenshtein,
    mask,
    name_key,
    name_skeleton,
    national_id_is_valid,
    national_id_key,
    phone_display,
    phone_is_valid,
    phone_key,
)

# -- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", [
    "Fatima-Zahra  BENALI",
    "fatima zahra benali",
    "FATIMA ZAHRA BENALI",
    "Fâtima Zahra Benali",
    "  Fatima -- Zahra\tBenali ",
    "Fatima\u2014Zahra Benali",  # em dash
    "Fatima'Zahra Benali",
    "Fatima\u2019Zahra Benali",  # typographic apostrophe
])
def test_name_key_ignores_case_accents_and_runs_of_separators(spelling):
    assert name_key(spelling) == "fatima zahra benali"


def test_name_key_treats_an_apostrophe_as_a_separator_inside_a_word():
    # The rule: apostrophes are separators like spaces and hyphens, so "Ben'ali" is two
    # words and differs from "Benali" (the near-match list catches that pair instead).
    assert name_key("Fâtima Zahra Ben'ali") == "fatima zahra ben ali"
    assert name_key("Fâtima Zahra Ben'ali") == name_key("fatima-zahra ben ali")
    assert name_key("Fâtima Zahra Ben'ali") != name_key("Fatima Zahra Benali")


def test_name_key_joins_first_and_last_name_parts_and_skips_empty_ones():
    assert name_key("Fatima Zahra", "Benali") == name_key("Fatima-Zahra Benali")
    assert name_key("Fatima", None, "", "Benali") == "fatima benali"
    assert name_key() == ""


def test_name_key_drops_arabic_short_vowels_and_tatweel():
    assert name_key("مُحَمَّد") == name_key("محمد")
    assert name_key("مـحـمـد") == name_key("محمد")


@given(st.text())
def test_name_key_is_idempotent(text):
    assert name_key(name_key(text)) == name_key(text)


@given(st.text())
def test_name_key_has_no_leading_trailing_or_double_spaces(text):
    key = name_key(text)
    assert key == key.strip()
    assert "  " not in key


# -- sound skeleton ---------------------------------------------------------------------------


@pytest.mark.parametrize(("latin", "arabic"), [
    ("Mohamed Alaoui", "محمد العلوي"),
    ("Fatima Zahra Benali", "فاطمة الزهراء بنعلي"),
    ("Khadija Tazi", "خديجة التازي"),
])
def test_name_skeleton_joins_latin_and_arabic_spellings(latin, arabic):
    assert name_skeleton(latin) == name_skeleton(arabic)
    assert name_skeleton(latin) != ""


def test_name_skeleton_joins_common_latin_variants():
    assert name_skeleton("Mohamed Alaoui") == name_skeleton("Mohammed El Alaoui")
    assert name_skeleton("Mohamed", "Alaoui") == name_skeleton("Alaoui Mohamed")


def test_name_skeleton_keeps_different_names_apart():
    assert name_skeleton("Mohamed Alaoui") != name_skeleton("Khadija Tazi")


def test_has_arabic():
    assert has_arabic("محمد")
    assert not has_arabic("Mohamed")
    assert not has_arabic(None)


# -- phones -----------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", [
    "0612345678",
    "06 12 34 56 78",
    "06-12-34-56-78",
    "06.12.34.56.78",
    "+212 6 12 34 56 78",
    "+212612345678",
    "00212 612345678",
    "+212 (0)6 12 34 56 78",
    "612345678",
])
def test_phone_key_gives_one_form_for_every_spelling_of_a_moroccan_number(spelling):
    assert phone_key(spelling) == "212612345678"
    assert phone_is_valid(spelling)


def test_phone_key_of_nothing_is_empty():
    assert phone_key("") == ""
    assert phone_key(None) == ""


def test_phone_key_keeps_different_numbers_apart():
    assert phone_key("0612345678") != phone_key("0612345679")
    assert phone_key("0612345678") != phone_key("0712345678")


@pytest.mark.parametrize("raw", ["12345", "0412345678", "+212 4 12 34 56 78",
                                 "+212 6 12 34 56", "00212 6 12 34 56 789"])
def test_phone_is_valid_refuses_implausible_numbers(raw):
    assert not phone_is_valid(raw)


@pytest.mark.parametrize("raw", ["06123456", "061234567", "06123456789"])
def test_phone_is_valid_refuses_a_national_number_with_the_wrong_length(raw):
    # A number written with a single leading 0 is national: 0 and nine digits.
    assert not phone_is_valid(raw)


def test_phone_display_writes_the_local_form():
    assert phone_display("+212612345678") == "0612 34 56 78"
    assert phone_display("") == ""


_national = st.builds(lambda first, rest: first + rest, st.sampled_from("5678"),
                      st.text(alphabet="0123456789", min_size=8, max_size=8))
_prefix = st.sampled_from(["0", "+212 ", "+212", "00212 ", "00212", "+212 (0)", "212", ""])
_separator = st.sampled_from(["", " ", "-", ".", " - "])


@given(_national, _prefix, _separator)
def test_every_written_form_of_a_moroccan_number_has_the_same_idempotent_key(
        national, prefix, separator):
    written = prefix + separator.join(national[i:i + 2] for i in range(0, 9, 2))
    key = phone_key(written)
    assert key == "212" + national
    assert phone_key(key) == key
    assert phone_is_valid(written)


@given(st.from_regex(r"\+?[0-9 ()\-]{8,22}", fullmatch=True))
@example("0000612345678")  # a doubled international prefix
@example("+212 (0)6 12 34 56 78")
@example("+33 6 12 34 56 78")
def test_phone_key_is_idempotent_on_every_valid_number(text):
    assume(phone_is_valid(text))
    key = phone_key(text)
    assert phone_key(key) == key


# -- national ID ------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["ab 123456", "AB123456", " Ab-123456 ", "a b 1 2 3 4 5 6",
                                      "ab.123456", "AB/123456"])
def test_national_id_key_ignores_case_spaces_and_separators(spelling):
    assert national_id_key(spelling) == "AB123456"


def test_national_id_key_of_nothing_is_empty():
    assert national_id_key("") == ""
    assert national_id_key(None) == ""


@pytest.mark.parametrize(("raw", "valid"), [
    ("AB123456", True), ("ab 123456", True), ("F123456", True), ("A123", True),
    ("123456", False), ("ABC123456", False), ("AB12345678", False), ("AB", False),
    ("AB12X456", False),
])
def test_national_id_is_valid(raw, valid):
    assert national_id_is_valid(raw) is valid


@given(st.text())
def test_national_id_key_is_idempotent(text):
    assert national_id_key(national_id_key(text)) == national_id_key(text)


# -- masking ----------------------------------------------------------------------------------


def test_mask_keeps_two_characters_at_each_end():
    assert mask("AB123456") == "AB••••56"
    assert mask("0612345678") == "06••••••78"
    assert mask("06 12 34 56 78") == "06 •• •• •• 78"


def test_mask_hides_short_values_entirely():
    assert mask("AB12") == "••••"
    assert mask("A") == "•"


def test_mask_of_nothing_is_empty():
    assert mask("") == ""
    assert mask(None) == ""


@given(st.text(min_size=5))
def test_mask_never_shows_the_middle_and_keeps_the_length(text):
    masked = mask(text)
    assert len(masked) == len(text)
    shown = [i for i, c in enumerate(text) if not c.isspace()]
    middle = shown[2:-2] if len(shown) > 4 else shown
    assert all(masked[i] == "•" for i in middle)
    assert all(masked[i] == c for i, c in enumerate(text) if c.isspace())


# -- edit distance ----------------------------------------------------------------------------


def test_levenshtein():
    assert levenshtein("benali", "benali") == 0
    assert levenshtein("benali", "benaly") == 1
    assert levenshtein("benali", "bennali") == 1
    assert levenshtein("benali", "alaoui", limit=2) == 3  # stops past the limit
