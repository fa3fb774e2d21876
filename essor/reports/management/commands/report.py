"""essor report --format json [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--region MA-xx]"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from essor.reports.activity import activity_report
from essor.territory.selectors import region_by_code


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(_("Write dates as YYYY-MM-DD: %(value)s") % {"value": value}) from exc


class Command(BaseCommand):
    help = "Print the activity report's figures for a period and a scope."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("--from", dest="date_from")
        parser.add_argument("--to", dest="date_to")
        parser.add_argument("--region", help="ISO 3166-2 code such as MA-02")

    def handle(self, *args, date_from, date_to, region, **options):
        start = _date(date_from) if date_from else None
        end = _date(date_to) if date_to else None
        if start and end and end < start:
            raise CommandError(_("--to is before --from."))
        scope = None
        if region:
            scope = region_by_code(region)
            if scope is None:
                raise CommandError(_("Unknown region code: %(code)s") % {"code": region})
        report = activity_report(date_from=start, date_to=end, region=scope)
        self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
