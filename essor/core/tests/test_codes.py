"""Codes read aloud and typed by hand: one alphabet without look-alikes, read back
whatever the case and the separators, for certificates and badges alike."""

import pytest

from essor.core import codes
from essor.promotion.models import BADGE_CODE_LENGTH, Participation, new_badge_code
from essor.training.models import CODE_ALPHABET as TRAINING_ALPHABET
from essor.training.models import certificate_code


def test_the_alphabet_has_no_letters_that_look_alike():
    for confusable in "0O1IL":
        assert confusable not in codes.CODE_ALPHABET
    assert codes.CODE_ALPHABET == codes.CODE_ALPHABET.upper()
    assert len(set(codes.CODE_ALPHABET)) == len(codes.CODE_ALPHABET) == 31


def test_certificates_and_badges_share_the_alphabet():
    assert TRAINING_ALPHABET is codes.CODE_ALPHABET
    for code in (certificate_code() for _ in range(50)):
        assert len(code) == 10 and codes.is_readable(code)
    for code in (new_badge_code() for _ in range(50)):
        assert len(code) == BADGE_CODE_LENGTH == 9 and codes.is_readable(code)


def test_a_new_participation_gets_a_readable_badge_code():
    field = Participation._meta.get_field("badge_code")
    code = field.get_default()
    assert len(code) == 9 and codes.is_readable(code)


def test_readable_codes_are_drawn_from_the_whole_alphabet():
    drawn = "".join(codes.readable_code(9) for _ in range(400))
    assert set(drawn) == set(codes.CODE_ALPHABET)


@pytest.mark.parametrize("typed", ["K7M2QX9PA", "k7m2qx9pa", "K7M-2QX-9PA", "k7m 2qx 9pa",
                                   " k7m–2qx—9pa ", "K7M.2QX.9PA", "k7m_2qx-9Pa\t"])
def test_a_typed_code_is_read_whatever_the_case_and_separators(typed):
    assert codes.normalise_code(typed) == "K7M2QX9PA"


def test_normalising_nothing_is_empty():
    assert codes.normalise_code(None) == "" and codes.normalise_code("  - ") == ""


def test_a_code_is_shown_in_groups_of_three():
    assert codes.grouped("K7M2QX9PA") == "K7M-2QX-9PA"
    assert codes.grouped("ABCDE23456", size=5) == "ABCDE-23456"
    assert codes.grouped("") == ""


def test_is_readable_refuses_look_alikes_and_lower_case():
    assert codes.is_readable("K7M2QX9PA")
    assert not codes.is_readable("K7M2QX9P0")
    assert not codes.is_readable("k7m2qx9pa")
    assert not codes.is_readable("")
