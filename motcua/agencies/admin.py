from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import AdministrativeUnit, Agency
from motcua.agencies.services import save_agency


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "type", "parent", "valid_from", "valid_to"]
    list_filter = ["type", ("valid_to", admin.EmptyFieldListFilter)]
    search_fields = ["code", "name", "codename"]
    raw_id_fields = ["parent"]
    filter_horizontal = ["successors"]
    list_select_related = ["parent"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "unit", "parent", "receives_dossiers", "is_active"]
    list_filter = ["kind", "receives_dossiers", "is_active"]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["parent", "unit"]
    list_select_related = ["unit", "parent"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "name",
                    "short_name",
                    "kind",
                    "parent",
                    "unit",
                    "receives_dossiers",
                    "is_active",
                ]
            },
        ),
        (_("Liên hệ"), {"fields": ["address", "phone", "email", "opening_hours"]}),
        (_("Người đứng đầu"), {"fields": ["head_title", "head_name"]}),
    ]

    def save_model(self, request, obj, form, change):
        save_agency(obj, actor=request.user)
