"""Paying a dossier's fees online: the pay button, the payer's return from the gateway, the gateway's
server-to-server confirmation (IPN) and the electronic receipt. Every rule is in motcua.payments.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core.http import client_address
from motcua.dossiers import selectors
from motcua.dossiers.errors import DossierError
from motcua.dossiers.notices import format_vnd
from motcua.payments import gateways, services
from motcua.payments import selectors as payment_selectors
from motcua.payments.constants import EventSource, PaymentStatus
from motcua.payments.downloads import receipt_response


def return_url(request, gateway: str) -> str:
    """Where the gateway sends the payer back: this site, as the payer's browser reaches it ('' for a
    gateway the site does not offer: the service refuses it, naming the field)."""
    if not gateways.is_enabled(gateway):
        return ""
    return request.build_absolute_uri(reverse("portal:payment_return", args=[gateway]))


@login_required
@require_POST
def pay(request, public_id):
    """The pay button: start an online payment through the gateway chosen and send the payer there."""
    dossier = selectors.for_applicant(request.user).filter(public_id=public_id).first()
    if dossier is None:
        raise Http404
    gateway = request.POST.get("gateway", "")
    try:
        payment = services.start_payment(
            dossier,
            actor=request.user,
            gateway=gateway,
            return_url=return_url(request, gateway),
            client_ip=client_address(request) or "",
        )
    except DossierError as exc:
        messages.error(request, exc.errors.get("gateway", [exc.message])[0] if exc.errors else exc.message)
        return redirect("portal:dossier", public_id=dossier.public_id)
    return HttpResponseRedirect(payment.redirect_url)


@login_required
def payment_return(request, gateway: str):
    """The payer back from the gateway: its signed answer is applied (like its server-to-server
    confirmation, and only once), and the dossier's page says how it went."""
    if not gateways.is_enabled(gateway):
        raise Http404
    applied, _confirmation = services.read_and_apply(
        gateway, source=EventSource.RETURN, query=request.GET.dict(), client_ip=client_address(request) or ""
    )
    payment = applied.payment
    if payment is None or payment.dossier.applicant_id != request.user.pk:
        messages.error(
            request, _("Không xác nhận được kết quả thanh toán; vui lòng xem lại hồ sơ sau ít phút.")
        )
        return redirect("portal:my_dossiers")
    payment.refresh_from_db()
    amount = format_vnd(payment.amount)
    if payment.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED):
        messages.success(request, _("Đã thanh toán %(amount)s. Cảm ơn ông/bà.") % {"amount": amount})
    elif payment.status == PaymentStatus.CANCELLED:
        messages.info(request, _("Ông/bà đã hủy giao dịch thanh toán; hồ sơ vẫn chờ nộp phí, lệ phí."))
    elif payment.status == PaymentStatus.FAILED:
        messages.error(request, _("Thanh toán không thành công; ông/bà có thể thử lại hoặc chọn cổng khác."))
    else:
        messages.info(
            request, _("Đang chờ cổng thanh toán xác nhận; trang hồ sơ sẽ cập nhật khi có kết quả.")
        )
    return redirect("portal:dossier", public_id=payment.dossier.public_id)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def payment_ipn(request, gateway: str):
    """The gateway's server-to-server confirmation (IPN): applied once, answered in the gateway's codes.
    No session and no CSRF token: the gateway's check value (MaXacThuc, vnp_SecureHash) is what counts."""
    if not gateways.is_enabled(gateway):
        return JsonResponse({"detail": "unknown gateway"}, status=404)
    applied, confirmation = services.read_and_apply(
        gateway,
        source=EventSource.GATEWAY,
        query=request.GET.dict(),
        body=request.body if request.method == "POST" else b"",
        client_ip=client_address(request) or "",
    )
    return JsonResponse(gateways.get(gateway).answer(applied.outcome, confirmation))


@login_required
def receipt(request, public_id, receipt_id: int):
    """The electronic receipt of a payment, to whoever may see the dossier."""
    dossier = (
        selectors.visible_to(request.user).filter(public_id=public_id).values_list("pk", flat=True).first()
    )
    found = payment_selectors.receipt_visible_to(request.user, dossier, receipt_id) if dossier else None
    if found is None:
        raise Http404
    return receipt_response(found, inline=True)
