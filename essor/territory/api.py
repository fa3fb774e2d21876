from rest_framework import serializers, viewsets

from .models import Province, Region


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "hcp_code", "name_fr", "name_ar", "population", "population_women",
                  "population_men"]


class ProvinceSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Province
        fields = ["code", "hcp_code", "kind", "name_fr", "name_ar", "region", "population",
                  "population_women", "population_men"]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """The 12 regions (public reference data)."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9-]+"
    pagination_class = None


class ProvinceViewSet(viewsets.ReadOnlyModelViewSet):
    """The 75 prefectures and provinces, filterable by region code."""

    serializer_class = ProvinceSerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9-]+"
    pagination_class = None
    filterset_fields = {"region__code": ["exact"]}

    def get_queryset(self):
        return Province.objects.select_related("region")


def register(router) -> None:
    router.register("regions", RegionViewSet, basename="region")
    router.register("provinces", ProvinceViewSet, basename="province")
