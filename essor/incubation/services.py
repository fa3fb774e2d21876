"""Writes for incubation: projects and their holders, the phases' state machine, the
milestones, coaching sessions and their next steps, outcomes and follow-ups. Atomic,
validated, audited. (Calls, applications and selection: ``calls``.)

The phases: ``pre_creation → creation → development → extension``, one step forward at
a time; skipping a phase, going back, dropping a project or taking a dropped one back
needs a reason, recorded in the dated history (``PhaseChange``) and the audit log. A
project enters a phase only once the milestones marked required in every phase before it
are reached. Dropping a project ends its coaching (``left_on``); a project in extension
leaves with ``project_leave``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from essor.accounts import permissions
from essor.audit import services as audit
from essor.core.definitions import is_young
from essor.core.scoping import in_scope
from essor.registry import services as registry_services
from essor.registry.models import Organisation, Person

from .models import (
    PHASE_ORDER,
    CoachingSession,
    FollowUp,
    Holder,
    Incubator,
    Milestone,
    MilestoneReached,
    NextStep,
    Phase,
    PhaseChange,
    Project,
)

PROJECT_AUDITED = ["code", "title", "title_ar", "summary", "sector", "region_id",
                   "province_id", "incubator_id", "cohort_id", "joined_on", "organisation_id",
                   "jobs_women", "jobs_men", "revenue_band"]
# Never the notes: the audit log is read by the national admin, the notes are the coaches'.
SESSION_AUDITED = ["project_id", "coach_id", "date", "duration_hours", "mode", "topics"]
PHASE_NAMES = [str(p) for p in PHASE_ORDER]


def phase_label(phase: str) -> str:
    return str(Phase(phase).label) if phase in Phase.values else phase


# -- the phases' state machine ----------------------------------------------------------------

def transition_kind(current: str, target: str) -> str | None:
    """How a move from ``current`` to ``target`` is named: ``forward`` (the next phase),
    ``skip`` (past one or more phases), ``back``, ``drop``, ``resume`` (out of dropped);
    None for no move at all."""
    if current == target:
        return None
    if target == Phase.DROPPED:
        return "drop"
    if current == Phase.DROPPED:
        return "resume"
    step = PHASE_NAMES.index(target) - PHASE_NAMES.index(current)
    if step == 1:
        return "forward"
    return "skip" if step > 1 else "back"


def needs_reason(current: str, target: str) -> bool:
    """Every move but one step forward is explained."""
    return transition_kind(current, target) not in ("forward", None)


def missing_milestones(project: Project, target: str) -> list[Milestone]:
    """The required milestones of the phases before ``target`` that ``project`` has not
    reached (none when ``target`` is dropped or a phase behind)."""
    if target not in PHASE_NAMES:
        return []
    before = PHASE_NAMES[:PHASE_NAMES.index(target)]
    reached = set(project.milestones.values_list("milestone_id", flat=True))
    return [m for m in Milestone.objects.filter(required=True, phase__in=before)
            if m.pk not in reached]


def check_transition(project: Project, target: str, *, reason: str,
                     date: datetime.date) -> str:
    """The move's kind, or ValidationError naming what refuses it."""
    if target not in Phase.values:
        raise ValidationError(_("“%(phase)s” is not a phase.") % {"phase": target},
                              code="unknown_phase")
    kind = transition_kind(project.phase, target)
    if kind is None:
        raise ValidationError(_("The project is already in the phase %(phase)s.")
                              % {"phase": phase_label(target)}, code="same_phase")
    if kind != "forward" and not reason.strip():
        raise ValidationError(
            {"reason": _("Moving from %(old)s to %(new)s needs a reason.")
             % {"old": phase_label(project.phase), "new": phase_label(target)}},
            code="reason_required")
    if kind in ("forward", "skip", "resume"):
        missing = missing_milestones(project, target)
        if missing:
            raise ValidationError(
                _("The project cannot enter %(phase)s before these milestones: %(names)s.")
                % {"phase": phase_label(target),
                   "names": ", ".join(m.name for m in missing)},
                code="milestones_missing")
    if date > timezone.localdate():
        raise ValidationError({"date": _("The date %(date)s is in the future.")
                               % {"date": date.isoformat()}}, code="future_date")
    if date < project.phase_since:
        raise ValidationError(
            {"date": _("The date %(date)s is before the project entered its current phase "
                       "(%(since)s).") % {"date": date.isoformat(),
                                          "since": project.phase_since.isoformat()}},
            code="date_before_phase")
    return kind


@transaction.atomic
def project_move(*, project: Project, phase: str, by, reason: str = "",
                 date: datetime.date | None = None) -> Project:
    """Move ``project`` to ``phase`` on ``date`` (today by default)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    permissions.check(by, "incubation.manage_project", project)
    date = date or timezone.localdate()
    reason = (reason or "").strip()
    kind = check_transition(project, phase, reason=reason, date=date)
    before = project.phase
    PhaseChange.objects.create(project=project, from_phase=before, to_phase=phase, date=date,
                               reason=reason, by=by if getattr(by, "pk", None) else None)
    project.phase = phase
    project.phase_since = date
    if kind == "drop":
        project.left_on = date
    elif kind == "resume":
        project.left_on = None
    project.save(update_fields=["phase", "phase_since", "left_on", "updated_at"])
    audit.record("incubation.project.phase", project, by=by,
                 changes={"phase": [before, phase], "kind": kind, "date": date.isoformat(),
                          "reason": reason})
    return project


@transaction.atomic
def project_leave(*, project: Project, by, date: datetime.date | None = None) -> Project:
    """End the coaching of a project in extension: the follow-ups count from ``date``."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    permissions.check(by, "incubation.manage_project", project)
    date = date or timezone.localdate()
    if project.phase != Phase.EXTENSION:
        raise ValidationError(_("Only a project in extension leaves the incubator; drop the "
                                "others."), code="not_in_extension")
    if project.left_on:
        raise ValidationError(_("This project already left the incubator on %(date)s.")
                              % {"date": project.left_on.isoformat()}, code="already_left")
    if date < project.phase_since or date > timezone.localdate():
        raise ValidationError({"date": _("The date %(date)s is outside the project's "
                                         "extension phase.") % {"date": date.isoformat()}})
    project.left_on = date
    project.save(update_fields=["left_on", "updated_at"])
    audit.record("incubation.project.left", project, by=by, changes={"left_on": date.isoformat()})
    return project


# -- incubators -------------------------------------------------------------------------------

INCUBATOR_AUDITED = ["code", "name", "name_ar", "host_id", "region_id", "capacity", "opened_on"]


def _set_coaches(incubator: Incubator, coaches) -> dict[str, list[int]]:
    """Attach exactly ``coaches`` (users with the coach role) to ``incubator``; the ids
    added and removed."""
    wanted = list(coaches)
    for user in wanted:
        if getattr(user, "role", "") != "coach":
            raise ValidationError({"coaches": _("%(name)s is not a coach.")
                                   % {"name": user.get_full_name() or user.get_username()}})
    before = set(incubator.coaches.values_list("pk", flat=True))
    after = {user.pk for user in wanted}
    incubator.coaches.set(wanted)
    return {"added": sorted(after - before), "removed": sorted(before - after)}


@transaction.atomic
def incubator_create(*, by, coaches=(), **data: Any) -> Incubator:
    """An incubator hosted by a registry organisation (a faculty, a university…), with
    its coaches."""
    permissions.check(by, "incubation.manage_incubators")
    incubator = Incubator(**data)
    incubator.full_clean()
    incubator.save()
    attached = _set_coaches(incubator, coaches)
    audit.record("incubation.incubator.created", incubator, by=by,
                 changes={**audit.snapshot(incubator, INCUBATOR_AUDITED),
                          "coaches": attached["added"]})
    return incubator


@transaction.atomic
def incubator_update(*, incubator: Incubator, by, coaches=None, **data: Any) -> Incubator:
    permissions.check(by, "incubation.manage_incubators")
    incubator = Incubator.objects.select_for_update().get(pk=incubator.pk)
    before = audit.snapshot(incubator, INCUBATOR_AUDITED)
    for name, value in data.items():
        setattr(incubator, name, value)
    incubator.full_clean()
    incubator.save()
    changes: dict[str, Any] = audit.diff(before, audit.snapshot(incubator, INCUBATOR_AUDITED))
    if coaches is not None:
        attached = _set_coaches(incubator, coaches)
        if attached["added"] or attached["removed"]:
            changes["coaches"] = attached
    if changes:
        audit.record("incubation.incubator.updated", incubator, by=by, changes=changes)
    return incubator


# -- projects and holders ---------------------------------------------------------------------

def check_project(project: Project, by) -> None:
    """The links a project may have: a cohort of its incubator; an organisation created
    once the project reached creation; a region of the writer's scope."""
    cohort = project.cohort if project.cohort_id else None
    if cohort is not None and cohort.incubator_id != project.incubator_id:
        raise ValidationError({"cohort": _("The cohort %(cohort)s is not one of this "
                                           "incubator's.") % {"cohort": cohort.code}})
    if project.organisation_id and project.phase == Phase.PRE_CREATION:
        raise ValidationError({"organisation": _(
            "A project in pre-creation has no organisation yet: it is linked at the creation "
            "phase.")})
    if project.organisation_id:
        organisation: Organisation = project.organisation  # type: ignore[assignment]
        if organisation.kind not in (Organisation.Kind.COOPERATIVE,
                                     Organisation.Kind.ASSOCIATION, Organisation.Kind.MUTUAL,
                                     Organisation.Kind.ESS_ENTERPRISE):
            raise ValidationError({"organisation": _(
                "The organisation a project becomes is a cooperative, an association, a "
                "mutual or an ESS enterprise, not a %(kind)s.")
                % {"kind": organisation.get_kind_display()}})
        taken = Project.objects.filter(organisation_id=project.organisation_id).exclude(
            pk=project.pk).first()
        if taken is not None:
            raise ValidationError({"organisation": _(
                "The organisation %(name)s is already the outcome of the project %(project)s.")
                % {"name": organisation.name, "project": taken.code}})
    if by is not None and project.region_id and not in_scope(by, project.region_id) \
            and not permissions.can(by, "incubation.own_incubators_only"):
        raise PermissionDenied(_("This region is outside your scope."))


@transaction.atomic
def project_create(*, by, holders: list[Person] | tuple[Person, ...] = (),
                   **data: Any) -> Project:
    """A project entering its incubator (in pre-creation unless ``phase`` says otherwise,
    as an import of a running pipeline does), with its first holders."""
    project = Project(**data)
    incubator: Incubator = project.incubator
    permissions.check(by, "incubation.manage_project", incubator)
    project.joined_on = project.joined_on or timezone.localdate()
    project.phase_since = project.phase_since or project.joined_on
    if project.joined_on > timezone.localdate():
        raise ValidationError({"joined_on": _("The date %(date)s is in the future.")
                               % {"date": project.joined_on.isoformat()}})
    check_project(project, by)
    project.full_clean()
    project.save()
    PhaseChange.objects.create(project=project, from_phase="", to_phase=project.phase,
                               date=project.phase_since, by=by if getattr(by, "pk", None) else None)
    for index, person in enumerate(holders):
        _holder_add(project, person, lead=index == 0, by=by)
    project_refresh_targets(project)
    audit.record("incubation.project.created", project, by=by,
                 changes=audit.snapshot(project, PROJECT_AUDITED + ["phase"]))
    return project


@transaction.atomic
def project_update(*, project: Project, by, **data: Any) -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    permissions.check(by, "incubation.manage_project", project)
    before = audit.snapshot(project, PROJECT_AUDITED)
    for name in ("phase", "phase_since", "left_on", "incubator", "incubator_id"):
        data.pop(name, None)  # phases move through project_move; a project keeps its incubator
    for name, value in data.items():
        setattr(project, name, value)
    check_project(project, by)
    project.full_clean()
    project.save()
    changes = audit.diff(before, audit.snapshot(project, PROJECT_AUDITED))
    if changes:
        audit.record("incubation.project.updated", project, by=by, changes=changes)
    project_refresh_targets(project)
    return project


def project_refresh_targets(project: Project) -> None:
    """The target groups a project reaches, from its holders: young people (under 35 in
    the year it joined), women, people with disabilities."""
    people = list(Person.objects.filter(held_projects__project=project)
                  .values_list("sex", "birth_year", "disability"))
    year = project.joined_on.year
    flags = {"targets_women": any(sex == "F" for sex, _b, _d in people),
             "targets_young": any(is_young(birth, year) for _s, birth, _d in people),
             "targets_disability": any(disability for _s, _b, disability in people)}
    if any(getattr(project, name) != value for name, value in flags.items()):
        Project.objects.filter(pk=project.pk).update(**flags)
        for name, value in flags.items():
            setattr(project, name, value)


def _holder_add(project: Project, person: Person, *, lead: bool, by) -> Holder:
    if by is not None and not in_scope(by, person.region_id) \
            and not permissions.can(by, "incubation.own_incubators_only"):
        raise PermissionDenied(_("This person is outside your scope."))
    holder, created = Holder.objects.get_or_create(project=project, person=person,
                                                   defaults={"lead": lead})
    if not created:
        raise ValidationError(_("%(name)s already holds this project.")
                              % {"name": person.full_name}, code="holder_twice")
    return holder


@transaction.atomic
def holder_add(*, project: Project, person: Person, by, lead: bool = False) -> Holder:
    project = Project.objects.select_for_update().get(pk=project.pk)
    permissions.check(by, "incubation.manage_project", project)
    lead = lead or not project.holders.exists()
    if lead:
        project.holders.update(lead=False)
    holder = _holder_add(project, person, lead=lead, by=by)
    project_refresh_targets(project)
    audit.record("incubation.holder.added", project, by=by,
                 changes={"person": person.pk, "lead": lead})
    return holder


def holder_for_project(*, project: Project, by, **person_data: Any) -> tuple[Holder, str]:
    """A holder typed on the project's page or in an import: matched against the registry
    by the duplicate rules, or registered in the project's region."""
    permissions.check(by, "incubation.manage_project", project)
    person_data.setdefault("region", project.region)
    actor = by if by is not None and permissions.can(by, "registry.edit_person") else None
    person, outcome = registry_services.person_get_or_create(by=actor, **person_data)
    return holder_add(project=project, person=person, by=by), outcome


@transaction.atomic
def holder_remove(*, holder: Holder, by) -> None:
    project = Project.objects.select_for_update().get(pk=holder.project_id)
    permissions.check(by, "incubation.manage_project", project)
    if project.holders.count() == 1:
        raise ValidationError(_("A project keeps at least one holder."), code="last_holder")
    person_id, was_lead = holder.person_id, holder.lead
    holder.delete()
    if was_lead:
        first = project.holders.order_by("pk").first()
        if first is not None:
            project.holders.filter(pk=first.pk).update(lead=True)
    project_refresh_targets(project)
    audit.record("incubation.holder.removed", project, by=by, changes={"person": person_id})


# -- milestones -------------------------------------------------------------------------------

@transaction.atomic
def milestone_reach(*, project: Project, milestone: Milestone, by,
                    date: datetime.date | None = None, note: str = "") -> MilestoneReached:
    permissions.check(by, "incubation.manage_project", project)
    date = date or timezone.localdate()
    if date > timezone.localdate():
        raise ValidationError({"date": _("The date %(date)s is in the future.")
                               % {"date": date.isoformat()}})
    if date < project.joined_on:
        raise ValidationError({"date": _("The date %(date)s is before the project joined the "
                                         "incubator (%(joined)s).")
                               % {"date": date.isoformat(),
                                  "joined": project.joined_on.isoformat()}})
    reached, created = MilestoneReached.objects.update_or_create(
        project=project, milestone=milestone, defaults={"date": date, "note": note})
    reached.full_clean()
    audit.record("incubation.milestone.reached", project, by=by,
                 changes={"milestone": milestone.code, "date": date.isoformat(),
                          "created": created})
    return reached


@transaction.atomic
def milestone_unreach(*, project: Project, milestone: Milestone, by) -> None:
    permissions.check(by, "incubation.manage_project", project)
    deleted, _rows = MilestoneReached.objects.filter(project=project, milestone=milestone).delete()
    if deleted:
        audit.record("incubation.milestone.unreached", project, by=by,
                     changes={"milestone": milestone.code})


@transaction.atomic
def milestone_set_required(*, milestone: Milestone, required: bool, by) -> Milestone:
    permissions.check(by, "incubation.manage_incubators")
    if milestone.required != required:
        milestone.required = required
        milestone.save(update_fields=["required"])
        audit.record("incubation.milestone.required", milestone, by=by,
                     changes={"required": required})
    return milestone


# -- coaching sessions ------------------------------------------------------------------------

def check_session(session: CoachingSession) -> None:
    project: Project = session.project
    if session.coach_id and not project.incubator.coaches.filter(pk=session.coach_id).exists():
        raise ValidationError({"coach": _("%(name)s is not a coach of the incubator %(incubator)s.")
                               % {"name": session.coach.get_full_name() or session.coach,
                                  "incubator": project.incubator.name}})
    if session.date and session.date < project.joined_on:
        raise ValidationError({"date": _("The date %(date)s is before the project joined the "
                                         "incubator (%(joined)s).")
                               % {"date": session.date.isoformat(),
                                  "joined": project.joined_on.isoformat()}})


@transaction.atomic
def session_create(*, by, next_steps: list[dict[str, Any]] | tuple = (),
                   **data: Any) -> CoachingSession:
    """A coaching session; ``coach`` defaults to the coach recording it. ``next_steps``:
    ``{"text": …, "due_on": date}`` each."""
    session = CoachingSession(**data)
    if not session.coach_id and getattr(by, "role", "") == "coach":
        session.coach = by
    permissions.check(by, "incubation.record_session", session.project)
    check_session(session)
    session.full_clean()
    session.save()
    for step in next_steps:
        next_step_add(session=session, by=None, **step)
    audit.record("incubation.session.created", session.project, by=by,
                 changes={**audit.snapshot(session, SESSION_AUDITED), "session": session.pk,
                          "next_steps": len(next_steps)})
    return session


@transaction.atomic
def session_update(*, session: CoachingSession, by, **data: Any) -> CoachingSession:
    session = CoachingSession.objects.select_for_update().get(pk=session.pk)
    permissions.check(by, "incubation.record_session", session.project)
    before = audit.snapshot(session, SESSION_AUDITED)
    notes_before = session.notes
    data.pop("project", None)
    data.pop("project_id", None)
    if "notes" in data and not permissions.can(by, "incubation.read_notes", session) \
            and by is not None:
        data.pop("notes")  # who cannot read the notes does not overwrite them
    for name, value in data.items():
        setattr(session, name, value)
    check_session(session)
    session.full_clean()
    session.save()
    changes: dict[str, Any] = audit.diff(before, audit.snapshot(session, SESSION_AUDITED))
    if session.notes != notes_before:
        changes["notes"] = "changed"  # that they changed, never what they say
    if changes:
        audit.record("incubation.session.updated", session.project, by=by,
                     changes={**changes, "session": session.pk})
    return session


@transaction.atomic
def session_delete(*, session: CoachingSession, by) -> None:
    permissions.check(by, "incubation.record_session", session.project)
    project, pk = session.project, session.pk
    session.delete()
    audit.record("incubation.session.deleted", project, by=by, changes={"session": pk})


def next_step_add(*, session: CoachingSession, by, text: str,
                  due_on: datetime.date) -> NextStep:
    if by is not None:
        permissions.check(by, "incubation.record_session", session.project)
    step = NextStep(session=session, text=text, due_on=due_on)
    if due_on < session.date:
        raise ValidationError({"due_on": _("The due date %(date)s is before the session.")
                               % {"date": due_on.isoformat()}})
    step.full_clean()
    step.save()
    return step


@transaction.atomic
def next_step_done(*, step: NextStep, by, done: bool = True,
                   date: datetime.date | None = None) -> NextStep:
    permissions.check(by, "incubation.record_session", step.session.project)
    step.done_on = (date or timezone.localdate()) if done else None
    step.save(update_fields=["done_on"])
    audit.record("incubation.next_step.done", step.session.project, by=by,
                 changes={"step": step.pk, "done": done})
    return step


# -- outcomes ---------------------------------------------------------------------------------

@transaction.atomic
def follow_up_record(*, project: Project, months: int, by, **data: Any) -> FollowUp:
    """What became of a project 12 or 24 months after it left the incubator (once, then
    corrected in place)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    permissions.check(by, "incubation.manage_project", project)
    if not project.left_on:
        raise ValidationError(_("A follow-up is recorded once the project has left the "
                                "incubator."), code="not_left")
    if months not in FollowUp.Months.values:
        raise ValidationError({"months": _("A follow-up is at 12 or 24 months, not %(months)s.")
                               % {"months": months}})
    follow_up = FollowUp.objects.filter(project=project, months=months).first() \
        or FollowUp(project=project, months=months)
    for name, value in data.items():
        setattr(follow_up, name, value)
    if follow_up.date and follow_up.date < project.left_on:
        raise ValidationError({"date": _("The date %(date)s is before the project left the "
                                         "incubator (%(left)s).")
                               % {"date": follow_up.date.isoformat(),
                                  "left": project.left_on.isoformat()}})
    follow_up.full_clean()
    follow_up.save()
    audit.record("incubation.follow_up.recorded", project, by=by,
                 changes={**audit.snapshot(follow_up, ["months", "date", "active", "jobs_women",
                                                       "jobs_men", "revenue_band"])})
    return follow_up
