"""Public pages, no login: upcoming fairs and markets and their exhibitors.

Exhibitors appear as organisations (name in the reader's script, region, sector,
products); never a person, a phone or an identifier.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import path

from .. import selectors
from ..models import Participation

PAGE_SIZE = 30
EXHIBITING = ~Q(status=Participation.Status.CANCELLED)


def place(event) -> list[str]:
    """Venue, city, province and region, each said once ("Benslimane" is often all
    three of the city, the province and part of the venue)."""
    parts: list[str] = []
    for part in (event.venue, event.city, event.province.name if event.province else "",
                 event.region.name):
        if part and not any(part.casefold() in seen.casefold() for seen in parts):
            parts.append(part)
    return parts


def public_event_list(request):
    events = selectors.upcoming_public_events().annotate(
        exhibitors=Count("participations", filter=~Q(
            participations__status=Participation.Status.CANCELLED)))
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page:
        event.place = place(event)
    return render(request, "promotion/public_event_list.html",
                  {"page": page, "query": request.GET.copy()})


def public_event_detail(request, code):
    event = get_object_or_404(selectors.upcoming_public_events(), code=code)
    exhibitors = (Participation.objects.filter(EXHIBITING, event=event)
                  .select_related("organisation", "organisation__region", "application")
                  .order_by("organisation__name", "pk"))
    return render(request, "promotion/public_event_detail.html",
                  {"event": event, "place": place(event), "exhibitors": exhibitors})


urlpatterns = [
    path("public/", public_event_list, name="public_event_list"),
    path("public/<slug:code>/", public_event_detail, name="public_event_detail"),
]
