from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from essor.core import normalise, numbers

register = template.Library()


def _left_to_right(text, css: str = "ltr"):
    """``text`` (already escaped or plain) isolated and written left to right; "" stays
    "" so that ``|default:"—"`` still works after the filter."""
    if text in (None, ""):
        return ""
    return format_html('<bdi dir="ltr" class="{}">{}</bdi>', css, text)


# Numbers, phone numbers and masked values are written left to right and never broken
# across lines, whatever the page's direction: ``3.231`` and ``06 12 34 56 78`` read the
# same in an Arabic page. Only templates use these filters; Python code (exports, PDFs'
# data, the API) calls ``essor.core.numbers`` and ``essor.core.normalise`` directly.

@register.filter
def number(value):
    try:
        text = numbers.format_int(value)
    except (TypeError, ValueError):  # not a number: shown as it is
        text = value
    return _left_to_right(text, "ltr nowrap")


@register.filter
def percent(value):
    return _left_to_right(numbers.format_percent(value), "ltr nowrap")


@register.filter
def decimal(value, places=2):
    """``2.5`` → ``2,5`` in French, ``2.5`` in Arabic; at most ``places`` decimals."""
    return _left_to_right(numbers.format_decimal(value, places=int(places)), "ltr nowrap")


@register.filter
def duration(value):
    """Hours as ``2,5 h`` (French) or ``2.5 ساعة`` (Arabic): the number is written left to
    right, the unit follows in the page's direction, and the two are not split."""
    hours = numbers.format_decimal(value, places=2)
    if not hours:
        return ""
    text = conditional_escape(gettext("%(hours)s h")) % {
        "hours": _left_to_right(hours, "ltr nowrap")}
    return format_html('<span class="nowrap">{}</span>', mark_safe(text))  # noqa: S308


@register.filter
def masked(value):
    return _left_to_right(normalise.mask(value), "ltr nowrap masked")


@register.filter
def phone(value):
    return _left_to_right(normalise.phone_display(value), "ltr nowrap")


@register.filter(needs_autoescape=True)
def join_list(items, autoescape=True):
    """Items joined for display with the language's comma (``، `` in Arabic), each
    isolated so that a Latin item in an Arabic list keeps its place."""
    escape = conditional_escape if autoescape else (lambda item: item)
    isolated = [format_html("<bdi>{}</bdi>", escape(item)) for item in items or ()
                if item not in (None, "")]
    return mark_safe(numbers.join_list(isolated))  # noqa: S308


@register.simple_tag
def query_with(query, **changes):
    """The current query string with some parameters replaced (empty value: removed)."""
    params = query.copy()
    for key, value in changes.items():
        if value in ("", None):
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.filter
def pair(first, second):
    return [first, second]


@register.filter
def as_json(value):
    """A stored change as readable JSON (escaped by the template like any text)."""
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@register.filter(needs_autoescape=True)
def ltr(value, autoescape=True):
    """A value written left to right whatever the page's direction: phone numbers,
    national IDs, ICE, codes, e-mails, dates typed as text, amounts. In an Arabic page
    ``06 12 34`` stays ``06 12 34``; the value is isolated from the text around it."""
    if value in (None, ""):
        return ""
    return _left_to_right(conditional_escape(value) if autoescape else value)


@register.filter(needs_autoescape=True)
def isolate(value, autoescape=True):
    """Free text that may be in the other script (an Arabic title on a French page, a
    Latin name on an Arabic page): its direction is taken from its own letters and it
    cannot pull the punctuation or the column around it."""
    if value in (None, ""):
        return ""
    return format_html("<bdi>{}</bdi>", conditional_escape(value) if autoescape else value)
