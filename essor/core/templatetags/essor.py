from django import template

from essor.core import normalise, numbers

register = template.Library()


@register.filter
def number(value):
    return numbers.format_int(value)


@register.filter
def percent(value):
    return numbers.format_percent(value)


@register.filter
def masked(value):
    return normalise.mask(value)


@register.filter
def phone(value):
    return normalise.phone_display(value)


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
    from django.utils.html import conditional_escape, format_html

    if value in (None, ""):
        return ""
    text = conditional_escape(value) if autoescape else value
    return format_html('<bdi dir="ltr" class="ltr">{}</bdi>', text)


@register.filter(needs_autoescape=True)
def isolate(value, autoescape=True):
    """Free text that may be in the other script (an Arabic title on a French page, a
    Latin name on an Arabic page): its direction is taken from its own letters and it
    cannot pull the punctuation or the column around it."""
    from django.utils.html import conditional_escape, format_html

    if value in (None, ""):
        return ""
    text = conditional_escape(value) if autoescape else value
    return format_html("<bdi>{}</bdi>", text)
