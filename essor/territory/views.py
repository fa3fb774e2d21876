import re

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import render

from .models import Province


@login_required
def province_options(request):
    """The <option>s of one region's provinces, for the region → province fields (htmx).
    No region, no options; a region that is no id a database can hold is a bad request."""
    region = request.GET.get("region", "")
    if not region:
        return render(request, "territory/province_options.html", {"provinces": []})
    if re.fullmatch(r"[0-9]{1,18}", region) is None:
        return HttpResponseBadRequest()
    provinces = Province.objects.filter(region_id=int(region))
    return render(request, "territory/province_options.html", {"provinces": provinces})
