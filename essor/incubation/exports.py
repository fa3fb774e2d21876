"""Exports of incubation, as CSV or XLSX: projects, their holders, coaching sessions.

Holders' phones and national IDs are masked, and their disability left blank, unless the
reader may see personal data (``registry.see_personal_data``), as the registry's exports
do. A coaching session's notes
are written only for who may read them (``incubation.read_notes``: the coaches of the
project's incubator); for everyone else the column is left out altogether.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from essor.accounts import permissions
from essor.core import normalise
from essor.core.exports import Exporter


class ProjectExporter(Exporter):
    filename = "incubation_projects"

    def __init__(self, queryset):
        self.queryset = queryset.select_related("incubator", "cohort", "region", "province",
                                                "organisation")

    def header(self):
        return [_("code"), _("title"), _("title (Arabic)"), _("incubator code"),
                _("cohort code"), _("sector"), _("region"), _("province"), _("phase"),
                _("in this phase since"), _("joined the incubator on"),
                _("left the incubator on"), _("organisation created"), _("young people"),
                _("women"), _("people with disabilities"), _("jobs created for women"),
                _("jobs created for men"), _("revenue")]

    def rows(self):
        def yes(value: bool):
            return _("yes") if value else _("no")

        for p in self.queryset.iterator(chunk_size=2000):
            yield [p.code, p.title, p.title_ar, p.incubator.code,
                   p.cohort.code if p.cohort_id else "", p.get_sector_display(),
                   p.region.code, p.province.code if p.province_id else "",
                   p.get_phase_display(),
                   p.phase_since.isoformat(), p.joined_on.isoformat(),
                   p.left_on.isoformat() if p.left_on else "",
                   p.organisation.name if p.organisation_id else "", yes(p.targets_young),
                   yes(p.targets_women), yes(p.targets_disability), p.jobs_women, p.jobs_men,
                   p.get_revenue_band_display()]


class HolderExporter(Exporter):
    filename = "incubation_holders"

    def __init__(self, queryset, *, user):
        self.queryset = queryset.select_related("project", "person", "person__region")
        self.full = permissions.can(user, "registry.see_personal_data")

    def header(self):
        return [_("project code"), _("first name"), _("last name"),
                _("first name (Arabic script)"), _("last name (Arabic script)"), _("sex"),
                _("birth year"), _("person with a disability"), _("region"), _("phone"),
                _("national ID (CIN)"), _("lead holder")]

    def rows(self):
        for h in self.queryset.iterator(chunk_size=2000):
            p = h.person
            disability: Any
            if self.full:
                disability = _("yes") if p.disability else _("no")
                phone, national_id = normalise.phone_display(p.phone), p.national_id
            else:  # as the registry's export: masked, and no health data
                disability, phone, national_id = "", normalise.mask(p.phone), normalise.mask(
                    p.national_id)
            yield [h.project.code, p.first_name, p.last_name, p.first_name_ar, p.last_name_ar,
                   p.sex, p.birth_year, disability, p.region.code, phone, national_id,
                   _("yes") if h.lead else _("no")]


class SessionExporter(Exporter):
    """Sessions with their notes only where the reader may read them: the notes column
    appears for a coach, filled for the sessions of the incubators they coach in."""

    filename = "coaching_sessions"

    def __init__(self, queryset, *, user):
        self.queryset = queryset.select_related("project", "project__incubator", "coach")
        self.user = user
        self.notes = permissions.can(user, "incubation.read_notes")

    def header(self):
        header = [_("project code"), _("incubator code"), _("coach username"), _("coach"),
                  _("date"), _("duration (hours)"), _("mode"), _("topics")]
        return header + [_("notes")] if self.notes else header

    def rows(self):
        for s in self.queryset.iterator(chunk_size=2000):
            row = [s.project.code, s.project.incubator.code, s.coach.username,
                   s.coach.get_full_name(), s.date.isoformat(), s.duration_hours,
                   s.get_mode_display(), s.topics]
            if self.notes:
                row.append(s.notes if permissions.can(self.user, "incubation.read_notes", s)
                           else "")
            yield row
