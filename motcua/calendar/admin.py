from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from motcua.calendar.models import CalendarOverride
from motcua.calendar.services import remove_override, save_override
from motcua.calendar.workdays import WEEKDAYS


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "scope", "is_working_day", "note"]
    list_filter = ["is_working_day", ("agency", admin.EmptyFieldListFilter)]
    search_fields = ["note", "agency__name", "agency__code"]
    date_hierarchy = "date"
    autocomplete_fields = ["agency"]
    list_select_related = ["agency"]
    fields = ["date", "agency", "is_working_day", "note"]

    @admin.display(description=_("thứ"))
    def weekday(self, obj):
        return WEEKDAYS[obj.date.weekday()]

    @admin.display(description=_("phạm vi"), ordering="agency__name")
    def scope(self, obj):
        return obj.agency or _("Toàn tỉnh")

    def save_model(self, request, obj, form, change):
        save_override(obj, actor=request.user)

    def delete_model(self, request, obj):
        remove_override(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            remove_override(obj, actor=request.user)
