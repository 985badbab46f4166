"""Ratings for operators, read only: a rating changes only through motcua.surveys.services (the
applicant's page, the kiosk, the API). The list shows the dossiers the viewer may see."""

from django.contrib import admin

from motcua.surveys import selectors
from motcua.surveys.models import Rating


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = [
        "dossier",
        "processing_time",
        "contacts",
        "staff_attitude",
        "overall",
        "satisfied",
        "score",
        "channel",
        "created_at",
        "updated_at",
    ]
    list_filter = ["channel", "satisfied", "overall", "created_at"]
    search_fields = ["dossier__code", "comment"]
    list_select_related = ["dossier"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = [
        "dossier",
        "processing_time",
        "contacts",
        "staff_attitude",
        "overall",
        "comment",
        "satisfied",
        "score",
        "channel",
        "rater",
        "created_at",
        "updated_at",
        "edits",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return selectors.visible_to(request.user).select_related("dossier", "rater")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
