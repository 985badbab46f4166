"""The national public-service portal seen by staff: the dossiers taken from it (sync in), with the
ones that could not be taken and why, and the refresh of the catalogue from its national catalogue
(what changed per procedure, published as a new version). Permissions are the rules of
motcua.integrations.rules and motcua.catalog.rules."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from motcua.backoffice.views import staff_required
from motcua.catalog.models import Procedure
from motcua.integrations import selectors
from motcua.integrations.constants import InboundState
from motcua.integrations.models import InboundDossier
from motcua.integrations.national import catalogue, inbound
from motcua.integrations.national.client import NationalPortalError, configured


@staff_required
@require_http_methods(["GET"])
def inbound_list(request):
    if not request.user.has_perm("integrations.view_inbound"):
        raise PermissionDenied
    state = request.GET.get("state", "")
    state = state if state in InboundState.values else ""
    code = request.GET.get("code", "")[:64]
    rows = list(selectors.inbound_rows(request.user, state=state, code=code)[:200])
    return render(
        request,
        "backoffice/national_inbound.html",
        {
            "section": "national",
            "rows": [(row, request.user.has_perm("integrations.retake_inbound", row)) for row in rows],
            "states": InboundState.choices,
            "state": state,
            "code": code,
            "configured": configured(),
        },
    )


@staff_required
@require_POST
def inbound_retake(request, pk: int):
    row = get_object_or_404(InboundDossier, pk=pk)
    if not request.user.has_perm("integrations.retake_inbound", row):
        raise PermissionDenied
    try:
        row = inbound.retake(row, actor=request.user)
    except NationalPortalError as exc:
        messages.error(request, _("Chưa kết nối được Cổng Dịch vụ công quốc gia: %(error)s") % {"error": exc})
    else:
        if row.state == InboundState.TAKEN and row.dossier is not None:
            messages.success(
                request,
                _("Đã nhận hồ sơ %(national)s vào hàng chờ tiếp nhận, mã hồ sơ %(code)s.")
                % {"national": row.national_code, "code": row.dossier.code},
            )
        else:
            messages.error(request, _("Vẫn chưa nhận được hồ sơ: %(reason)s") % {"reason": row.reason})
    return redirect("backoffice:national_inbound")


@staff_required
@require_http_methods(["GET", "POST"])
def catalogue_refresh(request):
    if not request.user.has_perm("integrations.refresh_catalogue"):
        raise PermissionDenied
    if request.method == "POST" and "import" in request.POST:
        _import_new(request)
        return redirect("backoffice:national_catalogue")
    if request.method == "POST":
        procedure = get_object_or_404(Procedure, code=request.POST.get("procedure", ""))
        try:
            version = catalogue.publish(procedure, fields=request.POST.getlist("fields"), actor=request.user)
        except ValidationError as exc:
            messages.error(request, f"{procedure.code}: {'; '.join(exc.messages)}")
        except NationalPortalError as exc:
            messages.error(
                request, _("Chưa kết nối được Cổng Dịch vụ công quốc gia: %(error)s") % {"error": exc}
            )
        else:
            messages.success(
                request,
                _("Đã công bố %(version)s theo Cổng Dịch vụ công quốc gia.") % {"version": version},
            )
        return redirect("backoffice:national_catalogue")
    refresh, error = None, ""
    if configured():
        try:
            refresh = catalogue.compare(request.user)
        except NationalPortalError as exc:
            error = str(exc)
    return render(
        request,
        "backoffice/national_catalogue.html",
        {"section": "national_catalogue", "refresh": refresh, "error": error, "configured": configured()},
    )


def _import_new(request) -> None:
    codes = request.POST.getlist("codes")
    if not codes:
        messages.error(request, _("Chọn ít nhất một thủ tục để nhập."))
        return
    try:
        imported = catalogue.import_new(codes, actor=request.user)
    except NationalPortalError as exc:
        messages.error(request, _("Chưa kết nối được Cổng Dịch vụ công quốc gia: %(error)s") % {"error": exc})
        return
    if imported.drafts:
        messages.success(
            request,
            _(
                "Đã nhập %(count)s thủ tục làm bản nháp (%(codes)s): chọn cơ quan thực hiện, quy trình "
                "nội bộ, kiểm tra thành phần hồ sơ rồi công bố trong trang quản trị danh mục."
            )
            % {"count": len(imported.drafts), "codes": ", ".join(d.procedure.code for d in imported.drafts)},
        )
    for code, why in imported.refused.items():
        messages.error(request, f"{code}: {why}")
