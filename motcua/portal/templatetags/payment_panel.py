"""``{% payment_panel %}``: the fees block of the applicant's dossier page (its ledger, its online
payments, their receipts, and the pay button while payment is requested), read from motcua.payments
so that the dossier view needs no change for it."""

from django import template

from motcua.dossiers.constants import Status
from motcua.payments import gateways, services
from motcua.payments import selectors as payment_selectors

register = template.Library()


@register.inclusion_tag("portal/_payments.html", takes_context=True)
def payment_panel(context, dossier):
    request = context["request"]
    ledger = payment_selectors.ledger(dossier)
    # Before the payment request's lines are written (the event relay writes them within a second) the
    # button is offered on the amount requested; starting the payment writes them.
    can_pay = services.may_pay(request.user, dossier) and (ledger.balance > 0 or not ledger.lines)
    labels = {name: str(gateways.get(name).label) for name in gateways.registered()}
    payments = list(payment_selectors.online_payments(dossier)[:10])
    for payment in payments:
        payment.gateway_label = labels.get(payment.gateway, payment.gateway)  # type: ignore[attr-defined]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "dossier": dossier,
        "ledger": ledger,
        "refund_due": max(-ledger.balance, 0),
        "payments": payments,
        "requested": dossier.status == Status.PAYMENT,
        "can_pay": can_pay,
        "gateways": gateways.enabled() if can_pay else [],
    }
