"""The public, read-only open-data API (issue 9, point 7): the observatories and their
published datasets with their values, small cells suppressed exactly as the open-data
files are (``essor.observatory.opendata``).

No account is needed and none is read (no authentication class: a signed-in caller is
answered as anyone), nothing is written, and nothing personal is given: an observatory's
analysts are not listed, a host organisation appears by name only, a published note
without its author. Anonymous callers are
throttled per address.
"""

from __future__ import annotations

import re

from django.db.models import Prefetch
from django.http import Http404
from rest_framework import permissions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from . import opendata
from .models import Dataset, Observatory, ObservatoryNote

MAX_ID = 2**63 - 1
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,40}")


class OpenDataThrottle(AnonRateThrottle):
    """The project sets no API throttle rates; the open data, which anyone may call,
    has its own."""

    scope = "open_data"
    rate = None
    DEFAULT_RATE = "600/hour"

    def get_rate(self):
        from django.conf import settings

        rates = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES") or {}
        return rates.get(self.scope, self.DEFAULT_RATE)


class _Public(viewsets.ReadOnlyModelViewSet):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [OpenDataThrottle]
    filter_backends: list = []


class DatasetSummarySerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()

    class Meta:
        model = Dataset
        fields = ["id", "indicator_code", "breakdowns", "period_start", "period_end",
                  "title", "title_fr", "title_ar", "published_at"]
        read_only_fields = fields

    def get_title(self, dataset) -> str:
        return opendata.title(dataset)


class NoteSerializer(serializers.ModelSerializer):
    """A published note, without its author."""

    class Meta:
        model = ObservatoryNote
        fields = ["id", "title", "body", "language", "created_at"]
        read_only_fields = fields


class ObservatorySerializer(serializers.ModelSerializer):
    regions = serializers.SerializerMethodField()
    host = serializers.SerializerMethodField()
    datasets = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()

    class Meta:
        model = Observatory
        fields = ["code", "name_fr", "name_ar", "description_fr", "description_ar",
                  "regions", "host", "datasets", "notes"]
        read_only_fields = fields

    def get_regions(self, observatory) -> list[str]:
        return sorted(region.code for region in observatory.regions.all())

    def get_host(self, observatory) -> str | None:
        return observatory.host.name if observatory.host_id else None

    def get_datasets(self, observatory) -> list[dict]:
        return list(DatasetSummarySerializer(observatory.published_datasets, many=True).data)

    def get_notes(self, observatory) -> list[dict]:
        return list(NoteSerializer(observatory.published_notes, many=True).data)


class OpenObservatoryViewSet(_Public):
    """The regional observatories and the datasets each publishes."""

    serializer_class = ObservatorySerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9_-]+"

    def get_queryset(self):
        return Observatory.objects.select_related("host").prefetch_related(
            "regions", Prefetch("datasets", queryset=Dataset.objects.filter(published=True),
                                to_attr="published_datasets"),
            Prefetch("notes", queryset=ObservatoryNote.objects.filter(published=True),
                     to_attr="published_notes"))


class DatasetSerializer(DatasetSummarySerializer):
    observatory: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True)
    values = serializers.SerializerMethodField()

    class Meta(DatasetSummarySerializer.Meta):
        fields = [*DatasetSummarySerializer.Meta.fields, "observatory", "values"]
        read_only_fields = fields

    def get_values(self, dataset) -> dict | None:
        """The published table (the open-data JSON), or None when it cannot be computed."""
        tables = self.context.get("tables") or {}
        found = tables.get(dataset.pk) or opendata.table(dataset)
        return None if found.error is not None else found.data


class OpenDatasetViewSet(_Public):
    """The published datasets with their values, small cells suppressed; filter with
    ``?observatory=<code>``."""

    serializer_class = DatasetSerializer

    def get_queryset(self):
        queryset = opendata.published_datasets()
        code = self.request.query_params.get("observatory")
        if code:
            if not SLUG.fullmatch(code):  # names no observatory (and no NUL reaches SQL)
                return queryset.none()
            queryset = queryset.filter(observatory__code=code)
        return queryset

    def get_object(self):
        pk = self.kwargs.get("pk", "")
        if not str(pk).isdigit() or int(pk) > MAX_ID:
            raise Http404
        return super().get_object()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "tables": getattr(self, "_tables", {})}

    def list(self, request, *args, **kwargs):
        """One pass for the page's tables (``opendata.published``), not one per dataset."""
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        self._tables = opendata.published(rows)
        serializer = self.get_serializer(rows, many=True)
        if page is not None:
            return self.get_paginated_response(serializer.data)
        return Response(serializer.data)


def register(router) -> None:
    """Add the open-data viewsets to the API router (``/api/open/…``)."""
    router.register("open/observatories", OpenObservatoryViewSet,
                    basename="open-observatory")
    router.register("open/datasets", OpenDatasetViewSet, basename="open-dataset")
