from django.contrib import admin

from motcua.documents.models import (
    Assignment,
    DocumentAction,
    DocumentFile,
    DocumentType,
    OfficialDocument,
    Recipient,
    Register,
    RegisterCounter,
    Review,
)


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "code", "order", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["name", "abbreviation", "code"]


class CounterInline(admin.TabularInline):
    model = RegisterCounter
    extra = 0
    readonly_fields = ["year", "last"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "direction", "agency_abbreviation", "year", "is_active"]
    list_filter = ["direction", "is_active"]
    search_fields = ["name", "agency__name", "agency__code"]
    autocomplete_fields = ["agency"]
    inlines = [CounterInline]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RecipientInline(ReadOnlyInline):
    model = Recipient


class FileInline(ReadOnlyInline):
    model = DocumentFile
    fields = ["kind", "name", "size", "sha256", "signed_by", "uploaded_at"]


class ActionInline(ReadOnlyInline):
    model = DocumentAction
    fields = ["at", "type", "actor", "status_before", "status_after", "note"]


class ReviewInline(ReadOnlyInline):
    model = Review


class AssignmentInline(ReadOnlyInline):
    model = Assignment


@admin.register(OfficialDocument)
class OfficialDocumentAdmin(admin.ModelAdmin):
    """Read only: documents change through their services (the staff pages), never here."""

    list_display = ["__str__", "direction", "agency", "status", "document_type", "issued_on", "due_on"]
    list_filter = ["direction", "status", "document_type"]
    search_fields = ["notation", "summary", "sender_name", "sender_notation", "exchange_id"]
    list_select_related = ["agency", "document_type"]
    inlines = [RecipientInline, FileInline, ReviewInline, AssignmentInline, ActionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
