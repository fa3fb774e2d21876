"""Public pages, no login: upcoming fairs and markets and their exhibitors, and the
results of those held.

Exhibitors appear as organisations (name in the reader's script, region, sector,
products); never a person, a phone or an identifier. A held event's page stays where its
poster's QR code points, with the event's results (``selectors.event_summary``).
Places are in the reader's language (``essor.core.places``).
"""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import path

from .. import selectors
from ..models import Participation

PAGE_SIZE = 30


def public_event_list(request):
    events = selectors.upcoming_public_events().annotate(
        exhibitors=Count("participations", filter=~Q(
            participations__status=Participation.Status.CANCELLED)))
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "promotion/public_event_list.html",
                  {"page": page, "query": request.GET.copy()})


def public_event_detail(request, code):
    event = get_object_or_404(selectors.public_events(), code=code)
    return render(request, "promotion/public_event_detail.html", {
        "event": event, "exhibitors": selectors.public_exhibitors(event),
        "summary": selectors.event_summary(event) if event.is_held else None})


urlpatterns = [
    path("public/", public_event_list, name="public_event_list"),
    path("public/<slug:code>/", public_event_detail, name="public_event_detail"),
]
