"""What the audit log's action codes mean, in sentences for people.

Each app declares the codes it records, in its own ``essor/<app>/audit_actions.py``
(loaded on first use, like importers), with ``describe``:

    describe("promotion.participation.checked_in", _("Exhibitor checked in"),
             _("%(actor)s checked in %(organisation)s at %(event)s"))

and, for each kind of object its entries point at, one resolver that reads every object
of that kind on a page in ONE query, through the viewer's scoped selector (what the
viewer may not see is not resolved: the entry's stored label is shown, with no link):

    @objects("promotion.participation")
    def _participations(user, ids): ...  # {id: Resolved(label, url, fields)}

A sentence's placeholders are ``actor`` (full name, else user name), ``object`` (the
object's label), the resolved object's fields (``organisation``, ``event``, ``person``…),
and the entry's stored change: a value by its key, a before/after pair as
``<key>_before`` and ``<key>_after``. A change that names another record by its id
(``refs``) shows that record's label. A code nobody declared, or a sentence whose
placeholder the entry cannot fill (an object since deleted), reads in a plain form:
"actor — name: object". Phone numbers and national IDs are always masked.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from essor.core.normalise import mask

from .models import AuditEntry

#: The zone every audit time is shown in, whatever the server's.
ZONE = zoneinfo.ZoneInfo("Africa/Casablanca")
ZONE_NAME = "Africa/Casablanca"

#: Change keys whose values are personal data: masked in sentences, tables and exports.
SENSITIVE = frozenset({"national_id", "phone", "national_id_key", "phone_key"})

Sentence = Any  # a lazy translated string, or a callable(changes) returning one


@dataclass(frozen=True)
class Action:
    code: str
    name: Any
    sentence: Sentence
    without_object: Any = None  # the sentence when the entry points at no object
    refs: Mapping[str, str] = field(default_factory=dict)  # change key -> object type

    def sentence_for(self, changes: dict, has_object: bool) -> Any:
        if not has_object and self.without_object is not None:
            return self.without_object
        return self.sentence(changes) if callable(self.sentence) else self.sentence


@dataclass(frozen=True)
class Resolved:
    label: str
    url: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)


Resolver = Callable[[Any, list[str]], dict[str, Resolved]]

# What the entries store beside a record's fields (no model field to name them): the
# keys written by the middleware, the accounts, imports, exports and merges.
KEY_LABELS = {
    "address": gettext_lazy("address (IP)"), "path": gettext_lazy("page"),
    "method": gettext_lazy("method"), "reason": gettext_lazy("reason"),
    "language": gettext_lazy("language"), "format": gettext_lazy("format"),
    "filters": gettext_lazy("filters"), "file": gettext_lazy("file"),
    "rows": gettext_lazy("rows"), "created": gettext_lazy("created"),
    "updated": gettext_lazy("updated"), "unchanged": gettext_lazy("unchanged"),
    "error_rows": gettext_lazy("rows left out"), "count": gettext_lazy("number"),
    "names": gettext_lazy("names"), "badges": gettext_lazy("badges"),
    "certificates": gettext_lazy("certificates"), "lock_lifted": gettext_lazy("lock lifted"),
    "other_person": gettext_lazy("other person"), "dropped_person": gettext_lazy("person merged"),
    "people": gettext_lazy("people"), "where": pgettext_lazy("audit", "where"),
    "source": gettext_lazy("source"), "outcome": gettext_lazy("outcome"),
    "filled": gettext_lazy("fields filled"), "dropped": gettext_lazy("dropped"),
}
# Values of "reason" (access refused).
REASONS = {"role": gettext_lazy("the role does not give access"),
           "scope": gettext_lazy("the record is outside the account's regions")}

_actions: dict[str, Action] = {}
_resolvers: dict[str, Resolver] = {}
_loaded = False


def describe(code: str, name, sentence: Sentence, *, without_object=None,
             refs: Mapping[str, str] | None = None) -> None:
    """Declare an action code: its short name (the filter's choice) and its sentence."""
    _actions[code] = Action(code, name, sentence, without_object, dict(refs or {}))


def objects(object_type: str) -> Callable[[Resolver], Resolver]:
    """Register the resolver of one object type (``app_label.model``)."""

    def register(function: Resolver) -> Resolver:
        _resolvers[object_type] = function
        return function

    return register


def load() -> None:
    """Import every app's ``audit_actions`` module once, so that its codes register."""
    global _loaded
    if _loaded:
        return
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("audit_actions")
    _loaded = True


def actions() -> dict[str, Action]:
    load()
    return dict(_actions)


def action(code: str) -> Action | None:
    load()
    return _actions.get(code)


def action_name(code: str) -> str:
    found = action(code)
    return str(found.name) if found else code


def choices() -> list[tuple[str, str]]:
    """The known actions, by their readable names, for a filter's select."""
    return sorted(((code, str(a.name)) for code, a in actions().items()),
                  key=lambda c: c[1].casefold())


def object_types() -> list[tuple[str, str]]:
    """The object types entries point at, by their model's name, for a filter's select."""
    load()
    found = []
    for label in _resolvers:
        model = _model(label)
        found.append((label, str(model._meta.verbose_name) if model else label))
    return sorted(found, key=lambda c: c[1].casefold())


# -- times ------------------------------------------------------------------------------------


# A time stored in a snapshot (created/updated, checked in): ISO 8601 with its offset.
_STORED_TIME = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$")


def local_time(at: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(at, ZONE)


def time_text(at: datetime.datetime) -> str:
    """``2025-01-15 11:30:05 (UTC+01:00)``: Morocco's time, its offset named."""
    local = local_time(at)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M:%S} (UTC{offset[:3]}:{offset[3:]})"


# -- reading a page of entries ----------------------------------------------------------------


@dataclass
class Row:
    """One entry as people read it."""

    entry: AuditEntry
    name: str
    text: str  # the sentence, plain (exports)
    html: SafeString  # the sentence, each value escaped and isolated
    time: str
    object_label: str
    object_url: str
    changes: list[tuple[str, str, str]]  # (field, before, after), plain (exports)

    @property
    def table(self) -> list[tuple[str, SafeString, SafeString]]:
        """The changes for a page: each value isolated from the text around it, and
        written left to right when it has no letter (numbers, dates, masked phones)."""
        return [(name, _isolated(before) if before else mark_safe(""), _isolated(after))  # noqa: S308
                for name, before, after in self.changes]


def _isolated(value: str) -> SafeString:
    if any(c.isalpha() for c in value):
        return format_html("<bdi>{}</bdi>", value)
    return format_html('<bdi dir="ltr" class="ltr nowrap">{}</bdi>', value)


def actor_label(entry: AuditEntry) -> str:
    user = entry.actor
    if user is not None:
        return (user.get_full_name() or "").strip() or user.get_username()
    return entry.actor_name or gettext("system")


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model, key: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _is_pair(model, key: str, value) -> bool:
    """A ``[before, after]`` pair, as ``audit.diff`` stores changes of a model's field."""
    return (isinstance(value, list) and len(value) == 2
            and (_field(model, key) is not None or key in ("status", "attended")))


def resolve(entries: Iterable[AuditEntry], user) -> dict[tuple[str, str], Resolved]:
    """Every object the entries point at (and the records their changes name), read in
    one query per object type, through the viewer's scope."""
    load()
    wanted: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        if entry.object_type and entry.object_id:
            wanted[entry.object_type].add(entry.object_id)
        found = _actions.get(entry.action)
        if found and isinstance(entry.changes, dict):
            for key, object_type in found.refs.items():
                value = entry.changes.get(key)
                values = value if isinstance(value, list) else [value]
                wanted[object_type].update(str(v) for v in values
                                           if isinstance(v, int | str) and v != "")
    resolved: dict[tuple[str, str], Resolved] = {}
    for object_type, ids in wanted.items():
        resolver = _resolvers.get(object_type)
        if resolver is None:
            continue
        clean = sorted(i for i in ids if str(i).isdigit())
        if not clean:
            continue
        for pk, value in resolver(user, clean).items():
            resolved[(object_type, str(pk))] = value
    return resolved


class _Values:
    """Display of stored values: choices by their label, booleans as yes/no, regions by
    name, personal data masked, a record named by its id by its label."""

    def __init__(self, resolved, regions):
        self.resolved = resolved
        self.regions = regions

    def show(self, model, key: str, value, ref: str | None = None) -> str:
        if value is None or value == "":
            return "—"
        if key in SENSITIVE and isinstance(value, str):
            return mask(value)
        if ref is not None and isinstance(value, int | str):
            found = self.resolved.get((ref, str(value)))
            return found.label if found else f"#{value}"
        if isinstance(value, bool):
            return gettext("yes") if value else gettext("no")
        if isinstance(value, str) and _STORED_TIME.match(value):
            return time_text(datetime.datetime.fromisoformat(value))
        if key == "reason" and value in REASONS:
            return str(REASONS[value])
        if isinstance(value, dict):
            return "; ".join(f"{self.label(model, k)}: {self.show(model, k, v)}"
                             for k, v in value.items())
        if isinstance(value, list):
            return ", ".join(self.show(model, key, v, ref) for v in value)
        model_field = _field(model, key)
        if model_field is not None:
            if model_field.choices:
                return str(dict(model_field.flatchoices).get(value, value))
            target = getattr(model_field, "related_model", None)
            if target is not None and target._meta.label_lower == "territory.region":
                return self.regions.get(value, f"#{value}")
            if target is not None:
                return f"#{value}"
        return str(value)

    @staticmethod
    def label(model, key: str) -> str:
        model_field = _field(model, key)
        if model_field is not None and getattr(model_field, "verbose_name", None):
            name = str(model_field.verbose_name)
        elif key in KEY_LABELS:
            name = str(KEY_LABELS[key])
        else:
            name = key.removesuffix("_id").replace("_", " ")
        return name[:1].upper() + name[1:]


def _regions(entries: list[AuditEntry]) -> dict[int, str]:
    """Region names for the changes that store a region's id (one query, only if any)."""
    ids = {v for e in entries if isinstance(e.changes, dict)
           for k, v in e.changes.items()
           if k in ("region", "region_id") and isinstance(v, int)}
    ids |= {x for e in entries if isinstance(e.changes, dict)
            for k, v in e.changes.items() if k in ("region", "region_id")
            and isinstance(v, list) for x in v if isinstance(x, int)}
    if not ids:
        return {}
    from essor.territory.models import Region

    return {r.pk: r.name for r in Region.objects.filter(pk__in=ids)}


def rows(entries: Iterable[AuditEntry], user) -> list[Row]:
    """The entries as sentences, tables and links: a constant number of queries for a
    page, whatever its length (one per object type it shows)."""
    entries = list(entries)
    resolved = resolve(entries, user)
    values = _Values(resolved, _regions(entries))
    return [_row(entry, resolved, values) for entry in entries]


def _row(entry: AuditEntry, resolved, values: _Values) -> Row:
    found = _actions.get(entry.action)
    model = _model(entry.object_type) if entry.object_type else None
    target = resolved.get((entry.object_type, entry.object_id)) if entry.object_id else None
    object_label = target.label if target else (
        entry.object_repr or (f"#{entry.object_id}" if entry.object_id else ""))
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    refs = found.refs if found else {}

    context: dict[str, str] = {"actor": actor_label(entry), "object": object_label}
    if target:
        context.update(target.fields)
    table = []
    for key, value in changes.items():
        ref = refs.get(key)
        if _is_pair(model, key, value) and ref is None:
            before, after = (values.show(model, key, v) for v in value)
            context[f"{key}_before"], context[f"{key}_after"] = before, after
        else:
            before, after = "", values.show(model, key, value, ref)
            context.setdefault(key, after)
        table.append((values.label(model, key), before, after))

    name = str(found.name) if found else entry.action
    template = found.sentence_for(changes, bool(entry.object_type)) if found else None
    text, html = _sentence(template, context, name)
    return Row(entry=entry, name=name, text=text, html=html, time=time_text(entry.at),
               object_label=object_label, object_url=target.url if target else "",
               changes=table)


def _sentence(template, context: dict[str, str], name: str) -> tuple[str, SafeString]:
    escaped = {k: _isolated(v) for k, v in context.items()}
    if template is not None:
        try:
            pattern = str(template)
            return pattern % context, mark_safe(conditional_escape(pattern) % escaped)  # noqa: S308
        except (KeyError, ValueError, TypeError):
            pass
    # An unknown code, or a sentence this entry cannot fill: still readable.
    if context.get("object"):
        text = f"{context['actor']} — {name}: {context['object']}"
        html = format_html("{} — {}: {}", escaped["actor"], name, escaped["object"])
    else:
        text = f"{context['actor']} — {name}"
        html = format_html("{} — {}", escaped["actor"], name)
    return text, html


__all__ = ["SENSITIVE", "ZONE", "ZONE_NAME", "Action", "Resolved", "Row", "action",
           "action_name", "actions", "actor_label", "choices", "describe", "load",
           "local_time", "object_types", "objects", "resolve", "rows", "time_text"]
