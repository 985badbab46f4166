from contextvars import ContextVar

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.admin_access import LoggedReadsAdmin
from motcua.core import audit
from motcua.dossiers import rules, selectors
from motcua.dossiers.models import Dossier, OutboxEvent


@admin.register(OutboxEvent)
class OutboxEventAdmin(admin.ModelAdmin):
    """What the event relay has not delivered yet, and why (``last_error``): for the operator."""

    list_display = ["id", "action", "dossier_id", "created_at", "attempts", "available_at", "last_error"]
    list_filter = ["action", "attempts"]
    search_fields = ["dossier_id"]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("dossiers.change_outboxevent")

    @admin.action(description=_("Chuyển lại ngay"), permissions=["retry"])
    def retry_now(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        queryset.update(attempts=0, available_at=timezone.now())
        audit.record("outbox.retry", actor=request.user, summary=f"{len(ids)}", events=ids)
        self.message_user(request, _("Các sự kiện đã chọn sẽ được chuyển lại."))


_viewer: ContextVar = ContextVar("dossier_admin_viewer", default=None)


@admin.register(Dossier)
class DossierAdmin(LoggedReadsAdmin):
    """Dossiers for operators, read only: a dossier changes only through its actions (the staff pages
    and the API), so the admin shows what the viewer may do from the same rule table. What it shows is
    in the access log like any officer's read."""

    access_purpose = "admin:dossier"
    list_display = ["code", "procedure_version", "status", "receiving_agency", "holder_agency", "due_at"]
    list_filter = ["status", "channel", "result_delivery"]
    search_fields = ["code"]
    list_select_related = ["procedure_version__procedure", "receiving_agency", "holder_agency"]
    fields = [
        "offered_actions",
        "code",
        "procedure_version",
        "status",
        "applicant_name",
        "channel",
        "result_delivery",
        "delivery_address",
        "postal_tracking_number",
        "receiving_agency",
        "holder_agency",
        "current_step",
        "submitted_at",
        "received_at",
        "due_at",
        "finished_at",
        "returned_at",
        "fee_due",
        "revision",
    ]
    readonly_fields = ["offered_actions"]
    show_full_result_count = False

    def get_queryset(self, request):
        return selectors.visible_to(request.user).select_related(*self.list_select_related)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        token = _viewer.set(request.user)
        try:
            response = super().change_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()  # while the viewer is known
            return response
        finally:
            _viewer.reset(token)

    @admin.display(description=_("Ông/bà có thể"))
    def offered_actions(self, obj):
        allowed = rules.allowed(_viewer.get(), obj) if obj is not None else []
        return ", ".join(str(action.label) for action in allowed) or "—"
