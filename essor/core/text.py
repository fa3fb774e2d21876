"""Control characters in stored text: refused at the model, whatever the path.

No field of essor holds a control character: C0 (NUL, backspace, vertical tab…), DEL and
C1 are refused. Tab, line feed and carriage return are kept in multi-line fields
(``TextField``) and become a space in one-line fields (``CharField``), as a pasted name
often carries them. Models mix in ``CleanText``: services call ``full_clean``, and forms,
the API and imports all go through the services, so they all get the rule.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

# C0 but tab, line feed and carriage return; DEL; C1.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
LINE_BREAKS = re.compile(r"[\t\r\n]+")


def visible(char: str) -> str:
    """A control character as a message can show it: ``\\x01``."""
    return f"\\x{ord(char):02x}"


def control_character(value: str) -> str | None:
    found = CONTROL_CHARACTERS.search(value)
    return found.group() if found else None


def one_line(value: str) -> str:
    """Tabs and line breaks of a one-line text become one space each run."""
    return LINE_BREAKS.sub(" ", value)


def strip_control_characters(value: str) -> str:
    """For what is already stored (exports): the control characters removed."""
    return CONTROL_CHARACTERS.sub("", value)


def check_text(value: Any, *, multiline: bool = False) -> Any:
    """The text as it may be stored; ValidationError when it holds a control character."""
    if not isinstance(value, str):
        return value
    char = control_character(value)
    if char is not None:
        raise ValidationError(
            _("This text holds a control character (%(char)s): remove it and try again.")
            % {"char": visible(char)}, code="control_character")
    return value if multiline else one_line(value)


class CleanText:
    """Model mixin: every CharField and TextField checked by ``clean_fields``."""

    def clean_fields(self, exclude=None):
        errors: dict[str, list[ValidationError]] = {}
        for field in self._meta.concrete_fields:  # type: ignore[attr-defined]
            if not isinstance(field, models.CharField | models.TextField):
                continue
            if exclude and field.name in exclude:
                continue
            try:
                value = check_text(getattr(self, field.attname),
                                   multiline=isinstance(field, models.TextField))
            except ValidationError as exc:
                errors[field.name] = [exc]
            else:
                setattr(self, field.attname, value)
        try:
            super().clean_fields(exclude=exclude)  # type: ignore[misc]
        except ValidationError as exc:
            for name, messages in exc.error_dict.items():
                errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)
