"""Codes read aloud and typed by hand: certificate verification codes, badge codes.

One alphabet without the letters that look alike (no ``0``/``O``, no ``1``/``I``/``L``),
upper case only, so that a code said over the phone or copied from paper is typed right;
what is typed is read case-insensitively, with spaces and dashes ignored.
"""

from __future__ import annotations

import re
import secrets

# Readable by hand: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

# What people put between the groups of a code, or around it, when they type it.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_.·/]+")


def readable_code(length: int) -> str:
    """A random code of ``length`` characters of :data:`CODE_ALPHABET`."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(text: str | None) -> str:
    """A typed code as it is stored: upper case, without spaces, dashes or dots
    (``k7m-2qx 9pa`` → ``K7M2QX9PA``)."""
    return _SEPARATORS.sub("", text or "").upper()


def is_readable(code: str) -> bool:
    """Whether ``code`` is made of the alphabet's characters only."""
    return bool(code) and all(c in CODE_ALPHABET for c in code)


def grouped(code: str, size: int = 3, separator: str = "-") -> str:
    """A code in groups, easier to read aloud: ``K7M2QX9PA`` → ``K7M-2QX-9PA``."""
    return separator.join(code[i:i + size] for i in range(0, len(code), size))
