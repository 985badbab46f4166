from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from motcua.accounts.constants import Role
from motcua.catalog.constants import (
    YES_NO_CHOICES,
    AssuranceLevel,
    DateRule,
    DocumentForm,
    FeeCharging,
    FieldKind,
    LegacyLevel,
    Level,
    Mode,
    SubmissionChannel,
    TimeUnit,
    VersionStatus,
)
from motcua.catalog.validators import validate_form_key, validate_procedure_code
from motcua.core.text import fold


class Field(models.Model):
    """A field of administration (lĩnh vực), e.g. Hộ tịch, Đất đai."""

    code = models.SlugField(_("mã lĩnh vực"), max_length=80, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính), identified by its national code.

    Everything a citizen reads lives in its versions; exactly one published version is current.
    """

    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True, validators=[validate_procedure_code])
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        current = self.current_version
        return f"{self.code} {current.name}" if current else self.code

    @property
    def current_version(self) -> "ProcedureVersion | None":
        return self.versions.filter(is_current=True).first()


def duration_label(value: Decimal, unit: str) -> str:
    """'15 ngày làm việc' / '15 working days' (English needs the plural)."""
    value = Decimal(value).normalize()
    count = int(value) if value == value.to_integral_value() else 2
    labels = {
        TimeUnit.WORKING_DAYS: ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", count),
        TimeUnit.CALENDAR_DAYS: ngettext("%(n)s ngày", "%(n)s ngày", count),
        TimeUnit.WORKING_HOURS: ngettext("%(n)s giờ làm việc", "%(n)s giờ làm việc", count),
    }
    return labels[TimeUnit(unit)] % {"n": f"{value:f}"}


class ProcedureVersionQuerySet(models.QuerySet):
    def current(self) -> "ProcedureVersionQuerySet":
        return self.filter(is_current=True)


class ProcedureVersion(models.Model):
    """One version of a procedure. A draft is edited; once published it never changes.

    A dossier keeps the version it was submitted under, so old versions stay readable.
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    is_current = models.BooleanField(_("đang áp dụng"), default=False, editable=False)
    effective_from = models.DateField(_("ngày hiệu lực"), null=True, blank=True)
    published_at = models.DateTimeField(_("ngày công bố"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    name = models.CharField(_("tên thủ tục"), max_length=1000)
    search_name = models.CharField(max_length=1000, editable=False, blank=True)
    field = models.ForeignKey(
        Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="versions"
    )
    level = models.CharField(_("cấp thực hiện"), max_length=20, choices=Level.choices)
    agencies = models.ManyToManyField(
        "agencies.Agency", verbose_name=_("cơ quan thực hiện"), blank=True, related_name="procedure_versions"
    )
    mode = models.CharField(_("hình thức dịch vụ công trực tuyến"), max_length=20, choices=Mode.choices)
    legacy_level = models.PositiveSmallIntegerField(
        _("mức độ (cũ)"), choices=LegacyLevel.choices, default=LegacyLevel.LEVEL_3
    )
    processing_time = models.DecimalField(
        _("thời hạn giải quyết"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=20, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    supplement_restarts_clock = models.BooleanField(
        _("bổ sung hồ sơ thì tính lại thời hạn"),
        default=True,
        help_text=_("Bỏ chọn nếu thời hạn tiếp tục tính (không tính lại) sau khi công dân bổ sung hồ sơ."),
    )
    min_assurance_level = models.PositiveSmallIntegerField(
        _("mức độ định danh tối thiểu để nộp trực tuyến"),
        choices=AssuranceLevel.choices,
        default=AssuranceLevel.ANY,
        help_text=_(
            "Người nộp phải đăng nhập bằng tài khoản định danh điện tử (VNeID) đã xác thực ở mức này trở lên."
        ),
    )
    applicants = models.TextField(_("đối tượng thực hiện"), blank=True)
    description = models.TextField(_("trình tự thực hiện"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    result = models.TextField(_("kết quả thực hiện"))
    sample_fields = models.JSONField(
        _("dữ liệu mẫu"),
        default=list,
        blank=True,
        help_text=_("Các mục chưa đối chiếu với văn bản công bố chính thức."),
    )

    objects = ProcedureVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["procedure"], condition=Q(is_current=True), name="one_current_version"
            ),
            models.UniqueConstraint(
                fields=["procedure"], condition=Q(status="draft"), name="one_draft_version"
            ),
        ]
        indexes = [models.Index(fields=["is_current", "field", "mode"], name="version_current_idx")]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number} {self.name}"

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def processing_time_label(self) -> str:
        """'15 ngày làm việc' / '15 working days' (English needs the plural)."""
        return duration_label(self.processing_time, self.time_unit)

    @property
    def base_fee(self) -> int:
        """The catalogue's "from" figure: what an applicant pays who asks for nothing on request and
        claims no exemption. A dossier's fee depends on its form: see motcua.catalog.fees."""
        from motcua.catalog.fees import base_fee  # the module reads these models

        return base_fee(self)


class _VersionPart(models.Model):
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "id"]


class Fee(_VersionPart):
    """A fee or charge (phí, lệ phí) in VND and how a dossier is charged it (motcua.catalog.fees).

    ``amount`` is per unit when the line is charged by a quantity from the online form (copies,
    certificates); a line of 0 đồng is free. An applicant claims the stated exemption by answering
    "Có" to the yes/no field ``exemption_field``; the officer verifies the claim at reception.
    """

    name = models.CharField(_("tên phí, lệ phí"), max_length=300)
    amount = models.PositiveBigIntegerField(_("mức thu (đồng)"), default=0)
    charging = models.CharField(
        _("cách thu"), max_length=20, choices=FeeCharging.choices, default=FeeCharging.ALWAYS
    )
    unit = models.CharField(
        _("đơn vị tính"), max_length=50, blank=True, help_text=_("Ví dụ: bản sao, Giấy chứng nhận.")
    )
    quantity_field = models.CharField(
        _("trường số lượng"),
        max_length=50,
        blank=True,
        validators=[validate_form_key],
        help_text=_(
            "Mã trường kiểu Số của tờ khai cho biết số lượng (ví dụ số bản sao yêu cầu); "
            "cần khi thu theo số lượng hoặc chỉ thu khi có yêu cầu."
        ),
    )
    description = models.TextField(_("mô tả"), blank=True)
    exemptions = models.TextField(_("đối tượng miễn, giảm"), blank=True)
    exemption_field = models.CharField(
        _("trường đề nghị miễn"),
        max_length=50,
        blank=True,
        validators=[validate_form_key],
        help_text=_(
            "Mã trường Có/Không của tờ khai: người nộp chọn “Có” để đề nghị miễn theo mục "
            "“Đối tượng miễn, giảm”; cán bộ tiếp nhận kiểm tra."
        ),
    )

    # The version's online form as the edit under way will leave it, by key (the admin sets it from
    # the submitted form fields, so a fee may name a field added in the same save). None: the saved form.
    pending_form: Mapping[str, "FormField"] | None = None

    class Meta(_VersionPart.Meta):
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        default_related_name = "fees"

    def __str__(self) -> str:
        return f"{self.name}: {self.amount:,} đ"

    @property
    def is_free(self) -> bool:
        return self.amount == 0

    def clean(self) -> None:
        super().clean()
        form = self.pending_form
        if form is None:
            saved = FormField.objects.filter(version_id=self.version_id) if self.version_id else []
            form = {field.key: field for field in saved}
        problems = self.form_problems(form)
        if problems:
            raise ValidationError(problems)

    def form_problems(self, form: Mapping[str, "FormField"]) -> dict[str, str]:
        """What is wrong with the form fields this line names, by model field; ``form`` is the
        version's online form by key."""
        problems: dict[str, str] = {}
        if self.charging == FeeCharging.ALWAYS:
            if self.quantity_field:
                problems["quantity_field"] = gettext(
                    "Chỉ dùng khi thu theo số lượng hoặc khi có yêu cầu; để trống khi thu một lần."
                )
        elif not self.quantity_field:
            problems["quantity_field"] = gettext("Nhập mã trường số lượng của tờ khai (ví dụ số bản sao).")
        else:
            field = form.get(self.quantity_field)
            if field is None:
                problems["quantity_field"] = gettext(
                    "Tờ khai của phiên bản này không có trường “%(key)s”."
                ) % {"key": self.quantity_field}
            elif field.kind != FieldKind.NUMBER:
                problems["quantity_field"] = gettext("Trường “%(key)s” phải có kiểu Số.") % {
                    "key": self.quantity_field
                }
        if self.exemption_field:
            field = form.get(self.exemption_field)
            if field is None:
                problems["exemption_field"] = gettext(
                    "Tờ khai của phiên bản này không có trường “%(key)s”."
                ) % {"key": self.exemption_field}
            elif not field.is_yes_no:
                problems["exemption_field"] = gettext(
                    "Trường “%(key)s” phải là trường Lựa chọn với đúng hai lựa chọn “Có” và “Không”."
                ) % {"key": self.exemption_field}
            if not self.exemptions.strip():
                problems["exemptions"] = gettext("Ghi đối tượng được miễn mà người nộp đề nghị.")
        return problems


class ChannelOption(_VersionPart):
    """One way to submit (hình thức nộp: trực tuyến, bưu chính, trực tiếp) with its processing time
    and fees as the catalogue publishes them for that channel (the national portal's table)."""

    channel = models.CharField(_("hình thức nộp"), max_length=20, choices=SubmissionChannel.choices)
    time = models.DecimalField(
        _("thời hạn giải quyết"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Để trống nếu bằng thời hạn giải quyết của thủ tục."),
    )
    unit = models.CharField(_("đơn vị thời hạn"), max_length=20, choices=TimeUnit.choices, blank=True)
    fee_text = models.TextField(_("phí, lệ phí"), blank=True)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta(_VersionPart.Meta):
        verbose_name = _("hình thức nộp")
        verbose_name_plural = _("hình thức nộp")
        default_related_name = "channels"

    def __str__(self) -> str:
        return str(self.get_channel_display())

    def clean(self) -> None:
        super().clean()
        if self.time is not None and not self.unit:
            raise ValidationError({"unit": gettext("Chọn đơn vị của thời hạn giải quyết.")})
        if self.time is None and self.unit:
            raise ValidationError({"time": gettext("Nhập thời hạn giải quyết hoặc bỏ chọn đơn vị.")})

    @property
    def time_label(self) -> str:
        """This channel's processing time; the procedure's when the catalogue gives none."""
        if self.time is None or not self.unit:
            return self.version.processing_time_label
        return duration_label(self.time, self.unit)


class RequiredDocument(_VersionPart):
    """A document in the dossier (thành phần hồ sơ)."""

    name = models.CharField(_("tên giấy tờ"), max_length=500)
    form = models.CharField(
        _("loại bản"), max_length=20, choices=DocumentForm.choices, default=DocumentForm.ORIGINAL
    )
    quantity = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    required = models.BooleanField(_("bắt buộc"), default=True)
    note = models.TextField(_("ghi chú"), blank=True)
    template = models.FileField(_("mẫu đơn, tờ khai"), upload_to="catalog/templates/", blank=True)

    class Meta(_VersionPart.Meta):
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        default_related_name = "documents"

    def __str__(self) -> str:
        return self.name


class FormField(_VersionPart):
    """A field of the online form (tờ khai điện tử)."""

    key = models.CharField(_("mã trường"), max_length=50, validators=[validate_form_key])
    label = models.CharField(_("nhãn"), max_length=300)
    kind = models.CharField(_("kiểu dữ liệu"), max_length=20, choices=FieldKind.choices)
    required = models.BooleanField(_("bắt buộc"), default=True)
    help_text = models.CharField(_("hướng dẫn"), max_length=500, blank=True)
    choices = models.JSONField(_("các lựa chọn"), default=list, blank=True)
    date_rule = models.CharField(
        _("giới hạn ngày"),
        max_length=10,
        choices=DateRule.choices,
        default=DateRule.ANY,
        blank=True,
        help_text=_(
            "Chỉ cho trường kiểu Ngày: ngày đã qua (ngày sinh, ngày cấp) hay ngày sắp tới (ngày hẹn)."
        ),
    )

    class Meta(_VersionPart.Meta):
        verbose_name = _("trường biểu mẫu")
        verbose_name_plural = _("trường biểu mẫu")
        default_related_name = "form_fields"
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="form_key_unique")]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        super().clean()
        if self.date_rule and self.kind != FieldKind.DATE:
            raise ValidationError({"date_rule": gettext("Chỉ trường kiểu Ngày có giới hạn ngày.")})

    @property
    def is_yes_no(self) -> bool:
        """A yes/no question: a choice of exactly "Có" and "Không" (in either order)."""
        choices = self.choices if isinstance(self.choices, list) else []
        return self.kind == FieldKind.CHOICE and sorted(map(str, choices)) == sorted(YES_NO_CHOICES)


class ProcessStep(_VersionPart):
    """A step of the internal process (quy trình nội bộ) with its share of the legal time."""

    name = models.CharField(_("tên bước"), max_length=300)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống: cơ quan đã tiếp nhận hồ sơ."),
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    share = models.DecimalField(
        _("tỷ lệ thời gian"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )

    class Meta(_VersionPart.Meta):
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("quy trình nội bộ")
        default_related_name = "steps"

    def __str__(self) -> str:
        return self.name
