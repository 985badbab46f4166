import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.constants import AccountKind, Role


class User(AbstractUser):
    """An account: a citizen, a business or a member of staff."""

    kind = models.CharField(
        _("loại tài khoản"), max_length=20, choices=AccountKind.choices, default=AccountKind.CITIZEN
    )
    full_name = models.CharField(_("họ và tên / tên tổ chức"), max_length=255, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    identity_number = models.CharField(
        _("số định danh / mã số thuế"),
        max_length=14,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Số định danh cá nhân 12 chữ số, hoặc mã số thuế của doanh nghiệp."),
    )
    # The level of assurance (mức độ định danh điện tử) of the identity a provider verified at the
    # account's last login through it; 0: never verified (a password registration states its number).
    identity_assurance = models.PositiveSmallIntegerField(_("mức độ định danh đã xác thực"), default=0)
    # A number typed at a password registration that its verified owner has since claimed: kept to
    # show why, never used to find dossiers (accounts.services.sign_in_with_identity).
    unverified_identity_number = models.CharField(
        _("số định danh tự khai chưa xác thực"), max_length=14, blank=True
    )
    agencies = models.ManyToManyField(
        "agencies.Agency",
        through="accounts.Membership",
        verbose_name=_("cơ quan"),
        blank=True,
        related_name="staff",
    )

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        constraints = [
            models.UniqueConstraint(fields=["email"], condition=~Q(email=""), name="user_email_unique"),
            models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""), name="user_phone_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_staff_member(self) -> bool:
        return self.kind == AccountKind.STAFF

    def save(self, *args, **kwargs):
        """A new password or a deactivated account ends every API token of the account (a session
        ends by itself: Django's session hash follows the password)."""
        password_changed = self._password is not None  # set_password() was called
        existing = not self._state.adding
        super().save(*args, **kwargs)
        if existing and (password_changed or not self.is_active):
            ApiToken.objects.filter(user=self).delete()

    @property
    def identity_verified(self) -> bool:
        return self.identity_assurance > 0 and bool(self.identity_number)

    def roles_in(self, agency) -> set[str]:
        return {m.role for m in self.memberships.all() if m.agency_id == agency.pk}


class Membership(models.Model):
    """A member of staff holds a role in an agency; a person may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("vai trò tại cơ quan")
        verbose_name_plural = _("vai trò tại cơ quan")
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.agency}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("khóa truy cập API")
        verbose_name_plural = _("khóa truy cập API")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


class LinkedIdentity(models.Model):
    """An account's login through an identity provider: the provider's subject, the identity number it
    vouched for (one verified owner per number) and the level of assurance of the last login."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="identities")
    provider = models.CharField(_("hệ thống định danh"), max_length=40)
    subject = models.CharField(_("mã định danh tại hệ thống (sub)"), max_length=255)
    identity_number = models.CharField(_("số định danh đã xác thực"), max_length=14)
    assurance_level = models.PositiveSmallIntegerField(_("mức độ định danh"), default=1)
    full_name = models.CharField(_("họ và tên"), max_length=255, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    linked_at = models.DateTimeField(_("liên kết lúc"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("đăng nhập gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("tài khoản định danh liên kết")
        verbose_name_plural = _("tài khoản định danh liên kết")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="linked_identity_subject_unique"),
            models.UniqueConstraint(
                fields=["provider", "identity_number"], name="linked_identity_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} · {self.identity_number} · {self.user}"
