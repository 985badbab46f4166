from django import forms
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from motcua.accounts import throttle
from motcua.accounts.admin_access import LoggedReadsAdmin
from motcua.accounts.clients import deactivate_client, rotate_secret, secret_created
from motcua.accounts.constants import ClientScope
from motcua.accounts.models import AccessLogEntry, ApiClient, ApiToken, LinkedIdentity, Membership, User
from motcua.accounts.services import revoke_token, revoke_tokens
from motcua.core import audit


class ThrottledAdminLoginForm(AdminAuthenticationForm):
    """The admin's login, throttled like every other (motcua.accounts.throttle), says how long to wait."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            wait = getattr(self.request, "login_wait", 0)
            if wait:
                raise ValidationError(throttle.wait_message(wait), code="throttled") from None
            raise


admin.site.login_form = ThrottledAdminLoginForm


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["agency"]


def _accounts_read(users) -> dict:
    """What an admin page showed of accounts, for the access log: their user names and identity
    numbers (the verified and the unverified one)."""
    return {
        "codes": [user.username for user in users],
        "identities": [n for user in users for n in (user.identity_number, user.unverified_identity_number)],
        "count": len(users),
    }


@admin.register(User)
class UserAdmin(LoggedReadsAdmin, BaseUserAdmin):
    access_purpose = "admin:user"
    access_object = "user"

    def access_record(self, rows):
        return _accounts_read(rows)

    list_display = ["username", "full_name", "kind", "email", "phone", "identity_number", "is_active"]
    list_filter = ["kind", "is_active", "is_staff", "memberships__role"]
    search_fields = ["username", "full_name", "email", "phone", "identity_number"]
    inlines = [MembershipInline]
    actions = ["revoke_api_tokens"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            _("motcua"),
            {
                "fields": [
                    "kind",
                    "full_name",
                    "phone",
                    "identity_number",
                    "identity_assurance",
                    "unverified_identity_number",
                ]
            },
        ),
    ]

    @admin.action(description=_("Thu hồi mọi khóa truy cập API của các tài khoản đã chọn"))
    def revoke_api_tokens(self, request, queryset):
        count = sum(revoke_tokens(user, actor=request.user) for user in queryset)
        self.message_user(
            request, _t("Đã thu hồi %(count)s khóa truy cập API.") % {"count": count}, messages.SUCCESS
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "expires_at", "last_used_at"]
    readonly_fields = ["user", "digest", "created_at", "expires_at", "last_used_at"]
    search_fields = ["user__username"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # tokens come from POST /api/auth/token, shown once

    @admin.action(description=_("Thu hồi các khóa đã chọn"))
    def revoke(self, request, queryset):
        tokens = list(queryset.select_related("user"))
        for token in tokens:
            revoke_token(token, actor=request.user)
        self.message_user(
            request, _t("Đã thu hồi %(count)s khóa truy cập API.") % {"count": len(tokens)}, messages.SUCCESS
        )


@admin.register(LinkedIdentity)
class LinkedIdentityAdmin(LoggedReadsAdmin):
    """Read only: links are made by logging in through the provider (accounts.services)."""

    access_purpose = "admin:linked_identity"
    access_object = "linked_identity"

    def access_record(self, rows):
        return {
            "codes": [row.user.username for row in rows],
            "identities": [row.identity_number for row in rows],
            "count": len(rows),
        }

    list_display = ["identity_number", "user", "provider", "assurance_level", "last_login_at"]
    list_select_related = ["user"]
    list_filter = ["provider", "assurance_level"]
    search_fields = ["identity_number", "user__username", "user__full_name"]
    readonly_fields = [f.name for f in LinkedIdentity._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("Phạm vi được cấp"),
        choices=ClientScope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ApiClient
        fields = [
            "name",
            "client_id",
            "scopes",
            "province_wide",
            "agencies",
            "acting_user",
            "is_active",
            "expires_at",
        ]

    def clean(self):
        data = super().clean()
        if ClientScope.DOSSIERS_ACT in (data.get("scopes") or []) and not data.get("acting_user"):
            self.add_error(
                "acting_user", _t("Phạm vi xử lý hồ sơ cần một cán bộ chịu trách nhiệm cho các thao tác.")
            )
        return data


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Create a client (its secret is shown once, on the next page), change its scopes and agencies,
    rotate its secret, deactivate it. Every change is audited (motcua.accounts.clients)."""

    form = ApiClientForm
    list_display = [
        "name",
        "client_id",
        "scope_list",
        "province_wide",
        "is_active",
        "expires_at",
        "last_token_at",
    ]
    list_filter = ["is_active", "province_wide"]
    search_fields = ["name", "client_id"]
    filter_horizontal = ["agencies"]
    autocomplete_fields = ["acting_user"]
    readonly_fields = ["secret_rotated_at", "previous_secret_valid_until", "last_token_at", "created_at"]
    actions = ["rotate_secret", "deactivate"]

    @admin.display(description=_("Phạm vi"))
    def scope_list(self, obj: ApiClient) -> str:
        return ", ".join(obj.scopes or [])

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        with transaction.atomic():
            ApiClient.objects.select_for_update().filter(pk=obj.pk).first()
            super().save_model(request, obj, form, change)
            if not obj.is_active:
                deactivate_client(obj, actor=request.user)
            audit.record(
                "api_client.changed",
                actor=request.user,
                obj=obj,
                summary=obj.client_id,
                fields=list(form.changed_data),
                scopes=obj.scopes,
            )

    def response_add(self, request, obj, post_url_continue=None):
        secret = secret_created(obj, actor=request.user)
        obj.refresh_from_db()
        return TemplateResponse(
            request,
            "accounts/admin/client_secret.html",
            {**self.admin_site.each_context(request), "issued": [(obj, secret)]},
        )

    @admin.action(description=_("Đổi khóa bí mật (khóa cũ còn dùng được trong thời gian chuyển đổi)"))
    def rotate_secret(self, request, queryset):
        issued = []
        for client in queryset:
            secret = rotate_secret(client, actor=request.user)
            client.refresh_from_db()
            issued.append((client, secret))
        return TemplateResponse(
            request,
            "accounts/admin/client_secret.html",
            {**self.admin_site.each_context(request), "issued": issued},
        )

    @admin.action(description=_("Khóa các ứng dụng đã chọn (chấm dứt mọi khóa truy cập)"))
    def deactivate(self, request, queryset):
        clients = list(queryset)
        for client in clients:
            deactivate_client(client, actor=request.user)
        self.message_user(
            request, _t("Đã khóa %(count)s ứng dụng kết nối.") % {"count": len(clients)}, messages.SUCCESS
        )


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Read only; supervisors search it at /can-bo/nhat-ky-truy-cap/."""

    list_display = [
        "at",
        "user",
        "client",
        "channel",
        "purpose",
        "object_type",
        "count",
        "allowed",
        "address",
    ]
    list_filter = ["channel", "allowed", "object_type"]
    search_fields = ["codes", "identities", "user__username", "client__client_id"]
    date_hierarchy = "at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in AccessLogEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
