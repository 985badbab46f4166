"""Administrators edit the message templates; the messages themselves are read only."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.dossiers import selectors as dossier_selectors
from motcua.notifications import rendering, services, sms
from motcua.notifications.models import Message, Template


def fields_help():
    """The fields a text may use, for the help text."""
    items = format_html_join(
        "", "<li><code>{{{{ {} }}}}</code>: {}</li>", ((name, label) for name, label in rendering.FIELDS)
    )
    return format_html(
        "{}<ul>{}</ul>{}",
        gettext(
            "Mỗi nội dung là một mẫu Django: chèn thông tin của hồ sơ bằng {{ tên }}, ví dụ {{ code }}; "
            "có thể dùng {% if %} và các bộ lọc có sẵn. Để trống một kênh thì sự kiện này không gửi "
            "qua kênh đó. Các thông tin có thể dùng:"
        ),
        items,
        gettext(
            "Tin nhắn SMS được bỏ dấu và cắt còn %(chars)s ký tự. Nội dung lỗi không lưu được; nếu vẫn "
            "lỗi khi gửi, hệ thống dùng nội dung mặc định."
        )
        % {"chars": sms.max_chars()},
    )


class TemplateForm(forms.ModelForm):
    class Meta:
        model = Template
        fields = ["email_subject", "email_body", "sms_text", "inapp_title", "inapp_text"]
        widgets = {
            "email_body": forms.Textarea(attrs={"rows": 16, "cols": 90}),
            "sms_text": forms.Textarea(attrs={"rows": 3, "cols": 90}),
            "inapp_text": forms.Textarea(attrs={"rows": 3, "cols": 90}),
        }

    def clean(self):
        cleaned = super().clean()
        for name in self.Meta.fields:
            source = cleaned.get(name) or ""
            try:
                rendering.check(source)
            except rendering.RenderError as exc:
                self.add_error(
                    name, gettext("Mẫu không hiển thị được: %(error)s") % {"error": str(exc)[:300]}
                )
        if bool((cleaned.get("email_subject") or "").strip()) != bool(
            (cleaned.get("email_body") or "").strip()
        ):
            self.add_error(
                "email_body", gettext("Thư điện tử cần cả tiêu đề và nội dung (hoặc để trống cả hai).")
            )
        return cleaned


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    form = TemplateForm
    list_display = ["event", "language", "email_subject", "updated_at", "updated_by"]
    list_filter = ["event", "language"]
    readonly_fields = ["event", "language", "updated_at", "updated_by"]
    actions = ["reset_to_default"]

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ["event", "language", "updated_at", "updated_by"]}),
            (_("Nội dung"), {"fields": TemplateForm.Meta.fields, "description": fields_help()}),
        ]

    def has_add_permission(self, request):
        return False  # one per event and language, made from the defaults

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.save_template(obj, actor=request.user)

    @admin.action(description=_("Đưa về nội dung mặc định"))
    def reset_to_default(self, request, queryset):
        for row in queryset:
            services.reset_template(row, actor=request.user)
        self.message_user(request, gettext("Đã đưa các mẫu đã chọn về nội dung mặc định."), messages.SUCCESS)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "dossier", "event", "channel", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "event"]
    search_fields = ["recipient", "dossier__code", "subject"]
    list_select_related = ["dossier"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Message._meta.fields]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            Q(dossier__in=dossier_selectors.visible_to(request.user)) | Q(user=request.user)
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
