from pathlib import PurePath
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.accounts import identity
from motcua.accounts.constants import AccountKind
from motcua.accounts.services import LoginError, LoginThrottled, Registration, log_in, register_account
from motcua.catalog.models import Field
from motcua.catalog.selectors import (
    document_template,
    procedure_version,
    search_procedures,
    version_history,
)
from motcua.core.ratelimit import limited_page
from motcua.core.text import fold
from motcua.dossiers.services import receiving_agencies
from motcua.portal.forms import CatalogueFilterForm, LoginForm, RegisterForm

PAGE_SIZE = 20


def home(request):
    fields = Field.objects.filter(versions__is_current=True).distinct().order_by("name")
    return render(request, "portal/home.html", {"fields": fields, "form": CatalogueFilterForm()})


def procedure_list(request):
    form = CatalogueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    versions = search_procedures(
        filters.get("q", ""),
        field=filters.get("field", ""),
        agency=filters.get("agency", ""),
        mode=filters.get("mode", ""),
        level=filters.get("level", ""),
    )
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/procedure_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "searching": bool(filters.get("q")),
        },
    )


def procedure_detail(request, code: str, number: int | None = None):
    version = procedure_version(code, number)
    return render(
        request,
        "portal/procedure_detail.html",
        {"version": version, "history": version_history(code), "receiving": receiving_agencies(version)},
    )


# Blank forms are offered in these formats; anything else goes out as plain bytes.
TEMPLATE_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".rtf": "application/rtf",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def procedure_template(request, code: str, document_id: int):
    """The blank form of a required document, always as a download: it is the agency's file, never
    rendered as a page of this site."""
    document = document_template(code, document_id)
    extension = PurePath(document.template.name).suffix.lower()
    try:
        opened = document.template.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        opened,
        as_attachment=True,
        filename=f"{slugify(fold(document.name))[:80] or 'mau'}{extension}",
        content_type=TEMPLATE_TYPES.get(extension, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _safe(request, target: str) -> str:
    """``target`` if it is a path on this site (never another host), else ""."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _next_url(request) -> str:
    """Where the login form sends the person afterwards: the page they asked for (``next``), or the one
    they came from."""
    target = _safe(request, request.POST.get("next") or request.GET.get("next") or "")
    if not target and request.method == "GET":
        came_from = urlsplit(_safe(request, request.META.get("HTTP_REFERER", "")))
        target = came_from.path + (f"?{came_from.query}" if came_from.query else "")
    if target.startswith((reverse("portal:login"), reverse("portal:register"))):
        return ""
    return target


def _landing(request, user) -> str:
    """Staff land on their staff home (or the staff or admin page they asked for); citizens and
    businesses on the page they came from, else their dossiers."""
    target = _next_url(request)
    if user.kind == AccountKind.STAFF:
        staff_pages = (reverse("backoffice:home"), reverse("admin:index"))
        return target if target.startswith(staff_pages) else reverse("backoffice:home")
    return target or reverse("portal:my_dossiers")


@require_http_methods(["GET", "POST"])
def login_view(request):
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = log_in(
                request, form.cleaned_data["username"], form.cleaned_data["password"], starts_session=True
            )
        except LoginThrottled as exc:
            form.add_error(None, str(exc))
            status = 429
        except LoginError as exc:
            form.add_error(None, str(exc))
        else:
            login(request, user)
            return redirect(_landing(request, user))
    if form.errors and status == 200:
        status = 400
    context = {"form": form, "next": _next_url(request), "identity_providers": identity.providers()}
    response = render(request, "portal/login.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(getattr(request, "login_wait", 60))
    return response


@require_http_methods(["GET", "POST"])
@limited_page("register", "MOTCUA_REGISTER_RATE", counts=lambda request: request.method == "POST")
def register_view(request):
    """Registration answers the same whether or not the identity number, email or phone already has an
    account (accounts.services.register_account emails that account's owner instead), so the page
    cannot be used to find out who is registered. The new account then logs in as usual."""
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            register_account(
                Registration(
                    kind=data["kind"],
                    full_name=data["full_name"],
                    identity_number=data["identity_number"],
                    password=data["password"],
                    email=data["email"] or "",
                    phone=data["phone"] or "",
                )
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(
                request,
                _(
                    "Đã nhận đăng ký. Nếu số định danh, thư điện tử và số điện thoại chưa dùng cho tài "
                    "khoản nào, tài khoản đã được tạo: hãy đăng nhập. Nếu đã có tài khoản mang một trong "
                    "các thông tin đó, không có tài khoản mới nào được tạo và chủ tài khoản đã được báo "
                    "qua thư điện tử."
                ),
            )
            return redirect("portal:login")
    return render(request, "portal/register.html", {"form": form}, status=400 if form.errors else 200)
