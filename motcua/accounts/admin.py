from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from motcua.accounts import throttle
from motcua.accounts.models import ApiToken, LinkedIdentity, Membership, User
from motcua.accounts.services import revoke_token, revoke_tokens


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


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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
class LinkedIdentityAdmin(admin.ModelAdmin):
    """Read only: links are made by logging in through the provider (accounts.services)."""

    list_display = ["identity_number", "user", "provider", "assurance_level", "last_login_at"]
    list_filter = ["provider", "assurance_level"]
    search_fields = ["identity_number", "user__username", "user__full_name"]
    readonly_fields = [f.name for f in LinkedIdentity._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
