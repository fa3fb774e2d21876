"""Normalisation of the identifiers that decide whether two records are one person."""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015'\u2019\u02bc`´]+")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_TATWEEL_AND_MARKS = re.compile(r"[\u0640\u064b-\u065f\u0670]")
_NATIONAL_ID = re.compile(r"^[A-Z]{1,2}\d{3,7}$")
_NATIONAL_ID_SEPARATORS = re.compile(r"[\s\-./]")
_NOT_DIGITS = re.compile(r"\D")


def name_key(*parts: str | None) -> str:
    """Case-folded, accents removed, runs of spaces, hyphens and apostrophes made one space."""
    text = " ".join(p for p in parts if p)
    if text.isascii():  # most names: nothing to decompose, no Arabic marks
        return _SEPARATORS.sub(" ", text).strip().casefold()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _TATWEEL_AND_MARKS.sub("", text)
    return _SEPARATORS.sub(" ", text).strip().casefold()


def name_skeleton(*parts: str | None) -> str:
    """A script-independent sound key: Latin or Arabic spelling → consonants only.

    "Mohamed Alaoui", "Mohammed El Alaoui" and "محمد العلوي" give the same key; used only
    to propose merge candidates, never to merge on its own.
    """
    words = []
    for word in name_key(*parts).split(" "):
        if has_arabic(word) and word.startswith("ال") and len(word) > 3:
            word = word[2:]  # the article is written attached in Arabic
        word = unidecode(word).lower()
        if word in {"el", "al", "ben", "bin", "ibn", "ait", "aït"}:
            continue
        word = re.sub(r"[^a-z]", "", word)
        word = word.replace("kh", "k").replace("ch", "s").replace("sh", "s").replace("q", "k")
        word = word.replace("dh", "d").replace("th", "t").replace("gh", "g")
        consonants = re.sub(r"[aeiouyw]+", "", word)
        consonants = re.sub(r"(.)\1+", r"\1", consonants)
        if consonants:
            words.append(consonants)
    return " ".join(sorted(words))


def has_arabic(text: str | None) -> bool:
    return bool(text and _ARABIC.search(text))


def phone_key(raw: str | None) -> str:
    """Moroccan numbers as one canonical form: ``06…``, ``+212 6…`` and ``00212 6…`` → ``2126…``.

    Returns "" for an empty value; other numbers keep their digits (prefixed by ``+``
    handling) so that they still compare equal to themselves.
    """
    if not raw:
        return ""
    digits = _NOT_DIGITS.sub("", raw)
    while digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith("2120"):  # +212 (0)6…
        digits = "212" + digits[4:]
    if digits.startswith("0") and len(digits) == 10:
        digits = "212" + digits[1:]
    elif len(digits) == 9 and digits[0] in "5678":
        digits = "212" + digits
    return digits


def phone_is_valid(raw: str) -> bool:
    digits = _NOT_DIGITS.sub("", raw)
    if digits.startswith("0") and not digits.startswith("00") and len(digits) != 10:
        return False  # a national number is 0 and nine digits
    key = phone_key(raw)
    if key.startswith("212"):
        return len(key) == 12 and key[3] in "5678"
    return 8 <= len(key) <= 15


def phone_display(raw: str | None) -> str:
    key = phone_key(raw)
    if key.startswith("212") and len(key) == 12:
        local = "0" + key[3:]
        return " ".join([local[:4], local[4:6], local[6:8], local[8:]])
    return raw or ""


def phone_canonical(raw: str | None) -> str:
    """The one form essor stores a phone in: ``06 12 34 56 78`` for a Moroccan number,
    whatever was typed (``0612345678``, ``+212 6…``, ``00212 6…``, ``612345678`` from a
    spreadsheet that dropped the 0); other numbers as ``+`` and their digits."""
    if not raw or not raw.strip():
        return ""
    key = phone_key(raw)
    if key.startswith("212") and len(key) == 12:
        local = "0" + key[3:]
        return " ".join(local[i:i + 2] for i in range(0, 10, 2))
    return "+" + key if key else raw.strip()


def national_id_key(raw: str | None) -> str:
    """National ID card number with case and spaces (and stray separators) ignored."""
    if not raw:
        return ""
    if raw.isalnum():  # nothing to remove
        return raw.upper()
    return _NATIONAL_ID_SEPARATORS.sub("", raw).upper()


def national_id_is_valid(raw: str) -> bool:
    """CIN/CNIE: one or two letters then digits (no check digit; validated tolerantly)."""
    return bool(_NATIONAL_ID.match(national_id_key(raw)))


def mask(value: str | None, keep: int = 2) -> str:
    """``AB123456`` → ``AB••••56``, ``06 12 34 56 78`` → ``06 •• •• •• 78``, for readers
    without the need to know: spaces stay, so a masked phone keeps its shape."""
    if not value:
        return ""
    shown = [i for i, c in enumerate(value) if not c.isspace()]
    hidden = set(shown) if len(shown) <= keep * 2 else set(shown[keep:-keep])
    return "".join("•" if i in hidden else c for i, c in enumerate(value))


def levenshtein(a: str, b: str, limit: int = 3) -> int:
    """Edit distance, stopping early once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def search_text(raw: str | None, limit: int = 100) -> str:
    """A search box's text made safe to query with: no NUL byte (PostgreSQL refuses
    them), trimmed, and cut to a sane length."""
    return (raw or "").replace("\x00", "").strip()[:limit]
