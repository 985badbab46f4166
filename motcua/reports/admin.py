"""Targets (chỉ tiêu) in the admin: a province administrator sets them; everyone with a view
permission reads them. The aggregates are not edited by hand (``manage.py rebuild_reports``)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from motcua.reports.access import is_province_admin
from motcua.reports.models import Target
from motcua.reports.selectors import BY_CODE
from motcua.reports.units import UnknownUnit, unit_from_key


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["year", "unit_key", "indicator", "value", "updated_at", "updated_by"]
    list_filter = ["year", "indicator"]
    search_fields = ["unit_key", "indicator"]

    def has_module_permission(self, request):
        return is_province_admin(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_province_admin(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return is_province_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return is_province_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_province_admin(request.user)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            choices = [(code, f"{i.name} ({code})") for code, i in BY_CODE.items() if not i.point_in_time]
            return forms.ChoiceField(label=db_field.verbose_name, choices=choices)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        original_clean = form.clean

        def clean(self_form):
            data = original_clean(self_form)
            key = (data.get("unit_key") or "").strip()
            if key:
                try:
                    data["unit_key"] = unit_from_key(key).key
                except UnknownUnit:
                    self_form.add_error("unit_key", _("Không có cơ quan hoặc đơn vị hành chính với mã này."))
            return data

        form.clean = clean
        return form

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
