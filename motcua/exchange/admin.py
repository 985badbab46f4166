"""The exchange in the admin: peers are configured here (identifier, name, transport, address, the
certificate their packages must be signed with); packages and status messages are read only, with a
button to send again a package that was given up."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from motcua.core import audit, clock
from motcua.exchange import services
from motcua.exchange.constants import Direction, PackageState
from motcua.exchange.models import Package, Peer, StatusMessage


@admin.register(Peer)
class PeerAdmin(admin.ModelAdmin):
    list_display = ["organ_id", "name", "transport", "endpoint_url", "active", "updated_at"]
    list_filter = ["transport", "active"]
    search_fields = ["organ_id", "name"]
    fields = ["organ_id", "name", "transport", "endpoint_url", "certificate_pem", "active"]

    def save_model(self, request, obj, form, change):
        obj.updated_at = clock.now()
        super().save_model(request, obj, form, change)
        audit.record(
            "exchange.peer_changed" if change else "exchange.peer_added",
            actor=request.user,
            obj=obj,
            summary=str(obj),
            transport=obj.transport,
            endpoint=obj.endpoint_url,
            active=obj.active,
        )


class ReadOnly(admin.ModelAdmin):
    show_full_result_count = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Package)
class PackageAdmin(ReadOnly):
    list_display = [
        "created_at",
        "direction",
        "message_type",
        "business_type",
        "status_code",
        "peer",
        "code",
        "state",
        "attempts",
    ]
    list_filter = ["direction", "message_type", "state", "peer"]
    search_fields = ["edxml_document_id", "code", "subject", "sha256", "remote_reference"]
    list_select_related = ["peer"]
    exclude = ["raw"]
    readonly_fields = [
        "direction",
        "message_type",
        "business_type",
        "status_code",
        "peer",
        "agency",
        "document",
        "recipient",
        "edxml_document_id",
        "code",
        "promulgation_date",
        "subject",
        "sha256",
        "size",
        "state",
        "attempts",
        "next_attempt_at",
        "last_error",
        "remote_reference",
        "created_at",
        "sent_at",
    ]
    actions = ["send_again"]

    @admin.action(description=_("Gửi lại các gói tin đã ngừng gửi"))
    def send_again(self, request, queryset):
        rows = list(queryset.filter(direction=Direction.OUT, state=PackageState.GIVEN_UP))
        for row in rows:
            Package.objects.filter(pk=row.pk).update(
                state=PackageState.QUEUED, next_attempt_at=None, attempts=0
            )
            audit.record("exchange.package_requeued", actor=request.user, obj=row, summary=str(row))
            services.deliver(row.pk)
        self.message_user(
            request,
            ngettext("%(n)d gói tin được gửi lại.", "%(n)d gói tin được gửi lại.", len(rows))
            % {"n": len(rows)},
            messages.SUCCESS,
        )

    def has_change_permission(self, request, obj=None):
        # The action needs the change permission; the form stays read only (every field is).
        return request.user.is_superuser


@admin.register(StatusMessage)
class StatusMessageAdmin(ReadOnly):
    list_display = [
        "recorded_at",
        "direction",
        "peer",
        "edxml_document_id",
        "status_code",
        "staff",
        "description",
    ]
    list_filter = ["direction", "status_code", "peer"]
    search_fields = ["edxml_document_id", "staff", "description"]
    list_select_related = ["peer"]
