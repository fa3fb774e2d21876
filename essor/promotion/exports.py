"""Exports of events and of an event's participations, as CSV or XLSX.

The stand holder appears by name, sex and birth year only: phones and national IDs are
not needed to account for an event and never leave essor through these files.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from essor.core.exports import Exporter


class EventExporter(Exporter):
    filename = "events"

    def __init__(self, queryset):
        self.queryset = queryset.select_related("region", "province")

    def header(self):
        return [_("code"), _("kind"), _("title"), _("start date"), _("end date"), _("region"),
                _("province"), _("city"), _("city (Arabic)"), _("venue"), _("venue (Arabic)"),
                _("status"), _("number of stands"), _("exhibitors (attended)")]

    def rows(self):
        from .selectors import exhibitors_by_event

        # The catalogue's exhibitors by event (one grouped query, cached).
        exhibitors = exhibitors_by_event()
        for e in self.queryset.iterator(chunk_size=2000):
            yield [e.code, e.get_kind_display(), e.title, e.start_date.isoformat(),
                   e.end_date.isoformat(), e.region.code,
                   e.province.code if e.province_id else "", e.city, e.city_ar, e.venue,
                   e.venue_ar, e.get_status_display(), e.stands, exhibitors.get(e.code, 0)]


class ParticipationExporter(Exporter):
    filename = "participations"

    def __init__(self, queryset):
        self.queryset = queryset.select_related("event", "organisation",
                                                "organisation__region", "holder", "stand")

    def header(self):
        return [_("event"), _("organisation"), _("kind"), _("region"),
                _("person holding the stand"), _("sex"), _("birth year"), _("status"),
                _("stand number"), _("checked in"), _("declared sales (MAD)"), _("visitors")]

    def rows(self):
        for p in self.queryset.iterator(chunk_size=2000):
            checked_in = (timezone.localtime(p.checked_in_at).strftime("%Y-%m-%d %H:%M")
                          if p.checked_in_at else "")
            yield [p.event.code, p.organisation.name, p.organisation.get_kind_display(),
                   p.organisation.region.code, p.holder.full_name, p.holder.sex,
                   p.holder.birth_year, p.get_status_display(),
                   p.stand.number if p.stand_id else "", checked_in, p.sales_mad, p.visitors]


class ApplicationExporter(Exporter):
    filename = "applications"

    def __init__(self, queryset):
        self.queryset = queryset.select_related("event", "organisation",
                                                "organisation__region", "holder")

    def header(self):
        return [_("event"), _("organisation"), _("kind"), _("region"), _("sector"),
                _("person holding the stand"), _("sex"), _("birth year"),
                _("first time exhibiting"), _("products shown"), _("stand needs"),
                _("status"), _("submitted"), _("decided")]

    def rows(self):
        def when(moment):
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""

        for a in self.queryset.iterator(chunk_size=2000):
            holder = a.holder
            yield [a.event.code, a.organisation.name, a.organisation.get_kind_display(),
                   a.organisation.region.code, a.organisation.get_sector_display(),
                   holder.full_name if holder else "", holder.sex if holder else "",
                   holder.birth_year if holder else "", _("yes") if a.first_time else _("no"),
                   a.products, a.stand_needs, a.get_status_display(), when(a.submitted_at),
                   when(a.decided_at)]
