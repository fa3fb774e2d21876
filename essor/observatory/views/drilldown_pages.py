"""Placeholder, replaced by the drill-down page."""

from django.http import Http404


def drilldown(request, code):
    raise Http404
