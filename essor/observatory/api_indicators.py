"""The catalogue over the API, for staff who read the figures: ``/api/indicators/`` lists
the indicators, ``/api/indicators/<code>/`` describes one and
``/api/indicators/<code>/values/?by=sex,age_band&from=…&to=…&region=MA-02`` gives its
values as ``essor indicators values`` prints them, for the caller's regions (aggregates
only: no record, no name). A refused value is named (400)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from essor.accounts.permissions import HasPermission
from essor.core.scoping import in_scope
from essor.territory.selectors import province_by_code, region_by_code

from .catalogue import Indicator, UnknownIndicator, all_indicators, get
from .compute import IndicatorError, period_date, values


def describe(item: Indicator) -> dict[str, Any]:
    return {"code": item.code, "name": str(item.name), "definition": str(item.definition),
            "unit": item.unit, "source": item.source, "breakdowns": list(item.breakdowns),
            "additive_by": list(item.additive_by),
            "numerator": item.numerator, "denominator": item.denominator}


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    definition = serializers.CharField()
    unit = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    breakdowns = serializers.ListField(child=serializers.CharField())
    additive_by = serializers.ListField(child=serializers.CharField())
    numerator = serializers.CharField(allow_null=True)
    denominator = serializers.CharField(allow_null=True)


class ValuesQuery(serializers.Serializer):
    by = serializers.CharField(required=False, allow_blank=True, max_length=80)
    region = serializers.CharField(required=False, allow_blank=True, max_length=12)
    province = serializers.CharField(required=False, allow_blank=True, max_length=12)


class IndicatorViewSet(viewsets.ViewSet):
    """The indicator catalogue and each indicator's values."""

    permission_classes = [HasPermission("observatory.read_dashboards")]
    lookup_field = "code"
    lookup_value_regex = r"[a-z_]+\.[a-z0-9_]+"
    serializer_class = IndicatorSerializer

    def _indicator(self, code: str) -> Indicator:
        try:
            return get(code)
        except UnknownIndicator:
            raise Http404 from None

    def list(self, request, *args, **kwargs):
        return Response([describe(item) for item in all_indicators()])

    def retrieve(self, request, code: str | None = None, **kwargs):
        return Response(describe(self._indicator(code or "")))

    def _date(self, name: str) -> datetime.date | None:
        try:
            return period_date(self.request.query_params.get(name))
        except IndicatorError as exc:
            raise exceptions.ValidationError({name: str(exc)}) from None

    @action(detail=True, methods=["get"])
    def values(self, request, code: str | None = None, **kwargs):
        item = self._indicator(code or "")
        query = ValuesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        region = query.validated_data.get("region") or None
        province = query.validated_data.get("province") or None
        for place_code, finder in ((region, region_by_code), (province, province_by_code)):
            place = finder(place_code) if place_code else None
            if place is not None and not in_scope(request.user,
                                                  getattr(place, "region_id", place.pk)):
                raise Http404
        try:
            result = values(item, by=query.validated_data.get("by") or (),
                            date_from=self._date("from"), date_to=self._date("to"),
                            region=region, province=province, user=request.user)
        except IndicatorError as exc:
            raise exceptions.ValidationError({"detail": str(exc)}) from None
        return Response(result.as_dict())


def register(router) -> None:
    router.register("indicators", IndicatorViewSet, basename="indicator")
