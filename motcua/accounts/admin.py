from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import ApiToken, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["agency"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = [
        "username",
        "full_name",
        "kind",
        "email",
        "phone",
        "identity_number",
        "is_active",
        "locked_until",
    ]
    list_filter = ["kind", "is_active", "is_staff", "memberships__role"]
    search_fields = ["username", "full_name", "email", "phone", "identity_number"]
    inlines = [MembershipInline]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            _("motcua"),
            {"fields": ["kind", "full_name", "phone", "identity_number", "failed_logins", "locked_until"]},
        ),
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "expires_at", "last_used_at"]
    readonly_fields = ["user", "digest", "created_at", "last_used_at"]
    search_fields = ["user__username"]
