"""Forms of the staff pages. They parse what was typed; the rules live in motcua.dossiers.services,
whose errors are put back on these forms' fields (see ``add_service_errors``)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import AdministrativeUnit, Agency
from motcua.catalog.constants import FieldKind
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers import delivery
from motcua.dossiers.constants import PaymentMethod, ResultDelivery
from motcua.dossiers.search import SEARCH_STATUSES, DossierQuery
from motcua.dossiers.selectors import INBOX_STATUSES

TEXTAREA = {"rows": 3, "cols": 50}
# Extensions and types accepted by motcua.dossiers.uploads (checked there by content).
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def add_service_errors(form: forms.Form, errors: dict[str, list[str]], aliases: dict[str, str] | None = None):
    """Put a service's errors by key on the form's fields; keys without a field become form errors."""
    aliases = aliases or {}
    form.is_valid()  # errors can only be added to a cleaned form
    for key, messages in errors.items():
        name = aliases.get(key, key)
        for message in messages:
            if name in form.fields:
                form.add_error(name, message)
            elif key == "documents":
                form.add_error(None, _("Giấy tờ còn thiếu: %(name)s") % {"name": message})
            else:
                form.add_error(None, message)


# ---------------------------------------------------------------------------------------------
# Inbox


def procedure_code_field() -> forms.CharField:
    """The filter of the staff lists by national procedure code."""
    return forms.CharField(
        label=_("Mã thủ tục"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "1.001193", "size": 12}),
    )


class InboxFilterForm(forms.Form):
    status = forms.TypedChoiceField(label=_("Trạng thái"), required=False, coerce=int, empty_value=None)
    procedure = procedure_code_field()
    agency = forms.ChoiceField(label=_("Đơn vị đang giữ"), required=False)
    overdue = forms.BooleanField(label=_("Quá hạn"), required=False)
    due_soon = forms.BooleanField(label=_("Sắp đến hạn"), required=False)
    mine = forms.BooleanField(label=_("Hồ sơ tôi đang giữ"), required=False)

    def __init__(self, *args, agencies: list[Agency], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Tất cả")), *[(s.value, s.label) for s in INBOX_STATUSES]]
        self.fields["agency"].choices = [("", _("Tất cả")), *[(a.code, a.name) for a in agencies]]
        if len(agencies) < 2:
            del self.fields["agency"]


class ReceptionFilterForm(forms.Form):
    procedure = procedure_code_field()
    agency = forms.ChoiceField(label=_("Nơi tiếp nhận"), required=False)

    def __init__(self, *args, agencies: list[Agency], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("Tất cả")), *[(a.code, a.name) for a in agencies]]
        if len(agencies) < 2:
            del self.fields["agency"]


# ---------------------------------------------------------------------------------------------
# Actions on a dossier. Every form carries the revision the officer saw.


class ActionForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # Fields the service requires (marked with an asterisk; the service reports them if empty).
    marked_required: tuple[str, ...] = ()


def _text(label, *, help_text="", rows=3) -> forms.CharField:
    # Not required here: the service says what is required, in one place.
    return forms.CharField(
        label=label,
        required=False,
        max_length=4000,
        help_text=help_text,
        widget=forms.Textarea(attrs={**TEXTAREA, "rows": rows}),
    )


class NoteForm(ActionForm):
    note = _text(_("Ghi chú"), rows=2)


class ReceiveForm(NoteForm):
    pass


class ReturnResultForm(NoteForm):
    """Returning the result: by post, the parcel's tracking number (the service requires it); the
    field is left out for a result collected at the counter or online."""

    tracking_number = forms.CharField(
        label=_("Số hiệu bưu gửi (mã vận đơn)"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off", "size": 20, "spellcheck": "false"}),
    )

    def __init__(self, *args, by_post: bool = False, address: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if by_post:
            self.marked_required = ("tracking_number",)
            self.fields["tracking_number"].help_text = _(
                "Kết quả gửi qua dịch vụ bưu chính công ích đến: %(address)s"
            ) % {"address": address}
            self.order_fields(["tracking_number", "note"])
        else:
            del self.fields["tracking_number"]


class RequestSupplementForm(ActionForm):
    items = _text(
        _("Giấy tờ, nội dung cần bổ sung"),
        help_text=_("Mỗi dòng một mục. Ghi tất cả các mục cần bổ sung trong một lần."),
        rows=5,
    )
    note = _text(_("Hướng dẫn thêm"), rows=2)
    marked_required = ("items",)

    def item_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("items", "").splitlines() if line.strip()]


class ReasonsForm(ActionForm):
    reasons = _text(_("Lý do"), rows=3)
    marked_required = ("reasons",)


class ForwardForm(ActionForm):
    to_user = forms.ModelChoiceField(
        label=_("Chuyển cho cán bộ"),
        required=False,
        queryset=None,
        empty_label=_("Cả đơn vị (chưa giao người cụ thể)"),
    )
    note = _text(_("Ghi chú"), rows=2)

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        from motcua.accounts.models import User

        self.fields["to_user"].queryset = officers if officers is not None else User.objects.none()


class ApproveForm(ForwardForm):
    """Approval; where a processing step follows, the leader may name who takes it."""

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, officers=officers, **kwargs)
        if not self.fields["to_user"].queryset.exists():
            del self.fields["to_user"]


class WithdrawForm(ActionForm):
    reason = _text(_("Lý do rút hồ sơ"), rows=2)
    marked_required = ("reason",)


class SendBackForm(ActionForm):
    note = _text(_("Lý do trả lại"), rows=2)
    marked_required = ("note",)


class ConsultForm(ActionForm):
    agency = forms.ModelChoiceField(label=_("Đơn vị được xin ý kiến"), queryset=None)
    question = _text(_("Nội dung xin ý kiến"), rows=3)
    days = forms.DecimalField(
        label=_("Thời hạn trả lời (ngày làm việc)"),
        initial=3,
        min_value=0,
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "size": 5}),
    )
    marked_required = ("question",)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()


class ReplyConsultationForm(ActionForm):
    step = forms.TypedChoiceField(label=_("Xin ý kiến"), coerce=int)
    answer = _text(_("Ý kiến trả lời"), rows=3)
    marked_required = ("answer",)

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(s.pk, s.name) for s in steps]


class RequestPaymentForm(ActionForm):
    amount = forms.IntegerField(label=_("Số tiền (đồng)"), min_value=0)
    note = _text(_("Ghi chú"), rows=2)


class RecordPaymentForm(ActionForm):
    amount = forms.IntegerField(label=_("Số tiền đã nộp (đồng)"), min_value=0)
    method = forms.ChoiceField(
        label=_("Hình thức"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH
    )
    reference = forms.CharField(label=_("Số biên lai / mã giao dịch"), required=False, max_length=100)


class AttachResultForm(ActionForm):
    file = forms.FileField(
        label=_("Tệp kết quả (PDF, JPG, PNG)"),
        required=False,
        allow_empty_file=True,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )

    @property
    def generate(self) -> bool:
        return bool(self.data.get("generate"))

    def clean(self):
        cleaned = super().clean()
        cleaned["generate"] = self.generate
        if not cleaned.get("file") and not self.generate:
            self.add_error("file", _("Chọn tệp kết quả, hoặc bấm “Tạo văn bản kết quả”."))
        return cleaned


class ApologizeForm(ActionForm):
    reasons = _text(_("Lý do quá hạn"), rows=3)
    new_due_at = forms.DateTimeField(
        label=_("Ngày hẹn trả mới"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    marked_required = ("reasons",)


# ---------------------------------------------------------------------------------------------
# Counter intake


class ProcedureChoiceForm(forms.Form):
    procedure = forms.ChoiceField(label=_("Thủ tục"))

    def __init__(self, *args, versions: list[ProcedureVersion], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", "—")] + [
            (v.procedure.code, f"{v.procedure.code} · {v.name}") for v in versions
        ]


class IntakeForm(forms.Form):
    """The walk-in applicant, the procedure's online form and one scan per document.

    Built from the procedure version. Values stay text so that whatever was typed comes back on
    error; the service cleans and checks them.
    """

    # Our own inputs have names with a hyphen, which no form key of a procedure can have.
    APPLICANT = {
        "applicant-name": "name",
        "applicant-identity": "identity",
        "applicant-phone": "phone",
        "applicant-email": "email",
    }

    def __init__(
        self,
        *args,
        version: ProcedureVersion,
        agencies: list[Agency],
        units: list[AdministrativeUnit],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["receiving-agency"] = forms.ModelChoiceField(
            label=_("Nơi tiếp nhận"),
            queryset=Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by("name"),
            empty_label=None,
            initial=agencies[0].pk if agencies else None,
        )
        self.fields["applicant-name"] = forms.CharField(
            label=_("Họ và tên người nộp"), max_length=255, required=False
        )
        self.fields["applicant-identity"] = forms.CharField(
            label=_("Số định danh cá nhân"),
            max_length=14,
            required=False,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        )
        self.fields["applicant-phone"] = forms.CharField(
            label=_("Số điện thoại"),
            max_length=20,
            required=False,
            widget=forms.TextInput(attrs={"type": "tel"}),
        )
        self.fields["applicant-email"] = forms.CharField(
            label=_("Thư điện tử"), max_length=254, required=False, widget=forms.EmailInput
        )
        self.form_keys: list[tuple[Any, list[str]]] = []  # (FormField, names of its inputs)
        # Shown with an asterisk: the service refuses the dossier without them.
        self.marked_required = {"applicant-name"}
        unit_choices = [("", "—")] + [(u.code, u.name) for u in units]
        for field in version.form_fields.all():
            if field.kind == FieldKind.FILE:
                continue
            if field.kind == FieldKind.ADDRESS:
                self.fields[f"{field.key}__unit"] = forms.CharField(
                    label=_("Xã, phường, đặc khu"), required=False, widget=forms.Select(choices=unit_choices)
                )
                self.fields[f"{field.key}__detail"] = forms.CharField(
                    label=_("Số nhà, đường, thôn, tổ"), required=False, max_length=500
                )
                self.form_keys.append((field, [f"{field.key}__unit", f"{field.key}__detail"]))
                if field.required:
                    self.marked_required.add(f"{field.key}__unit")
                continue
            self.fields[field.key] = forms.CharField(
                label=field.label,
                required=False,
                help_text=field.help_text,
                max_length=5000,
                widget=_widget(field),
            )
            self.form_keys.append((field, [field.key]))
            if field.required:
                self.marked_required.add(field.key)
        self.documents = list(version.documents.all())
        for document in self.documents:
            self.fields[f"doc-{document.pk}"] = forms.FileField(
                label=document.name,
                required=False,
                allow_empty_file=True,
                help_text=document.get_form_display(),
                widget=forms.FileInput(attrs={"accept": ACCEPT}),
            )
            if document.required:
                self.marked_required.add(f"doc-{document.pk}")
        # How the walk-in applicant receives the result: at the counter or by post (no account to
        # receive it online: motcua.dossiers.delivery).
        self.fields["result-delivery"] = forms.ChoiceField(
            label=_("Hình thức nhận kết quả"),
            required=False,
            choices=[(c.value, c.label) for c in delivery.choices_for(version, has_account=False)],
            initial=ResultDelivery.IN_PERSON,
            widget=forms.RadioSelect,
        )
        self.fields["delivery-address"] = forms.CharField(
            label=_("Địa chỉ nhận kết quả qua bưu chính"),
            required=False,
            max_length=delivery.ADDRESS_MAX,
            help_text=_("Bắt buộc khi nhận kết quả qua bưu chính."),
        )
        self.fields["reception-note"] = _text(_("Ghi chú khi tiếp nhận"), rows=2)
        self.use_required_attribute = False

    # Groups for the template ------------------------------------------------------------

    def receiving_agency_field(self):
        return self["receiving-agency"]

    def applicant_fields(self):
        return [self[name] for name in self.APPLICANT]

    def procedure_fields(self):
        """(FormField, [bound fields]) in the procedure's order."""
        return [(field, [self[name] for name in names]) for field, names in self.form_keys]

    def document_fields(self):
        return [(document, self[f"doc-{document.pk}"]) for document in self.documents]

    def note_field(self):
        return self["reception-note"]

    def delivery_fields(self):
        return self["result-delivery"], self["delivery-address"]

    # Values for the service -------------------------------------------------------------

    def form_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for field, names in self.form_keys:
            if field.kind == FieldKind.ADDRESS:
                data[field.key] = {"unit": self.data.get(names[0], ""), "detail": self.data.get(names[1], "")}
            else:
                data[field.key] = self.data.get(names[0], "")
        return data

    def applicant(self) -> dict[str, str]:
        return {key: self.data.get(name, "") for name, key in self.APPLICANT.items()}

    def result_delivery(self) -> tuple[str, str]:
        """The choice and the postal address as typed (the service checks them)."""
        return self.data.get("result-delivery", ""), self.data.get("delivery-address", "")

    def scans(self):
        return [
            (document, upload.name, upload)
            for document in self.documents
            if (upload := self.files.get(f"doc-{document.pk}")) is not None
        ]

    def error_aliases(self) -> dict[str, str]:
        """Service error keys → field names (an address's errors go on its commune select)."""
        aliases = {field.key: names[0] for field, names in self.form_keys}
        return aliases | {
            "applicant_name": "applicant-name",
            "applicant_identity": "applicant-identity",
            delivery.CHOICE: "result-delivery",
            delivery.ADDRESS: "delivery-address",
        }


def _widget(field) -> forms.Widget:
    match field.kind:
        case FieldKind.TEXTAREA:
            return forms.Textarea(attrs=TEXTAREA)
        case FieldKind.NUMBER:
            return forms.TextInput(attrs={"inputmode": "decimal"})
        case FieldKind.DATE:
            return forms.DateInput(attrs={"type": "date"})
        case FieldKind.CHOICE:
            return forms.Select(choices=[("", "—"), *[(c, c) for c in field.choices]])
        case FieldKind.IDENTITY_NUMBER:
            return forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
        case FieldKind.EMAIL:
            return forms.EmailInput
        case FieldKind.PHONE:
            return forms.TextInput(attrs={"type": "tel"})
        case _:
            return forms.TextInput


# ---------------------------------------------------------------------------------------------
# Search over every dossier of the officer's agencies (motcua.dossiers.search)


def _day_field(label) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))


class DossierSearchForm(forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        required=False,
        max_length=64,
        help_text=_("Cả mã hoặc phần đầu của mã."),
        widget=forms.TextInput(attrs={"placeholder": "000.00.00.H59-260312", "size": 24}),
    )
    applicant = forms.CharField(
        label=_("Họ tên người nộp"),
        required=False,
        max_length=255,
        help_text=_("Các từ trong họ tên, có dấu hoặc không dấu."),
    )
    identity = forms.CharField(
        label=_("Số định danh"),
        required=False,
        max_length=14,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 14}),
    )
    procedure = procedure_code_field()
    status = forms.TypedChoiceField(label=_("Trạng thái"), required=False, coerce=int, empty_value=None)
    receiving_agency = forms.ChoiceField(label=_("Nơi tiếp nhận"), required=False)
    holder_agency = forms.ChoiceField(label=_("Đơn vị đang xử lý"), required=False)
    submitted_from = _day_field(_("Nộp từ ngày"))
    submitted_to = _day_field(_("Nộp đến ngày"))
    received_from = _day_field(_("Tiếp nhận từ ngày"))
    received_to = _day_field(_("Tiếp nhận đến ngày"))
    due_from = _day_field(_("Hạn trả từ ngày"))
    due_to = _day_field(_("Hạn trả đến ngày"))
    finished_from = _day_field(_("Có kết quả từ ngày"))
    finished_to = _day_field(_("Có kết quả đến ngày"))

    # (legend, from field, to field) of the date ranges, as the page groups them.
    RANGES = [
        (_("Ngày nộp"), "submitted_from", "submitted_to"),
        (_("Ngày tiếp nhận"), "received_from", "received_to"),
        (_("Hạn trả kết quả"), "due_from", "due_to"),
        (_("Ngày có kết quả"), "finished_from", "finished_to"),
    ]

    def __init__(self, *args, agencies: list[Agency], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Tất cả")), *[(s.value, s.label) for s in SEARCH_STATUSES]]
        for name in ("receiving_agency", "holder_agency"):
            self.fields[name].choices = [("", _("Tất cả")), *[(a.code, a.name) for a in agencies]]

    def ranges(self):
        return [(legend, self[start], self[end]) for legend, start, end in self.RANGES]

    def clean(self):
        cleaned = super().clean()
        # The ranges among the fields that parsed (a malformed date has its own error already).
        for name, messages in self.query().errors().items():
            for message in messages:
                self.add_error(name, message)
        return cleaned

    def query(self) -> DossierQuery:
        """What to search for, from the fields that parsed (call after is_valid)."""
        values = {name: self.cleaned_data.get(name) for name in self.fields}
        text = {name: (values[name] or "").strip() for name in self.fields if isinstance(values[name], str)}
        return DossierQuery(**{**values, **text})
