"""The columns of the records a drill-down lists, by model: what identifies each record
to the staff who may see names (never a phone or a national ID)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

Cell = tuple[str, str | None]
Column = tuple[Any, Callable[[Any], Cell]]


def _text(value: Any) -> Cell:
    return ("" if value is None else str(value), None)


def _person(person) -> Cell:
    return (person.full_name, reverse("registry:person_detail", args=[person.pk]))


def _organisation(organisation) -> Cell:
    return (organisation.name, reverse("registry:organisation_detail", args=[organisation.pk]))


def _event(event) -> Cell:
    return (event.code, reverse("promotion:event_detail", args=[event.pk]))


def _workshop(workshop) -> Cell:
    return (workshop.code, reverse("training:workshop_detail", args=[workshop.pk]))


def _region(obj) -> Cell:
    region = getattr(obj, "region", None)
    return _text(region.code if region is not None else "")


COLUMNS: dict[str, tuple[Sequence[str], list[Column]]] = {
    "registry.person": (("region",), [
        (_("name"), _person), (_("sex"), lambda p: _text(p.get_sex_display())),
        (_("birth year"), lambda p: _text(p.birth_year)), (_("region"), _region)]),
    "registry.organisation": (("region",), [
        (_("organisation"), _organisation), (_("kind"), lambda o: _text(o.get_kind_display())),
        (_("sector"), lambda o: _text(o.get_sector_display())), (_("region"), _region)]),
    "registry.membership": (("person", "organisation"), [
        (_("name"), lambda m: _person(m.person)),
        (_("organisation"), lambda m: _organisation(m.organisation)),
        (_("role"), lambda m: _text(m.get_role_display()))]),
    "promotion.event": (("region",), [
        (_("code"), _event), (_("title"), lambda e: _text(e.title)),
        (_("kind"), lambda e: _text(e.get_kind_display())),
        (_("start date"), lambda e: _text(e.start_date.isoformat())), (_("region"), _region)]),
    "promotion.participation": (("event", "organisation", "holder"), [
        (_("event"), lambda p: _event(p.event)),
        (_("organisation"), lambda p: _organisation(p.organisation)),
        (_("person holding the stand"), lambda p: _person(p.holder) if p.holder_id else _text("")),
        (_("status"), lambda p: _text(p.get_status_display())),
        (_("declared sales (MAD)"), lambda p: _text(p.sales_mad)),
        (_("visitors"), lambda p: _text(p.visitors))]),
    "training.workshop": (("region", "theme"), [
        (_("code"), _workshop), (_("title"), lambda w: _text(w.title)),
        (_("date"), lambda w: _text(w.date.isoformat())), (_("region"), _region)]),
    "training.enrolment": (("workshop", "person"), [
        (_("workshop"), lambda e: _workshop(e.workshop)),
        (_("date"), lambda e: _text(e.workshop.date.isoformat())),
        (_("name"), lambda e: _person(e.person)),
        (_("status"), lambda e: _text(e.get_status_display()))]),
    "territory.region": ((), [(_("code"), lambda r: _text(r.code)),
                              (_("region"), lambda r: _text(r.name))]),
}


def prepare(queryset: QuerySet[Any]) -> QuerySet[Any]:
    related = COLUMNS.get(queryset.model._meta.label_lower, ((), []))[0]
    return queryset.select_related(*related) if related else queryset


def table(model, objects) -> tuple[list[str], list[list[Cell]]]:
    label = model._meta.label_lower
    if label not in COLUMNS:
        return [str(_("record"))], [[_text(obj)] for obj in objects]
    columns = COLUMNS[label][1]
    return ([str(heading) for heading, _cell in columns],
            [[cell(obj) for _heading, cell in columns] for obj in objects])
