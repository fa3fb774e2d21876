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
