"""Exports of workshops and of their enrolments, as CSV or XLSX.

People appear by name, sex, birth year and region only: phones and national IDs are not
needed to account for a workshop and never leave essor through these files.
"""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from essor.core.exports import Exporter

from .models import Enrolment


def _count(condition: Q):
    # A subquery rather than a join: the queryset may already carry its own annotations.
    return Coalesce(Subquery(
        Enrolment.objects.filter(condition, workshop=OuterRef("pk")).order_by()
        .values("workshop").annotate(n=Count("pk")).values("n"),
        output_field=IntegerField()), 0)


class WorkshopExporter(Exporter):
    filename = "workshops"

    def __init__(self, queryset):
        self.queryset = queryset.select_related("theme", "region", "province", "event").annotate(
            export_enrolled=_count(Q(status=Enrolment.Status.ENROLLED)),
            export_attendees=_count(Q(attended=True)))

    def header(self):
        return [_("code"), _("title"), _("theme"), _("date"), _("region"), _("province"),
                _("city"), _("city (Arabic)"), _("venue"), _("venue (Arabic)"), _("event code"),
                _("status"), _("capacity"), _("enrolled"), _("attendees")]

    def rows(self):
        for w in self.queryset.iterator(chunk_size=2000):
            yield [w.code, w.title, w.theme.code, w.date.isoformat(), w.region.code,
                   w.province.code if w.province_id else "", w.city, w.city_ar, w.venue,
                   w.venue_ar, w.event.code if w.event_id else "", w.get_status_display(),
                   w.capacity, w.export_enrolled, w.export_attendees]


class EnrolmentExporter(Exporter):
    filename = "enrolments"

    def __init__(self, queryset):
        self.queryset = queryset.select_related("workshop", "person", "person__region")

    def header(self):
        return [_("workshop code"), _("person"), _("sex"), _("birth year"), _("region"),
                _("status"), _("attended")]

    def rows(self):
        for e in self.queryset.iterator(chunk_size=2000):
            attended = "" if e.attended is None else _("yes") if e.attended else _("no")
            yield [e.workshop.code, e.person.full_name, e.person.sex, e.person.birth_year,
                   e.person.region.code, e.get_status_display(), attended]
