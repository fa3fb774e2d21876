"""Writes of the calls for projects: the calls themselves (created, edited, published,
closed), the applications that come through the public form (their holders matched to
the registry by the duplicate rules, the e-mail confirmed through a signed link) and the
selection into the call's cohort, one decision at a time or the top N of the ranking
(``selection``), each decision stored with its score and reason, and audited.

Selecting an application makes it a project of the call's cohort, in pre-creation, held
by the application's holders (``services.project_create``: the holders and the target
groups follow). Only applications whose e-mail is confirmed are selected.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from essor.accounts import permissions
from essor.audit import services as audit
from essor.core.scoping import in_scope
from essor.registry import services as registry_services
from essor.registry.models import Person

from . import selection, services
from .models import Application, ApplicationHolder, Call, Cohort, Phase, Project

CALL_AUDITED = ["incubator_id", "code", "title", "title_ar", "criteria", "criteria_ar",
                "opens_on", "closes_on", "places", "selection_rules"]
# Which status of a call may follow which.
CALL_MOVES = {
    Call.Status.DRAFT: {Call.Status.PUBLISHED},
    Call.Status.PUBLISHED: {Call.Status.CLOSED},
    Call.Status.CLOSED: {Call.Status.PUBLISHED},
}
# Which decision may follow which: a rejected application may be reconsidered; a selected
# one is a project of the cohort (it leaves through the project's phases, not here).
DECISION_MOVES = {
    Application.Status.SUBMITTED: {Application.Status.SELECTED, Application.Status.REJECTED},
    Application.Status.REJECTED: {Application.Status.SELECTED},
}
MAX_HOLDERS = 5
CONFIRM_SALT = "essor.incubation.application.confirm"
CONFIRM_DAYS = 14
HOLDER_FIELDS = ("first_name", "last_name", "sex", "birth_year", "disability", "region",
                 "phone")


def _day(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


# -- calls ------------------------------------------------------------------------------------

def is_open(call: Call, today: datetime.date | None = None) -> bool:
    """Whether the public form takes applications to ``call`` today."""
    today = today or timezone.localdate()
    return call.status == Call.Status.PUBLISHED and call.opens_on <= today <= call.closes_on


def check_call(call: Call) -> None:
    if call.opens_on and call.closes_on and call.closes_on < call.opens_on:
        raise ValidationError({"closes_on": _(
            "The call closes on %(closes)s, before it opens (%(opens)s).")
            % {"closes": call.closes_on.isoformat(), "opens": call.opens_on.isoformat()}})
    if call.selection_rules:
        call.selection_rules = selection.Rules.from_json(call.selection_rules).to_json()


@transaction.atomic
def call_create(*, by, **data: Any) -> Call:
    call = Call(**data)
    permissions.check(by, "incubation.manage_project", call.incubator)
    check_call(call)
    call.full_clean()
    call.save()
    audit.record("incubation.call.created", call, by=by, region=call.incubator.region,
                 changes=audit.snapshot(call, CALL_AUDITED))
    return call


@transaction.atomic
def call_update(*, call: Call, by, **data: Any) -> Call:
    call = Call.objects.select_for_update().select_related("incubator").get(pk=call.pk)
    permissions.check(by, "incubation.manage_project", call)
    before = audit.snapshot(call, CALL_AUDITED)
    data.pop("status", None)  # through call_set_status
    incubator = data.pop("incubator", None)
    if incubator is not None and incubator.pk != call.incubator_id:
        if call.applications.exists():
            raise ValidationError({"incubator": _(
                "The call already has applications: it stays with %(incubator)s.")
                % {"incubator": call.incubator.local_name}})
        permissions.check(by, "incubation.manage_project", incubator)
        call.incubator = incubator
    for name, value in data.items():
        setattr(call, name, value)
    check_call(call)
    call.full_clean()
    call.save()
    changes = audit.diff(before, audit.snapshot(call, CALL_AUDITED))
    if changes:
        audit.record("incubation.call.updated", call, by=by, region=call.incubator.region,
                     changes=changes)
    return call


@transaction.atomic
def call_set_status(*, call: Call, status: str, by) -> Call:
    """Publish a draft, close a published call, publish a closed one again."""
    call = Call.objects.select_for_update().select_related("incubator").get(pk=call.pk)
    permissions.check(by, "incubation.manage_project", call)
    if status not in Call.Status.values:
        raise ValidationError(_("“%(status)s” is not a status of a call.") % {"status": status})
    if status not in CALL_MOVES[Call.Status(call.status)]:
        raise ValidationError(_("A call cannot go from %(old)s to %(new)s.")
                              % {"old": call.get_status_display(),
                                 "new": Call.Status(status).label})
    before = call.status
    call.status = status
    call.save(update_fields=["status"])
    audit.record("incubation.call.status", call, by=by, region=call.incubator.region,
                 changes={"status": [before, status]})
    return call


# -- applications -----------------------------------------------------------------------------

def _holder_person(data: dict[str, Any]) -> tuple[Person, str]:
    """The registry's person for a holder typed in the public form: the same person under
    the duplicate rules (left as stored: a visitor does not edit the registry), or a new
    one."""
    region = data.get("region")
    found = registry_services.person_find_same(
        first_name=data.get("first_name", ""), last_name=data.get("last_name", ""),
        phone=data.get("phone", ""), sex=data.get("sex", ""),
        birth_year=data.get("birth_year"), region_id=region.pk if region is not None else None)
    if found is not None:
        return found, "matched"
    person, outcome = registry_services.person_get_or_create(by=None, **data)
    return person, "created" if outcome == "created" else "matched"


@transaction.atomic
def application_submit(*, call: Call, holders: list[dict[str, Any]], lead: int = 0,
                       origin: str = "", language: str = "", **data: Any) -> Application:
    """An application sent through the public form (no account): the project (title,
    summary, sector, region, province, e-mail) and one or several holders, ``lead``
    the index of the lead holder. The confirmation e-mail goes once the transaction
    commits, its link under ``origin`` (the site's address, ``https://…``)."""
    call = Call.objects.select_related("incubator").get(pk=call.pk)
    if not is_open(call):
        if call.status == Call.Status.PUBLISHED and timezone.localdate() > call.closes_on:
            raise ValidationError(_("The call %(title)s closed on %(date)s: it takes no more "
                                    "applications.") % {"title": call.local_title,
                                                        "date": _day(call.closes_on)},
                                  code="call_closed")
        if call.status == Call.Status.PUBLISHED:
            raise ValidationError(_("The call %(title)s opens on %(date)s.")
                                  % {"title": call.local_title, "date": _day(call.opens_on)},
                                  code="call_not_open")
        raise ValidationError(_("The call %(title)s takes no applications.")
                              % {"title": call.local_title}, code="call_closed")
    if not holders:
        raise ValidationError(_("Name at least one holder of the project."),
                              code="no_holder")
    if len(holders) > MAX_HOLDERS:
        raise ValidationError(_("A project has at most %(n)s holders in this form.")
                              % {"n": MAX_HOLDERS}, code="too_many_holders")
    if not 0 <= lead < len(holders):
        lead = 0
    application = Application(call=call, language=language[:8], **data)
    application.full_clean()
    application.save()
    matched = 0
    seen: dict[int, str] = {}
    for index, holder in enumerate(holders):
        person_data = {name: holder[name] for name in HOLDER_FIELDS if name in holder}
        person, outcome = _holder_person(person_data)
        if person.pk in seen:
            raise ValidationError(_("%(first)s and %(second)s are the same person: name each "
                                    "holder once.")
                                  % {"first": seen[person.pk],
                                     "second": f"{holder.get('first_name', '')} "
                                               f"{holder.get('last_name', '')}".strip()},
                                  code="holder_twice")
        seen[person.pk] = person.full_name
        matched += outcome == "matched"
        ApplicationHolder.objects.create(application=application, person=person,
                                         lead=index == lead)
    audit.record("incubation.application.submitted", application, label="public",
                 region=application.region,
                 changes={"call": call.pk, "holders": len(holders), "matched": matched})
    notify_confirmation(application, origin)
    return application


def notify_confirmation(application: Application, origin: str) -> None:
    """The e-mail with the confirmation link, sent by the task backend after commit."""
    from .tasks import send_application_confirmation

    application_id = application.pk
    transaction.on_commit(lambda: send_application_confirmation.enqueue(application_id,
                                                                        origin))


def confirmation_token(application: Application) -> str:
    """A signed token naming the application, valid CONFIRM_DAYS days."""
    return signing.dumps({"a": application.pk, "r": application.reference}, salt=CONFIRM_SALT)


@transaction.atomic
def application_confirm(*, token: str) -> Application:
    """The e-mail of an application confirmed by its link (again: nothing changes)."""
    try:
        value = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_DAYS * 86400)
    except signing.SignatureExpired:
        raise ValidationError(_("This confirmation link is more than %(days)s days old: it "
                                "has expired. Write to the incubator with your application's "
                                "reference.") % {"days": CONFIRM_DAYS},
                              code="link_expired") from None
    except signing.BadSignature:
        raise ValidationError(_("This confirmation link is not valid: copy the whole link "
                                "from the e-mail."), code="link_invalid") from None
    application = (Application.objects.select_for_update().filter(
        pk=value.get("a"), reference=value.get("r")).first()
        if isinstance(value, dict) else None)
    if application is None:
        raise ValidationError(_("This confirmation link is not valid: copy the whole link "
                              "from the e-mail."), code="link_invalid")
    if application.email_confirmed_at is None:
        application.email_confirmed_at = timezone.now()
        application.save(update_fields=["email_confirmed_at"])
        audit.record("incubation.application.confirmed", application, label="public",
                     changes={"reference": application.reference})
    return application


# -- selection --------------------------------------------------------------------------------

def cohort_for_call(call: Call, *, by, date: datetime.date | None = None) -> Cohort:
    """The call's cohort, created at its first selection."""
    cohort = Cohort.objects.filter(call=call).first()
    if cohort is not None:
        return cohort
    code = call.code[:36]
    taken = set(Cohort.objects.filter(code__startswith=code).values_list("code", flat=True))
    number = 1
    candidate = code
    while candidate in taken:
        number += 1
        candidate = f"{code}-{number}"
    cohort = Cohort(incubator=call.incubator, call=call, code=candidate, name=call.title[:150],
                    starts_on=date or timezone.localdate())
    cohort.full_clean()
    cohort.save()
    audit.record("incubation.cohort.created", cohort, by=by, region=call.incubator.region,
                 changes={"call": call.pk, "code": cohort.code})
    return cohort


def _check_selectable(application: Application, by) -> None:
    """What a selection needs: a confirmed e-mail, a free place, and the project and its
    holders within the selector's scope (an incubator's coaches select any; officers,
    the regions of their scope)."""
    call = application.call
    if application.email_confirmed_at is None:
        raise ValidationError(_("The e-mail of %(reference)s is not confirmed yet: only "
                                "confirmed applications are selected.")
                              % {"reference": application.reference}, code="not_confirmed")
    taken = call.applications.filter(status=Application.Status.SELECTED).count()
    if taken >= call.places:
        raise ValidationError(_("The %(places)s places of the call are taken.")
                              % {"places": call.places}, code="no_place")
    if by is None or permissions.can(by, "incubation.own_incubators_only"):
        return
    regions = {application.region_id, *application.holders.values_list(
        "person__region_id", flat=True)}
    outside = [r for r in regions if not in_scope(by, r)]
    if outside:
        raise ValidationError(_("The project %(reference)s or one of its holders is in a "
                                "region outside your scope: the national administration or "
                                "the incubator's coaches select it.")
                              % {"reference": application.reference}, code="out_of_scope")


def _project_code(application: Application) -> str:
    return f"{application.call.code[:30]}-{application.reference.lower()}"


@transaction.atomic
def application_decide(*, application: Application, status: str, by, reason: str = "",
                       points: tuple[dict[str, float], float] | None = None) -> Application:
    """Select or reject an application, with the score the ranking gives it (``points``:
    as the page showed it; computed again otherwise) and a reason (needed to reject, or to
    select a rejected one). Selecting creates the project in the call's cohort."""
    Call.objects.select_for_update().filter(pk=application.call_id).first()  # one at a time
    application = (Application.objects.select_for_update()
                   .select_related("call", "call__incubator", "call__incubator__region")
                   .get(pk=application.pk))
    call = application.call
    permissions.check(by, "incubation.manage_project", call)
    reason = (reason or "").strip()
    if status not in (Application.Status.SELECTED, Application.Status.REJECTED):
        raise ValidationError(_("“%(status)s” is not a decision.") % {"status": status})
    before = application.status
    if status not in DECISION_MOVES.get(Application.Status(before), set()):
        raise ValidationError(_("The application %(reference)s is %(old)s: it cannot be "
                                "%(new)s now.")
                              % {"reference": application.reference,
                                 "old": application.get_status_display(),
                                 "new": Application.Status(status).label},
                              code="decided")
    if status == Application.Status.REJECTED and not reason:
        raise ValidationError({"reason": _("Say why %(reference)s is not selected.")
                               % {"reference": application.reference}},
                              code="reason_required")
    if before == Application.Status.REJECTED and not reason:
        raise ValidationError({"reason": _("Say why %(reference)s, not selected before, is "
                                           "selected now.")
                               % {"reference": application.reference}},
                              code="reason_required")
    if status == Application.Status.SELECTED:
        _check_selectable(application, by)
    if points is None:
        points = selection.points_of(call, application) or _points_alone(call, application)
    application.status = status
    application.score = Decimal(str(points[1])).quantize(Decimal("0.01"))
    application.decision_reason = reason
    application.decided_by = by if getattr(by, "pk", None) else None
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "score", "decision_reason", "decided_by",
                                    "decided_at"])
    project = None
    if status == Application.Status.SELECTED:
        project = _project_from(application, by)
    audit.record("incubation.application.decided", application, by=by,
                 region=call.incubator.region,
                 changes={"status": [before, status], "score": str(application.score),
                          "points": points[0], "reason": reason,
                          "project": project.pk if project else None})
    return application


def _points_alone(call: Call, application: Application) -> tuple[dict[str, float], float]:
    """The points of one application ranked alone against the projects selected so far
    (a rejected one reconsidered: it is not in the ranking)."""
    selected = [selection.entry_from_application(a) for a in call.applications.filter(
        status=Application.Status.SELECTED).select_related("region")
        .prefetch_related("holders__person")]
    ranked = selection.rank([selection.entry_from_application(application)],
                            selected=selected, rules=selection.rules_for(call),
                            year=call.opens_on.year, places=1,
                            home_region=call.incubator.region.code)
    return ranked[0].points, ranked[0].total


def _project_from(application: Application, by) -> Project:
    call = application.call
    cohort = cohort_for_call(call, by=by)
    holders = [h.person for h in application.holders.select_related("person")
               .order_by("-lead", "pk")]
    try:
        return services.project_create(
            by=by, holders=holders, incubator=call.incubator, cohort=cohort,
            application=application, code=_project_code(application),
            title=application.title, summary=application.summary, sector=application.sector,
            region=application.region, province=application.province,
            phase=Phase.PRE_CREATION, joined_on=timezone.localdate())
    except PermissionDenied as exc:
        raise ValidationError(str(exc) or _("You cannot manage this project."),
                              code="out_of_scope") from None


@transaction.atomic
def select_top(*, call: Call, by, shown: set[int]) -> list[Application]:
    """Select the top N of the ranking, as the page showed them (``shown``: their ids):
    refused when the ranking proposes others now."""
    permissions.check(by, "incubation.manage_project", call)
    board = selection.board(call)
    proposed = board.proposed
    if not proposed:
        raise ValidationError(_("No application to select: every place is taken, or no "
                                "confirmed application waits for a decision."),
                              code="nothing_proposed")
    if {r.entry.key for r in proposed} != shown:
        raise ValidationError(_("The applications or the places changed since the page was "
                                "shown. Check the new ranking and try again."),
                              code="ranking_changed")
    return [application_decide(application=board.applications[r.entry.key],
                               status=Application.Status.SELECTED, by=by,
                               points=(r.points, r.total)) for r in proposed]
