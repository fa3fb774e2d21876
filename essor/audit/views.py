from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from essor.accounts.permissions import requires

from . import actions, selectors
from . import services as audit
from .exports import EntryExporter
from .forms import EntryFilterForm

PAGE_SIZE = 50


@login_required
@requires("audit.read")
def entry_list(request):
    form = EntryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.entry_list(user=request.user, **filters)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        exporter = EntryExporter(entries, user=request.user)
        response = exporter.response(fmt)
        audit.record("audit.exported", by=request.user, changes={
            "format": fmt, "rows": exporter.count,
            "filters": {k: str(v) for k, v in filters.items() if v}})
        return response
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/entry_list.html", {
        "form": form, "page": page, "rows": actions.rows(page, request.user),
        "zone": actions.ZONE_NAME, "query": request.GET.copy()})
