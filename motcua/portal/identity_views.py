"""Login through a national identity provider (VNeID): the button on the login page starts it, the
provider sends the person back to the callback, logout ends both sessions; and the page where the
verified owner of an identity number claims the dossiers submitted under it by another account."""

import logging

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts import identity
from motcua.accounts.identity import flow
from motcua.accounts.services import LoginError, sign_in_with_identity
from motcua.dossiers import selectors
from motcua.dossiers.errors import DossierError
from motcua.dossiers.services import claim_dossier
from motcua.portal.forms import LoginForm
from motcua.portal.views import _landing, _next_url, _safe

log = logging.getLogger(__name__)
# The session's backend must be one of AUTHENTICATION_BACKENDS to be read back on the next request.
BACKEND = "motcua.accounts.backends.IdentifierModelBackend"


def _provider(key: str) -> identity.IdentityProvider:
    try:
        return identity.get_provider(key)
    except LookupError:
        raise Http404 from None


def _callback_uri(request, key: str) -> str:
    return request.build_absolute_uri(reverse("portal:identity_callback", args=[key]))


def _failed(request, message: str, *, status: int = 400):
    """The login page again, with what went wrong at the top."""
    context = {
        "form": LoginForm(),
        "next": _next_url(request),
        "problems": [{"text": message}],
        "identity_providers": identity.providers(),
    }
    return render(request, "portal/login.html", context, status=status)


@require_http_methods(["GET"])
def identity_start(request, provider: str):
    """Send the browser to the provider with a fresh state, nonce and PKCE challenge."""
    chosen = _provider(provider)
    try:
        url = flow.begin(
            request.session,
            chosen,
            redirect_uri=_callback_uri(request, provider),
            next_url=_next_url(request),
        )
    except identity.IdentityError as exc:
        return _failed(request, str(exc), status=503)
    return redirect(url)


@require_http_methods(["GET"])
def identity_callback(request, provider: str):
    """The provider's answer: verify it, find or make the account (accounts.services), log in."""
    chosen = _provider(provider)
    try:
        result, next_url = flow.finish(request.session, chosen, request.GET.dict())
        user = sign_in_with_identity(result.claims, provider=provider, current_user=request.user)
    except (identity.IdentityError, LoginError) as exc:
        log.info("Login through %s refused: %s", provider, exc)
        return _failed(request, str(exc))
    login(request, user, backend=BACKEND)
    request.session[flow.SESSION_LOGIN] = {"provider": provider, "id_token": result.id_token}
    if selectors.claimable_by(user).exists():
        note = _("Có hồ sơ mang số định danh của ông/bà do tài khoản khác nộp; ông/bà có thể nhận hồ sơ.")
        messages.info(request, note)
        return redirect("portal:claim_dossiers")
    target = _safe(request, next_url) if next_url else ""
    if target:
        return redirect(target)
    return redirect(_landing(request, user))


@require_POST
def logout_view(request):
    """Log out; after a login through a provider, its session ends too (RP-initiated logout)."""
    target = end_sessions(request)
    return redirect(target or "portal:home")


def end_sessions(request):
    """Log out here; where the person logged in through a provider, the address of the provider's
    logout (which sends them back to the home page), else ""."""
    login_info = request.session.get(flow.SESSION_LOGIN) or {}
    logout(request)
    if not login_info:
        return ""
    try:
        chosen = identity.get_provider(login_info["provider"])
    except LookupError:
        return ""
    return chosen.logout_url(
        id_token=login_info["id_token"],
        post_logout_redirect_uri=request.build_absolute_uri(reverse("portal:home")),
        state="",
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_dossiers(request):
    """The verified owner of an identity number takes the dossiers submitted under it by an account
    that was not verified for it (rules.is_verified_owner)."""
    claimable = selectors.claimable_by(request.user)
    if request.method == "POST":
        chosen = claimable.filter(public_id__in=request.POST.getlist("dossier"))
        if not chosen:
            problems = [{"text": _("Chọn ít nhất một hồ sơ để nhận."), "href": "#claim-list"}]
            return render(
                request,
                "portal/claim_dossiers.html",
                {"dossiers": claimable, "problems": problems},
                status=400,
            )
        taken = 0
        for dossier in chosen:
            try:
                claim_dossier(dossier, actor=request.user)
                taken += 1
            except DossierError as exc:
                messages.error(request, f"{dossier.code}: {exc}")
        if taken:
            messages.success(
                request, _("Đã nhận %(count)s hồ sơ vào tài khoản của ông/bà.") % {"count": taken}
            )
        return redirect("portal:my_dossiers")
    return render(request, "portal/claim_dossiers.html", {"dossiers": claimable})
