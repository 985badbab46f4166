from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core import audit
from motcua.dossiers.models import OutboxEvent


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
