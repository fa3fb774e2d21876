"""Reads of coaching sessions: a project's sessions, a coach's agenda and workload, the
overdue next steps. A session's notes are read only where ``incubation.read_notes``
allows (the coaches of the project's incubator)."""

from __future__ import annotations

from django.db.models import QuerySet

from essor.accounts import permissions

from .models import CoachingSession, Project


def sessions_for_project(user, project: Project) -> list[CoachingSession]:
    """The project's sessions, newest first, with their next steps; each with
    ``notes_visible`` set, and ``notes`` blanked where the user may not read them."""
    visible = permissions.can(user, "incubation.read_notes", project)
    sessions = list(CoachingSession.objects.filter(project=project)
                    .select_related("coach").prefetch_related("next_steps"))
    for session in sessions:
        session.notes_visible = visible  # type: ignore[attr-defined]
        if not visible:
            session.notes = ""
    return sessions


def _unused(queryset: QuerySet) -> QuerySet:  # placeholder for the coaching helper
    return queryset
