"""The person's own account: who they are (as registered) and how to reach them (editable)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.accounts.services import update_profile
from motcua.portal import problems
from motcua.portal.forms import AccountForm


def _back_to(request) -> str:
    """Where to go after saving: the page that sent the person here (the online form), if ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    user = request.user
    initial = {"phone": user.phone, "email": user.email, "address": user.address}
    form = AccountForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                update_profile(user, **form.cleaned_data)
            except ValidationError as exc:
                for field, messages_ in exc.message_dict.items():
                    for message in messages_:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("Đã cập nhật thông tin liên hệ."))
                return redirect(_back_to(request) or "portal:account")
        status = 400
    _describe(form)
    return render(
        request,
        "portal/account.html",
        {"form": form, "problems": problems.for_form(form), "next": _back_to(request)},
        status=status,
    )


def _describe(form: AccountForm) -> None:
    """Tie each input to its help text and its error message (aria-describedby, aria-invalid)."""
    for bound in form:
        ids = []
        if bound.help_text:
            ids.append(f"{bound.auto_id}_helptext")
        if bound.errors:
            ids.append(f"{bound.auto_id}_error")
            bound.field.widget.attrs["aria-invalid"] = "true"
        if ids:
            bound.field.widget.attrs["aria-describedby"] = " ".join(ids)
