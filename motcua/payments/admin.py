"""Payments for operators, read only: money changes only through motcua.payments.services (the pages,
the gateways' confirmations, reconciliation). Each list shows the dossiers the viewer may see."""

from django.contrib import admin

from motcua.dossiers import selectors
from motcua.payments.models import GatewayPayment, LedgerEntry, PaymentEvent, Receipt


class ReadOnly(admin.ModelAdmin):
    show_full_result_count = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PaymentEventInline(admin.TabularInline):
    model = PaymentEvent
    fields = ["at", "source", "status_before", "status_after", "note", "data"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(GatewayPayment)
class GatewayPaymentAdmin(ReadOnly):
    list_display = ["reference", "dossier", "gateway", "amount", "status", "created_at", "paid_at"]
    list_filter = ["gateway", "status"]
    search_fields = ["reference", "gateway_transaction", "dossier__code"]
    list_select_related = ["dossier"]
    inlines = [PaymentEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(dossier__in=selectors.visible_to(request.user))


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnly):
    list_display = ["dossier", "at", "kind", "label", "amount", "method", "reference"]
    list_filter = ["kind", "method"]
    search_fields = ["dossier__code", "reference"]
    list_select_related = ["dossier"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(dossier__in=selectors.visible_to(request.user))


@admin.register(Receipt)
class ReceiptAdmin(ReadOnly):
    list_display = ["number", "entry", "issued_at", "sha256"]
    search_fields = ["number", "entry__dossier__code"]
    exclude = ["snapshot", "file"]

    def get_queryset(self, request):
        visible = selectors.visible_to(request.user)
        return super().get_queryset(request).select_related("entry").filter(entry__dossier__in=visible)
