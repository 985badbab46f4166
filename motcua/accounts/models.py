import hashlib
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.constants import AccessChannel, AccountKind, Role
from motcua.core import clock


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


class ApiClient(models.Model):
    """A machine client of the API (ứng dụng kết nối): the national portal's adapter, a reporting tool,
    another province's system. It exchanges its id and secret for a short-lived bearer token
    (POST /api/auth/client-token) and may do what its scopes allow, on the dossiers of its agencies
    (docs/decisions/0011-api-clients.md). Only the secret's SHA-256 is kept; it is shown once."""

    name = models.CharField(_("tên ứng dụng"), max_length=200)
    client_id = models.SlugField(
        _("mã ứng dụng (client_id)"),
        max_length=64,
        unique=True,
        help_text=_("Chữ thường không dấu, số và dấu gạch ngang, ví dụ cong-dvcqg."),
    )
    secret_digest = models.CharField(max_length=64, editable=False)
    # After a rotation the previous secret still works for MOTCUA_CLIENT_ROTATION_GRACE_HOURS.
    previous_secret_digest = models.CharField(max_length=64, blank=True, editable=False)
    previous_secret_valid_until = models.DateTimeField(null=True, blank=True, editable=False)
    secret_rotated_at = models.DateTimeField(_("đổi khóa bí mật lúc"), null=True, blank=True, editable=False)
    scopes = models.JSONField(_("phạm vi được cấp"), default=list, blank=True)
    agencies = models.ManyToManyField(
        "agencies.Agency",
        verbose_name=_("cơ quan được xem hồ sơ"),
        blank=True,
        related_name="+",
        help_text=_("Để trống: không xem hồ sơ của cơ quan nào (trừ khi được xem toàn tỉnh)."),
    )
    province_wide = models.BooleanField(
        _("xem toàn tỉnh"), default=False, help_text=_("Xem hồ sơ, báo cáo của mọi cơ quan.")
    )
    acting_user = models.ForeignKey(
        User,
        verbose_name=_("cán bộ chịu trách nhiệm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": AccountKind.STAFF},
        help_text=_(
            "Với phạm vi xử lý hồ sơ: các thao tác được thực hiện nhân danh cán bộ này, theo đúng vai trò "
            "của cán bộ."
        ),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    expires_at = models.DateTimeField(
        _("hết hạn lúc"), null=True, blank=True, help_text=_("Để trống: không hết hạn.")
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_token_at = models.DateTimeField(
        _("lấy khóa truy cập gần nhất"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("ứng dụng kết nối API")
        verbose_name_plural = _("ứng dụng kết nối API")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes or ())

    @cached_property
    def agency_ids(self) -> frozenset[int]:
        """The agencies whose dossiers the client sees (read once per request)."""
        return frozenset(self.agencies.values_list("pk", flat=True))


class ApiClientToken(models.Model):
    """A bearer token an API client got for its id and secret; only its SHA-256 is stored."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("khóa truy cập của ứng dụng")
        verbose_name_plural = _("khóa truy cập của ứng dụng")

    def __str__(self) -> str:
        return f"{self.client_id} · {self.created_at:%Y-%m-%d %H:%M}"


class AccessLogEntry(models.Model):
    """One read of personal data (nhật ký truy cập dữ liệu cá nhân) by an officer or an API client:
    who, what (dossier codes and the identity numbers in them), through which page or operation, when,
    from where, and whether it was allowed. A list writes one row with every code it showed.

    ``codes`` and ``identities`` are space-separated with a space at each end, so that one code is
    found with ``contains=" CODE "`` (motcua.accounts.access_log)."""

    at = models.DateTimeField(_("thời điểm"), default=clock.now, db_index=True)
    user = models.ForeignKey(
        User, verbose_name=_("cán bộ"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client = models.ForeignKey(
        ApiClient,
        verbose_name=_("ứng dụng"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("kênh"), max_length=8, choices=AccessChannel.choices)
    purpose = models.CharField(_("trang / thao tác"), max_length=100)
    object_type = models.CharField(_("loại dữ liệu"), max_length=40)
    codes = models.TextField(_("mã hồ sơ"), blank=True)
    identities = models.TextField(_("số định danh"), blank=True)
    count = models.PositiveIntegerField(_("số bản ghi"), default=0)
    address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    allowed = models.BooleanField(_("được phép"), default=True)
    reason = models.CharField(_("lý do từ chối"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("nhật ký truy cập dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký truy cập dữ liệu cá nhân")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["user", "at"], name="accesslog_user_at"),
            models.Index(fields=["client", "at"], name="accesslog_client_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.purpose} {self.codes.strip()[:60]}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Access log entries are append-only.")
        super().save(*args, **kwargs)

    @property
    def code_list(self) -> list[str]:
        return self.codes.split()

    @property
    def identity_list(self) -> list[str]:
        return self.identities.split()
