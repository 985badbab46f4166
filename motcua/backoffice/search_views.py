"""Staff search (tra cứu hồ sơ, /can-bo/tra-cuu-ho-so/): every dossier of the officer's agencies, in any
status and period (motcua.dossiers.search). A GET form: it works without JavaScript and its address can
be bookmarked or shared with a colleague."""

import dataclasses

from django.shortcuts import render
from django.views.decorators.http import require_GET

from motcua.accounts import access_log
from motcua.agencies.models import Agency
from motcua.backoffice.forms import DossierSearchForm
from motcua.backoffice.views import PAGE_SIZE, staff_required
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.search import DossierQuery, search
from motcua.integrations import selectors as integration_selectors


@staff_required
@require_GET
def search_dossiers(request):
    params = request.GET.copy()
    after = params.pop("after", [None])[-1] or None
    form = DossierSearchForm(params or None, agencies=list(Agency.objects.order_by("name")))
    page = None
    if not form.is_bound or form.is_valid():
        query = form.query() if form.is_bound else DossierQuery()
        # A dossier submitted on the national portal is also found by its code there.
        ours = integration_selectors.dossier_code_for(query.code) if query.code else None
        if ours:
            query = dataclasses.replace(query, code=ours)
        try:
            page = search(request.user, query, after=after, size=PAGE_SIZE)
        except InvalidInput:
            # A cursor this page did not hand out (edited or truncated link): start from the first page.
            page = search(request.user, query, size=PAGE_SIZE)
        access_log.record_read(
            request, purpose="backoffice:search", object_type="dossier_list", dossiers=page.rows
        )
    return render(
        request,
        "backoffice/search.html",
        {
            "section": "search",
            "form": form,
            "page": page,
            "query": params.urlencode(),
            "filtered": form.is_bound,
        },
    )
