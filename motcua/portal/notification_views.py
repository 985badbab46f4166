"""The applicant's notifications (the bell in the header): a list, newest first, and "mark read"."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from motcua.notifications import selectors, services

PAGE_SIZE = 20


def mark_read_from(request) -> None:
    """A POST of the list: one message (``message``) or all (``all``) marked read."""
    if request.POST.get("all"):
        services.mark_read(request.user)
        return
    try:
        ids = [int(request.POST.get("message", ""))]
    except ValueError:
        return
    services.mark_read(request.user, ids)


def back_to(request, default: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request):
    if request.user.kind == "staff":
        return redirect("backoffice:notifications")
    if request.method == "POST":
        mark_read_from(request)
        return back_to(request, "portal:notifications")
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/notifications.html", {"page": page, "staff": False})
