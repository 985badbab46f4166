from django.contrib import admin

from motcua.integrations.models import NationalSync


@admin.register(NationalSync)
class NationalSyncAdmin(admin.ModelAdmin):
    list_display = ["dossier", "state", "synced_at", "attempts", "next_attempt_at"]
    list_filter = ["state"]
    search_fields = ["dossier__code"]
    readonly_fields = [f.name for f in NationalSync._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
