from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import Province


@login_required
def province_options(request):
    """The <option>s of one region's provinces, for the region → province fields (htmx)."""
    region = request.GET.get("region", "")
    provinces = Province.objects.filter(region_id=region) if region.isdigit() else []
    return render(request, "territory/province_options.html", {"provinces": provinces})
