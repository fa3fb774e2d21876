"""The imports' home card: recent imports that left rows out (see essor.core.home)."""

import datetime

from django.utils import timezone

from essor.accounts.permissions import can
from essor.core.home import card

from . import selectors

RECENT_DAYS = 30
SHOWN = 5


@card("audit.imports_with_errors", template="audit/home/imports_with_errors.html", order=30)
def imports_with_errors(user, today):
    if not can(user, "core.import"):
        return None
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    entries = list(selectors.imports_with_errors(user=user, since=since)[:SHOWN + 1])
    for entry in entries:
        entry.kind = entry.action.removeprefix("import.")
    return {"entries": entries[:SHOWN], "more": len(entries) > SHOWN, "days": RECENT_DAYS}
