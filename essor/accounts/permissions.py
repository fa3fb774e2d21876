"""Who may do what in essor: every role check, named once.

A permission is a small function over (user, object) registered under a dotted name::

    can(user, "promotion.manage_event", event)       # this event?
    can(user, "promotion.manage_event")              # any event at all (the role)?
    can(user, "training.create_workshop", region_id=region.pk)

Called without an object, a permission answers for the role: may this user ever do it
(the menu, an API method, a page refused with 403 before anything is looked up). With an
object it answers for that object, region scope included. Which objects a user *sees*
is the selectors' business (querysets scoped by region); they use the role sets below.

Views use :func:`require` or the :func:`requires` decorator, the API the
:class:`HasPermission` class, services :func:`check` (where ``by=None`` is essor itself:
the demo loader, data migrations), and the navigation :func:`can`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions as drf

from essor.accounts.models import Role
from essor.core.scoping import in_scope

# -- roles, named once -------------------------------------------------------------------------

NATIONAL = frozenset({Role.NATIONAL_ADMIN})
# Run the programme in their region(s): events, workshops, the registry, imports.
MANAGERS = frozenset({Role.NATIONAL_ADMIN, Role.REGIONAL_OFFICER})
# Field roles that look up and add people of their region(s) (walk-ins, project holders).
PEOPLE_READERS = MANAGERS | {Role.TRAINER, Role.COACH}
# Staff who read the workshops of their region(s) (a trainer: the ones they run).
WORKSHOP_READERS = PEOPLE_READERS | {Role.ANALYST}
# Staff who read the training figures (aggregates).
FIGURES_READERS = MANAGERS | {Role.ANALYST, Role.COACH}
# Accounts acting for one organisation: they read their own organisation only.
ORGANISATION_ACCOUNTS = frozenset({Role.ORGANISATION, Role.PARTNER})

Rule = Callable[..., bool]
RULES: dict[str, Rule] = {}
MESSAGES: dict[str, Any] = {}


def rule(name: str, message=None) -> Callable[[Rule], Rule]:
    """Register ``function(user, obj, **context) -> bool`` as the permission ``name``."""

    def register(function: Rule) -> Rule:
        if name in RULES:
            raise ValueError(f"permission {name!r} is defined twice")
        RULES[name] = function
        MESSAGES[name] = message
        return function

    return register


def can(user, name: str, obj=None, **context) -> bool:
    """Whether ``user`` may do ``name`` (on ``obj``). Anonymous users may do nothing."""
    if name not in RULES:
        raise KeyError(f"unknown permission {name!r}")
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(RULES[name](user, obj, **context))


def require(user, name: str, obj=None, **context) -> None:
    """PermissionDenied (403) unless ``can``."""
    if not can(user, name, obj, **context):
        message = MESSAGES[name]
        raise PermissionDenied(message) if message else PermissionDenied


def check(by, name: str, obj=None, **context) -> None:
    """The services' check: ``by=None`` is essor itself (demo, migrations) and passes."""
    if by is not None:
        require(by, name, obj, **context)


def requires(name: str):
    """View decorator: 403 unless the user's role may do ``name`` (put it under
    ``login_required``, so that anonymous visitors are sent to the login page)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            require(request.user, name)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def HasPermission(name: str, *, writes_only: bool = False) -> type[drf.BasePermission]:  # noqa: N802
    """A DRF permission class over a named permission, for the role (the object is looked
    up afterwards by the viewset's scoped access helper)::

        permission_classes = [IsAuthenticated, HasPermission("training.manage_workshop",
                                                             writes_only=True)]

    ``writes_only``: reads (GET, HEAD, OPTIONS) pass, writes need the permission.
    """
    if name not in RULES:
        raise KeyError(f"unknown permission {name!r}")

    class NamedPermission(drf.BasePermission):
        def has_permission(self, request, view) -> bool:
            if writes_only and request.method in drf.SAFE_METHODS:
                return True
            return can(request.user, name)

    NamedPermission.__name__ = NamedPermission.__qualname__ = f"HasPermission[{name}]"
    if MESSAGES[name]:
        NamedPermission.message = MESSAGES[name]  # type: ignore[attr-defined]  # DRF reads it
    return NamedPermission


def _role(user, roles) -> bool:
    return user.role in roles


def _own_organisation(user, organisation_id) -> bool:
    return (user.role == Role.ORGANISATION and bool(user.organisation_id)
            and user.organisation_id == organisation_id)


# -- core, audit -------------------------------------------------------------------------------

@rule("core.import")
def _import(user, obj=None) -> bool:
    return _role(user, MANAGERS)


@rule("audit.read")
def _audit_read(user, obj=None) -> bool:
    return _role(user, NATIONAL)


@rule("core.own_organisation_only")
def _own_organisation_only(user, obj=None) -> bool:
    """Accounts acting for one organisation (organisation and partner accounts): what
    they read is their own organisation's, whatever its region."""
    return _role(user, ORGANISATION_ACCOUNTS)


@rule("core.organisation_account")
def _organisation_account(user, obj=None) -> bool:
    """A cooperative's or association's own account (its profile, its applications)."""
    return user.role == Role.ORGANISATION


@rule("core.national_scope")
def _national_scope(user, obj=None) -> bool:
    """Every region at once."""
    return _role(user, NATIONAL)


# -- registry ----------------------------------------------------------------------------------

@rule("registry.read_people", _("Your role does not give access to people."))
def _read_people(user, obj=None) -> bool:
    return _role(user, PEOPLE_READERS)


@rule("registry.see_personal_data")
def _see_personal_data(user, obj=None) -> bool:
    """National ID numbers, phones and disability, unmasked."""
    return _role(user, MANAGERS)


@rule("registry.create_organisation")
def _create_organisation(user, obj=None) -> bool:
    return _role(user, MANAGERS)


@rule("registry.edit_organisation")
def _edit_organisation(user, organisation=None) -> bool:
    """Managers, in their region(s); an organisation account, its own profile."""
    if organisation is None:
        return _role(user, MANAGERS)
    if user.role == Role.ORGANISATION:
        return organisation.pk == user.organisation_id
    return _role(user, MANAGERS) and in_scope(user, organisation.region_id)


@rule("registry.edit_members")
def _edit_members(user, organisation=None) -> bool:
    """Add and remove the members of an organisation (staff, not the account itself)."""
    return _role(user, MANAGERS) and (organisation is None
                                      or in_scope(user, organisation.region_id))


@rule("registry.add_person", _("Your role does not give access to people."))
def _add_person(user, obj=None, region_id=None) -> bool:
    return _role(user, PEOPLE_READERS) and (region_id is None or in_scope(user, region_id))


@rule("registry.edit_person")
def _edit_person(user, person=None) -> bool:
    return _role(user, MANAGERS) and (person is None or in_scope(user, person.region_id))


@rule("registry.merge_people")
def _merge_people(user, obj=None) -> bool:
    return _role(user, MANAGERS)


# -- promotion ---------------------------------------------------------------------------------

@rule("promotion.browse_events")
def _browse_events(user, obj=None) -> bool:
    """The events menu: staff, and organisation accounts (which apply to exhibit)."""
    return user.role != Role.PARTNER


@rule("promotion.manage_event", _("You cannot manage this event."))
def _manage_event(user, event=None) -> bool:
    """National fairs belong to national admins; regional fairs and markets to their
    region's officers too."""
    if user.role == Role.NATIONAL_ADMIN:
        return True
    if event is None:
        return user.role == Role.REGIONAL_OFFICER
    from essor.promotion.models import Event

    return (user.role == Role.REGIONAL_OFFICER and event.kind != Event.Kind.NATIONAL_FAIR
            and in_scope(user, event.region_id))


@rule("promotion.see_event_summary")
def _see_event_summary(user, event=None) -> bool:
    """The aggregates of an event: for staff, not for the exhibitors themselves."""
    return user.role not in ORGANISATION_ACCOUNTS


@rule("promotion.apply", _("You can only apply for your own organisation."))
def _apply(user, organisation=None) -> bool:
    """An organisation account applies to exhibit, for its own organisation."""
    if organisation is None:
        return user.role == Role.ORGANISATION and bool(user.organisation_id)
    return _own_organisation(user, organisation.pk)


@rule("promotion.read_applications")
def _read_applications(user, obj=None) -> bool:
    return _apply(user) or _role(user, MANAGERS)


@rule("promotion.withdraw_application", _("You cannot manage this event."))
def _withdraw_application(user, application=None) -> bool:
    """The applying organisation itself, or the event's managers."""
    if application is None:
        return _apply(user) or _manage_event(user)
    return (_own_organisation(user, application.organisation_id)
            or _manage_event(user, application.event))


@rule("promotion.report_participation", _("You cannot manage this event."))
def _report_participation(user, participation=None) -> bool:
    """Sales, visitors and satisfaction: the exhibiting organisation, or the managers."""
    if participation is None:
        return _apply(user) or _manage_event(user)
    return (_own_organisation(user, participation.organisation_id)
            or _manage_event(user, participation.event))


@rule("promotion.read_participations", _("Your role does not give access to participations."))
def _read_participations(user, obj=None) -> bool:
    """Named stand holders: staff who handle people, and the exhibitors' own accounts."""
    return _role(user, PEOPLE_READERS) or (user.role in ORGANISATION_ACCOUNTS
                                           and bool(user.organisation_id))


# -- training ----------------------------------------------------------------------------------

@rule("training.read_workshops")
def _read_workshops(user, obj=None) -> bool:
    return _role(user, WORKSHOP_READERS)


@rule("training.own_workshops_only")
def _own_workshops_only(user, obj=None) -> bool:
    """A trainer reads the workshops they run, not their region's others."""
    return user.role == Role.TRAINER


@rule("training.read_figures")
def _read_figures(user, obj=None) -> bool:
    return _role(user, FIGURES_READERS)


@rule("training.create_workshop", _("You cannot create a workshop in this region."))
def _create_workshop(user, obj=None, region_id=None) -> bool:
    return _role(user, MANAGERS) and (region_id is None or in_scope(user, region_id))


@rule("training.manage_workshop", _("You cannot manage this workshop."))
def _manage_workshop(user, workshop=None) -> bool:
    """National admins; the region's officers; the workshop's own trainer."""
    if user.role == Role.NATIONAL_ADMIN:
        return True
    if workshop is None:
        return user.role in (Role.REGIONAL_OFFICER, Role.TRAINER)
    if user.role == Role.REGIONAL_OFFICER:
        return in_scope(user, workshop.region_id)
    return user.role == Role.TRAINER and workshop.trainer_id == user.pk


@rule("training.enrol_online")
def _enrol_online(user, obj=None) -> bool:
    """An organisation account enrols its own members in its region's workshops."""
    return user.role == Role.ORGANISATION and bool(user.organisation_id)


# -- home page ---------------------------------------------------------------------------------

@rule("promotion.read_figures")
def _read_promotion_figures(user, obj=None) -> bool:
    """The promotion figures of the report (events held, exhibitors, women's share):
    aggregates, for the same staff as the training figures."""
    return _role(user, FIGURES_READERS)


# -- observatory -------------------------------------------------------------------------------

DASHBOARD_READERS = MANAGERS | {Role.ANALYST}


@rule("observatory.read_dashboards")
def _read_dashboards(user, obj=None) -> bool:
    """The dashboards (national and regional): aggregates of the user's regions."""
    return _role(user, DASHBOARD_READERS)


@rule("observatory.drilldown")
def _drilldown(user, obj=None) -> bool:
    """The records behind a figure: their list for managers, only their counts down to the
    last breakdown for analysts (see observatory.drilldown_names)."""
    return _role(user, DASHBOARD_READERS | {Role.COACH})


@rule("observatory.drilldown_names")
def _drilldown_names(user, obj=None) -> bool:
    """The names behind a figure (people, organisations): never for an analyst."""
    return _role(user, MANAGERS)


@rule("observatory.read_observatory")
def _read_observatory(user, observatory=None) -> bool:
    """An observatory's pages: the national admin, its analysts, the officers of its
    regions."""
    if not _role(user, DASHBOARD_READERS):
        return False
    if observatory is None or user.role == Role.NATIONAL_ADMIN:
        return True
    if user.role == Role.ANALYST:
        return observatory.analysts.filter(pk=user.pk).exists()
    return any(in_scope(user, pk) for pk in observatory.regions.values_list("id", flat=True))


@rule("observatory.own_observatories_only")
def _own_observatories_only(user, obj=None) -> bool:
    """An analyst reads the observatories they are an analyst of, whatever their regions
    (the selectors' scope; read_observatory decides for one observatory)."""
    return _role(user, {Role.ANALYST})


@rule("observatory.manage_observatories")
def _manage_observatories(user, obj=None) -> bool:
    """Create observatories, give them regions, a host, analysts."""
    return _role(user, NATIONAL)


@rule("observatory.enter_values", _("Only the observatory's analysts enter its values."))
def _enter_values(user, observatory=None) -> bool:
    """Enter, import, edit and submit an observatory's collected values (drafts)."""
    if user.role == Role.NATIONAL_ADMIN:
        return True
    if user.role != Role.ANALYST:
        return False
    return observatory is None or observatory.analysts.filter(pk=user.pk).exists()


@rule("observatory.validate_values", _("Only the national admin validates collected values."))
def _validate_values(user, observatory=None) -> bool:
    """Validate a submitted value, send it back, or un-validate a validated one (audited)."""
    return _role(user, NATIONAL)


@rule("observatory.publish_dataset")
def _publish_dataset(user, observatory=None) -> bool:
    """Publish an observatory's datasets and notes as open data."""
    return _enter_values(user, observatory)


# -- incubation --------------------------------------------------------------------------------

# Staff who run incubation: the national admin, the officers of an incubator's region, and
# the incubator's own coaches.
INCUBATION_STAFF = MANAGERS | {Role.COACH}


def coached_incubator_ids(user) -> set[int]:
    """The incubators a coach is attached to (cached on the user for the request)."""
    if user.role != Role.COACH:
        return set()
    cached = getattr(user, "_essor_incubator_ids", None)
    if cached is None:
        cached = set(user.incubators.values_list("id", flat=True))
        user._essor_incubator_ids = cached
    return cached


def _runs_incubator(user, incubator_id: int | None, region_id: int | None) -> bool:
    """The national admin; an officer of the incubator's region; one of its coaches."""
    if user.role == Role.NATIONAL_ADMIN:
        return True
    if user.role == Role.REGIONAL_OFFICER:
        return in_scope(user, region_id)
    return user.role == Role.COACH and incubator_id in coached_incubator_ids(user)


def _incubator_of(obj) -> tuple[int | None, int | None]:
    """(incubator id, incubator region id) of an incubator, a call, a cohort, a project,
    an application or a coaching session."""
    from essor.incubation.models import Incubator

    if isinstance(obj, Incubator):
        return obj.pk, obj.region_id
    for path in ("incubator", "call.incubator", "project.incubator"):
        target = obj
        for part in path.split("."):
            target = getattr(target, part, None)
            if target is None:
                break
        if isinstance(target, Incubator):
            return target.pk, target.region_id
    return None, None


@rule("incubation.read", _("Your role does not give access to incubation."))
def _read_incubation(user, obj=None) -> bool:
    """Incubators, projects, holders, sessions (without their notes): the staff who run
    incubation, for the incubators they run (see ``_runs_incubator``)."""
    if obj is None:
        return _role(user, INCUBATION_STAFF)
    return _runs_incubator(user, *_incubator_of(obj))


@rule("incubation.own_incubators_only")
def _own_incubators_only(user, obj=None) -> bool:
    """A coach reads the incubators they coach in, whatever their regions (the selectors'
    scope; officers read their regions' incubators)."""
    return user.role == Role.COACH


@rule("incubation.manage_incubators", _("Only the national admin manages incubators."))
def _manage_incubators(user, obj=None) -> bool:
    """Create incubators, attach coaches, set the milestones' checklist and what it
    requires."""
    return _role(user, NATIONAL)


@rule("incubation.manage_project", _("You cannot manage this project."))
def _manage_project(user, obj=None) -> bool:
    """Add and edit projects and their holders, move them between phases, tick milestones,
    record outcomes and follow-ups; run the calls and select their applications."""
    if obj is None:
        return _role(user, INCUBATION_STAFF)
    return _runs_incubator(user, *_incubator_of(obj))


@rule("incubation.record_session", _("Only the incubator's coaches record its sessions."))
def _record_session(user, obj=None) -> bool:
    """Record a coaching session (and its next steps) of a project of the incubator."""
    if obj is None:
        return user.role == Role.COACH or _role(user, MANAGERS)
    return _runs_incubator(user, *_incubator_of(obj))


@rule("incubation.read_notes")
def _read_notes(user, obj=None) -> bool:
    """A coaching session's notes: the coaches of the project's incubator, no one else
    (not the admin, not an officer, never an analyst, a partner or another incubator)."""
    if user.role != Role.COACH:
        return False
    if obj is None:
        return True
    incubator_id, _region = _incubator_of(obj)
    return incubator_id in coached_incubator_ids(user)


@rule("incubation.read_figures")
def _read_incubation_figures(user, obj=None) -> bool:
    """The incubation figures (aggregates): as the training figures."""
    return _role(user, FIGURES_READERS)
