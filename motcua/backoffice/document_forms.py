"""Forms of the official documents' staff pages (motcua.documents): the draft, the paper registration,
the filters and the actions. They only read and clean input: the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.documents.constants import Confidentiality, Direction, Status, Urgency
from motcua.documents.models import DocumentType

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _agency_label(agency: Agency) -> str:
    return f"{agency.name} ({agency.code})"


class FilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)
    q = forms.CharField(label=_("Tìm theo số, ký hiệu, trích yếu, nơi gửi"), required=False, max_length=100)
    overdue = forms.BooleanField(label=_("Quá hạn xử lý"), required=False)
    mine = forms.BooleanField(label=_("Giao cho tôi"), required=False)

    def __init__(self, *args, direction: str, **kwargs):
        super().__init__(*args, **kwargs)
        from motcua.documents.constants import INCOMING_STATUSES, OUTGOING_STATUSES

        statuses = OUTGOING_STATUSES if direction == Direction.OUTGOING else INCOMING_STATUSES
        self.fields["status"].choices = [("", _("Tất cả"))] + [(s.value, s.label) for s in statuses]
        if direction == Direction.OUTGOING:
            del self.fields["overdue"]
            del self.fields["mine"]


class DraftForm(forms.Form):
    """The Decree 30 components of an outgoing document."""

    agency = forms.ModelChoiceField(label=_("Cơ quan ban hành"), queryset=Agency.objects.none())
    document_type = forms.ModelChoiceField(
        label=_("Loại văn bản"), queryset=DocumentType.objects.filter(is_active=True)
    )
    summary = forms.CharField(
        label=_("Trích yếu nội dung"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ví dụ: Về việc kiện toàn Tổ công tác chuyển đổi số."),
    )
    body = forms.CharField(
        label=_("Nội dung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Mỗi đoạn một dòng. Có thể để trống nếu đính kèm tệp nội dung."),
    )
    body_file = forms.FileField(
        label=_("Tệp nội dung (PDF)"), required=False, help_text=_("PDF, JPEG hoặc PNG, tối đa 10 MB.")
    )
    unit_abbreviation = forms.CharField(
        label=_("Chữ viết tắt đơn vị soạn thảo"),
        required=False,
        max_length=20,
        help_text=_("Dùng trong ký hiệu công văn, ví dụ VP trong 123/UBND-VP."),
    )
    place = forms.CharField(
        label=_("Địa danh"),
        required=False,
        max_length=100,
        help_text=_("Để trống: theo địa bàn của cơ quan."),
    )
    urgency = forms.ChoiceField(label=_("Độ khẩn"), choices=Urgency.choices, initial=Urgency.NORMAL)
    confidentiality = forms.ChoiceField(
        label=_("Độ mật"), choices=Confidentiality.choices, initial=Confidentiality.NORMAL
    )
    signer_title = forms.CharField(
        label=_("Quyền hạn, chức vụ người ký"),
        max_length=120,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ví dụ: TM. Ủy ban nhân dân (xuống dòng) Chủ tịch."),
    )
    signer_name = forms.CharField(label=_("Họ tên người ký"), max_length=120)
    agencies = forms.ModelMultipleChoiceField(
        label=_("Nơi nhận qua trục liên thông"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("Giữ Ctrl (hoặc Cmd) để chọn nhiều cơ quan."),
    )
    paper_recipients = forms.CharField(
        label=_("Nơi nhận bản giấy"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi nơi nhận một dòng, ví dụ: Như Điều 3."),
    )
    due_on = forms.DateField(label=_("Hạn trả lời (nếu có)"), required=False, widget=DATE_INPUT)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, agencies: list[Agency], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies])
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].pk
            self.fields["agency"].widget = forms.HiddenInput()
        self.fields["agency"].label_from_instance = _agency_label
        self.fields["agencies"].queryset = Agency.objects.filter(is_active=True).order_by("name")
        self.fields["agencies"].label_from_instance = _agency_label

    def paper_list(self) -> list[str]:
        return [
            line.strip()
            for line in (self.cleaned_data.get("paper_recipients") or "").splitlines()
            if line.strip()
        ]


class AnswerForm(DraftForm):
    """An outgoing draft that answers an incoming document: its agency is the incoming one's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["agency"]
        self.fields["agencies"].required = False
        self.fields["agencies"].help_text = _("Để trống: gửi lại nơi đã gửi văn bản đến.")


class PaperForm(forms.Form):
    """An incoming paper document, registered by the clerk with its scan."""

    agency = forms.ModelChoiceField(label=_("Cơ quan nhận"), queryset=Agency.objects.none())
    document_type = forms.ModelChoiceField(
        label=_("Loại văn bản"), queryset=DocumentType.objects.filter(is_active=True)
    )
    sender_name = forms.CharField(label=_("Nơi gửi"), max_length=255)
    sender_notation = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False)
    sender_date = forms.DateField(label=_("Ngày văn bản"), required=False, widget=DATE_INPUT)
    summary = forms.CharField(
        label=_("Trích yếu nội dung"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    signer_name = forms.CharField(label=_("Người ký"), max_length=120, required=False)
    urgency = forms.ChoiceField(label=_("Độ khẩn"), choices=Urgency.choices, initial=Urgency.NORMAL)
    confidentiality = forms.ChoiceField(
        label=_("Độ mật"), choices=Confidentiality.choices, initial=Confidentiality.NORMAL
    )
    due_on = forms.DateField(label=_("Hạn xử lý (nếu có)"), required=False, widget=DATE_INPUT)
    scan = forms.FileField(label=_("Bản quét văn bản"), help_text=_("PDF, JPEG hoặc PNG, tối đa 10 MB."))

    def __init__(self, *args, agencies: list[Agency], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies])
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].pk
            self.fields["agency"].widget = forms.HiddenInput()


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReasonForm(NoteForm):
    note = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class RecallForm(forms.Form):
    """Recalling a document sent electronically: each recipient answers 15 (done) or 16 (refused)."""

    reason = forms.CharField(
        label=_("Lý do thu hồi"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=400,
        error_messages={"required": _("Nhập lý do thu hồi văn bản.")},
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class UpdateSentForm(forms.Form):
    """Correcting the details of a document sent electronically (edXML update): each recipient
    accepts (15) or refuses (16)."""

    summary = forms.CharField(
        label=_("Trích yếu nội dung"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    urgency = forms.ChoiceField(label=_("Độ khẩn"), choices=Urgency.choices)
    due_on = forms.DateField(label=_("Hạn trả lời (nếu có)"), required=False, widget=DATE_INPUT)
    reason = forms.CharField(
        label=_("Lý do cập nhật"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=400,
        error_messages={"required": _("Nhập lý do cập nhật văn bản.")},
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReplaceSentForm(forms.Form):
    """Starting a document that replaces one sent electronically (edXML replacement)."""

    reason = forms.CharField(
        label=_("Lý do thay thế"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=400,
        error_messages={"required": _("Nhập lý do thay thế văn bản.")},
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ConfirmForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReviewersForm(NoteForm):
    reviewers = forms.ModelMultipleChoiceField(
        label=_("Người xem xét"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = staff
        self.fields["reviewers"].label_from_instance = lambda u: u.full_name or u.username


class AssignForm(NoteForm):
    department = forms.ModelChoiceField(
        label=_("Đơn vị xử lý"), queryset=Agency.objects.none(), required=False
    )
    officer = forms.ModelChoiceField(label=_("Người xử lý"), queryset=None)
    due_on = forms.DateField(label=_("Hạn xử lý"), widget=DATE_INPUT)

    def __init__(self, *args, staff, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = staff
        self.fields["officer"].label_from_instance = lambda u: u.full_name or u.username
        self.fields["department"].queryset = Agency.objects.filter(pk__in=[d.pk for d in departments])
        self.fields["note"].label = _("Ý kiến chỉ đạo")


STATUS_CHOICES = Status.choices
