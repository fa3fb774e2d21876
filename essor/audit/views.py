from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from essor.accounts.permissions import requires

from . import selectors


@login_required
@requires("audit.read")
def entry_list(request):
    filters = {k: request.GET.get(k, "").strip()
               for k in ("action", "actor", "object_type", "object_id")}
    entries = selectors.entry_list(user=request.user, **filters)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "audit/entry_list.html", {"page": page, "filters": filters,
                                                     "query": request.GET.copy()})
