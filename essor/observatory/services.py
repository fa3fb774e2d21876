"""Writing an observatory's datasets and notes: what may be published, by whom, audited.

Forms, the API and the admin call these; each checks the permission
(``observatory.publish_dataset``) and the rules of a dataset (a known indicator, at most
two breakdowns it supports, a period in order) and raises ``ValidationError`` naming the
refused value.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from essor.accounts.permissions import check
from essor.audit import services as audit

from .catalogue import UnknownIndicator, get
from .compute import IndicatorError, checked_breakdowns
from .models import Dataset, Observatory, ObservatoryNote


def _checked_dataset(indicator_code: str, breakdowns: str,
                     period_start: datetime.date | None,
                     period_end: datetime.date | None) -> str:
    """The dataset's breakdowns, written as the catalogue reads them."""
    try:
        item = get(indicator_code)
        by = checked_breakdowns(item, breakdowns)
    except UnknownIndicator as exc:
        raise ValidationError({"indicator_code": str(exc)}) from None
    except IndicatorError as exc:
        raise ValidationError({"breakdowns": str(exc)}) from None
    if period_start and period_end and period_end < period_start:
        raise ValidationError({"period_end": _(
            "The end of the period (%(to)s) is before its start (%(start)s).")
            % {"to": period_end, "start": period_start}})
    return ",".join(by)


@transaction.atomic
def dataset_create(*, observatory: Observatory, indicator_code: str, breakdowns: str = "",
                   period_start: datetime.date | None = None,
                   period_end: datetime.date | None = None, title_fr: str = "",
                   title_ar: str = "", by=None) -> Dataset:
    check(by, "observatory.publish_dataset", observatory)
    by_codes = _checked_dataset(indicator_code, breakdowns, period_start, period_end)
    dataset = Dataset.objects.create(
        observatory=observatory, indicator_code=indicator_code, breakdowns=by_codes,
        period_start=period_start, period_end=period_end, title_fr=title_fr,
        title_ar=title_ar)
    audit.record("observatory.dataset_created", dataset, by=by, changes={
        "indicator": indicator_code, "breakdowns": by_codes,
        "period": [str(period_start or ""), str(period_end or "")]})
    return dataset


def _refuse_undoing_suppression(dataset: Dataset) -> None:
    """Published beside the tables already out, a new table can make some of their cells
    suppressed: the files already downloaded would give those cells away, and with them
    what the new table hides. Refused, naming the tables to withdraw first."""
    from .opendata import newly_hidden

    hidden = newly_hidden(dataset)
    if hidden:
        names = ", ".join(f"{d.indicator_code} ({d.breakdowns or '-'})"
                          for d in Dataset.objects.filter(pk__in=hidden).order_by("pk"))
        raise ValidationError(_(
            "Publishing %(dataset)s would hide cells that %(published)s already publish, "
            "and the files already downloaded would give them away: withdraw those first "
            "or publish other breakdowns.") % {
                "dataset": f"{dataset.indicator_code} ({dataset.breakdowns or '-'})",
                "published": names})


@transaction.atomic
def dataset_publish(dataset: Dataset, *, published: bool, by=None) -> Dataset:
    """Publish a dataset as open data (its small cells suppressed), or withdraw it."""
    check(by, "observatory.publish_dataset", dataset.observatory)
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if dataset.published == published:
        return dataset
    if published:
        _refuse_undoing_suppression(dataset)
    dataset.published = published
    dataset.published_at = timezone.now() if published else None
    dataset.save(update_fields=["published", "published_at"])
    audit.record("observatory.dataset_published" if published
                 else "observatory.dataset_withdrawn", dataset, by=by)
    return dataset


@transaction.atomic
def note_create(*, observatory: Observatory, title: str, body: str, language: str = "fr",
                by=None) -> ObservatoryNote:
    check(by, "observatory.publish_dataset", observatory)
    title, body = title.strip(), body.strip()
    if not title:
        raise ValidationError({"title": _("A note needs a title.")})
    if not body:
        raise ValidationError({"body": _("A note needs a text.")})
    if language not in ("fr", "ar"):
        raise ValidationError({"language": _("Unknown language: %(value)s")
                               % {"value": language}})
    note = ObservatoryNote.objects.create(
        observatory=observatory, title=title, body=body, language=language,
        author=by if getattr(by, "is_authenticated", False) else None)
    audit.record("observatory.note_created", note, by=by, changes={"title": title})
    return note


@transaction.atomic
def note_publish(note: ObservatoryNote, *, published: bool, by=None) -> ObservatoryNote:
    check(by, "observatory.publish_dataset", note.observatory)
    if note.published != published:
        note.published = published
        note.save(update_fields=["published"])
        audit.record("observatory.note_published" if published
                     else "observatory.note_withdrawn", note, by=by)
    return note
