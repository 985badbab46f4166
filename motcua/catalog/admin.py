from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.accounts.selectors import visible_agencies
from motcua.catalog.constants import FieldKind
from motcua.catalog.models import (
    ChannelOption,
    Fee,
    Field,
    FormField,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
)
from motcua.catalog.services import publish_version, start_draft


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class _PublishedReadOnly:
    """Inlines of a published version are read-only: a change needs a new draft."""

    def _editable(self, obj):
        return obj is None or obj.is_draft

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class FeeForm(forms.ModelForm):
    """A fee line, checked against ``pending_form``: the online form as the same save leaves it."""

    def __init__(self, *args, pending_form=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.pending_form = pending_form


class FeeInline(_PublishedReadOnly, admin.StackedInline):
    model = Fee
    form = FeeForm
    extra = 0
    fields = [
        ("name", "amount", "order"),
        ("charging", "unit", "quantity_field"),
        "description",
        ("exemptions", "exemption_field"),
    ]

    def get_formset(self, request, obj=None, **kwargs):
        if obj is not None:
            # Name the keys the administrator may use, from the saved form.
            fields = list(obj.form_fields.all())
            numbers = ", ".join(f.key for f in fields if f.kind == FieldKind.NUMBER) or "—"
            yes_no = ", ".join(f.key for f in fields if f.is_yes_no) or "—"
            kwargs["help_texts"] = {
                "quantity_field": f"{Fee._meta.get_field('quantity_field').help_text} "
                + gettext("Trường kiểu Số của tờ khai: %(keys)s.") % {"keys": numbers},
                "exemption_field": f"{Fee._meta.get_field('exemption_field').help_text} "
                + gettext("Trường Có/Không của tờ khai: %(keys)s.") % {"keys": yes_no},
            }
        return super().get_formset(request, obj, **kwargs)


class ChannelInline(_PublishedReadOnly, admin.TabularInline):
    model = ChannelOption
    extra = 0
    fields = ["channel", "time", "unit", "fee_text", "description", "order"]


class DocumentInline(_PublishedReadOnly, admin.TabularInline):
    model = RequiredDocument
    extra = 0


class FormFieldInline(_PublishedReadOnly, admin.TabularInline):
    model = FormField
    extra = 0


class StepInline(_PublishedReadOnly, admin.TabularInline):
    model = ProcessStep
    extra = 0
    autocomplete_fields = ["agency"]


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ["number", "name", "status", "is_current", "effective_from", "published_at"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__", "created_at"]
    search_fields = ["code", "versions__name"]
    inlines = [VersionInline]
    actions = ["new_draft"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj else []

    def get_queryset(self, request):
        procedures = super().get_queryset(request)
        if request.user.is_superuser:
            return procedures
        return procedures.filter(versions__agencies__in=visible_agencies(request.user)).distinct()

    @admin.action(description=_("Tạo bản nháp mới để sửa đổi"))
    def new_draft(self, request, queryset):
        for procedure in queryset:
            draft = start_draft(procedure, actor=request.user)
            self.message_user(request, _("Bản nháp: %(v)s") % {"v": draft})


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(_PublishedReadOnly, admin.ModelAdmin):
    list_display = [
        "procedure",
        "number",
        "name",
        "field",
        "level",
        "mode",
        "status",
        "is_current",
        "effective_from",
    ]
    list_filter = ["status", "is_current", "level", "mode", "field"]
    search_fields = ["procedure__code", "name"]
    autocomplete_fields = ["field", "agencies"]
    readonly_fields = ["procedure", "number", "status", "is_current", "published_at", "published_by"]
    inlines = [ChannelInline, FeeInline, DocumentInline, FormFieldInline, StepInline]
    list_select_related = ["procedure", "field"]
    actions = ["publish_today"]
    change_form_template = "admin/catalog/procedureversion/change_form.html"

    def has_add_permission(self, request):
        return False

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, FeeInline) and request.method == "POST":
            kwargs["form_kwargs"] = {"pending_form": self._submitted_form(request, obj)}
        return kwargs

    def _submitted_form(self, request, obj) -> dict[str, FormField] | None:
        """The online form, by key, as this request leaves it (the fee lines are checked against it);
        None when the request does not edit the form (the saved one applies)."""
        inline = next(
            (i for i in self.get_inline_instances(request, obj) if isinstance(i, FormFieldInline)), None
        )
        if inline is None or not inline.has_change_permission(request, obj):
            return None
        formset_class = inline.get_formset(request, obj)
        prefix = formset_class.get_default_prefix()
        if f"{prefix}-TOTAL_FORMS" not in request.POST:
            return None
        formset = formset_class(
            data=request.POST,
            files=request.FILES,
            instance=obj,
            prefix=prefix,
            queryset=inline.get_queryset(request),
        )
        submitted = {}
        for form in formset.forms:
            # An invalid row is reported by the form-field inline itself.
            if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE"):
                submitted[form.instance.key] = form.instance
        return submitted

    def get_queryset(self, request):
        # An agency administrator manages the procedures of their own agencies only.
        versions = super().get_queryset(request)
        if request.user.is_superuser:
            return versions
        return versions.filter(agencies__in=visible_agencies(request.user)).distinct()

    @admin.action(description=_("Công bố, hiệu lực từ hôm nay"))
    def publish_today(self, request, queryset):
        for version in queryset:
            if not request.user.has_perm("catalog.publish_version", version.procedure):
                self.message_user(
                    request, f"{version}: {_('Ông/bà không có quyền công bố thủ tục này.')}", messages.ERROR
                )
                continue
            try:
                publish_version(version, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{version}: {'; '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("Đã công bố %(v)s") % {"v": version})

    def response_change(self, request, obj):
        if "_publish" in request.POST:
            if not request.user.has_perm("catalog.publish_version", obj.procedure):
                self.message_user(request, _("Ông/bà không có quyền công bố thủ tục này."), messages.ERROR)
                return redirect(request.path)
            try:
                publish_version(obj, effective_from=obj.effective_from, actor=request.user)
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(request, _("Đã công bố %(v)s") % {"v": obj})
            return redirect(request.path)
        return super().response_change(request, obj)
