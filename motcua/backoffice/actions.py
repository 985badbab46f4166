"""The actions an officer can take on a dossier page: one form each, posted to its own URL, calling
one service of motcua.dossiers.services.

Which forms a page shows is what ``motcua.dossiers.rules.offer`` says, the same table the services
check under the row lock: a page offers exactly what the service accepts.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.constants import AccountKind, Role
from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.backoffice import forms
from motcua.dossiers import rules, services
from motcua.dossiers.constants import ActionType
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import Dossier, Step
from motcua.payments import services as payment_services

# ---------------------------------------------------------------------------------------------
# The service calls


def _receive(d: Dossier, user: User, data: dict, revision: int | None) -> Any:
    return services.receive(d, actor=user, note=data["note"], expected_revision=revision)


def _request_supplement(d, user, data, revision):
    items = [line.strip() for line in data["items"].splitlines() if line.strip()]
    return services.request_supplement(
        d, actor=user, items=items, note=data["note"], expected_revision=revision
    )


def _refuse(d, user, data, revision):
    return services.refuse(d, actor=user, reasons=data["reasons"], expected_revision=revision)


def _forward(d, user, data, revision):
    return services.forward(
        d, actor=user, to_user=data["to_user"], note=data["note"], expected_revision=revision
    )


def _send_back(d, user, data, revision):
    return services.send_back(d, actor=user, note=data["note"], expected_revision=revision)


def _consult(d, user, data, revision):
    return services.consult(
        d,
        actor=user,
        agency=data["agency"],
        question=data["question"],
        days=data["days"],
        expected_revision=revision,
    )


def _reply_consultation(d, user, data, revision):
    step = d.steps.filter(pk=data["step"]).first()
    if step is None:
        raise InvalidInput(_("Không tìm thấy yêu cầu xin ý kiến."), errors={"step": [_("Không hợp lệ.")]})
    return services.reply_consultation(step, actor=user, answer=data["answer"], expected_revision=revision)


def _request_payment(d, user, data, revision):
    return services.request_payment(
        d, actor=user, amount=data["amount"], note=data["note"], expected_revision=revision
    )


def _record_payment(d, user, data, revision):
    # Through the fee ledger (motcua.payments): the dossier's action, the ledger line and the receipt.
    return payment_services.record_counter_payment(
        d,
        actor=user,
        amount=data["amount"],
        method=data["method"],
        reference=data["reference"],
        expected_revision=revision,
    )


def _approve(d, user, data, revision):
    return services.approve(
        d, actor=user, note=data["note"], to_user=data.get("to_user"), expected_revision=revision
    )


def _resubmit(d, user, data, revision):
    return services.resubmit(d, actor=user, note=data["note"], expected_revision=revision)


def _withdraw(d, user, data, revision):
    return services.withdraw(d, actor=user, reason=data["reason"], expected_revision=revision)


def _attach_result(d, user, data, revision):
    upload = data.get("file")
    if upload and not data.get("generate"):
        return services.attach_result(
            d, actor=user, upload=upload, name=upload.name, expected_revision=revision
        )
    return services.attach_result(d, actor=user, expected_revision=revision)


def _mark_ready(d, user, data, revision):
    return services.mark_ready(d, actor=user, note=data["note"], expected_revision=revision)


def _return_result(d, user, data, revision):
    return services.return_result(
        d,
        actor=user,
        note=data["note"],
        tracking_number=data.get("tracking_number", ""),
        expected_revision=revision,
    )


def _stop(d, user, data, revision):
    return services.stop(d, actor=user, reasons=data["reasons"], expected_revision=revision)


def _apologize(d, user, data, revision):
    return services.apologize(
        d, actor=user, reasons=data["reasons"], new_due_at=data["new_due_at"], expected_revision=revision
    )


# ---------------------------------------------------------------------------------------------
# The registry


@dataclass(frozen=True)
class ActionSpec:
    slug: str
    type: ActionType
    title: str | Promise
    button: str | Promise
    form_class: type[forms.ActionForm]
    perform: Callable[[Dossier, User, dict, int | None], Any]
    multipart: bool = False
    # Less frequent actions are grouped under "Thao tác khác".
    secondary: bool = False


ACTIONS: dict[str, ActionSpec] = {
    spec.slug: spec
    for spec in [
        ActionSpec(
            "tiep-nhan",
            ActionType.RECEIVE,
            gettext_lazy("Tiếp nhận hồ sơ"),
            gettext_lazy("Tiếp nhận và cấp giấy hẹn"),
            forms.ReceiveForm,
            _receive,
        ),
        ActionSpec(
            "yeu-cau-bo-sung",
            ActionType.REQUEST_SUPPLEMENT,
            gettext_lazy("Yêu cầu bổ sung hồ sơ"),
            gettext_lazy("Gửi yêu cầu bổ sung"),
            forms.RequestSupplementForm,
            _request_supplement,
        ),
        ActionSpec(
            "tu-choi",
            ActionType.REFUSE,
            gettext_lazy("Từ chối tiếp nhận"),
            gettext_lazy("Từ chối tiếp nhận"),
            forms.ReasonsForm,
            _refuse,
        ),
        ActionSpec(
            "chuyen-buoc",
            ActionType.FORWARD,
            gettext_lazy("Chuyển bước tiếp theo"),
            gettext_lazy("Chuyển xử lý"),
            forms.ForwardForm,
            _forward,
        ),
        ActionSpec(
            "dinh-kem-ket-qua",
            ActionType.ATTACH_RESULT,
            gettext_lazy("Kết quả giải quyết"),
            gettext_lazy("Tải lên tệp kết quả"),
            forms.AttachResultForm,
            _attach_result,
            multipart=True,
        ),
        ActionSpec(
            "phe-duyet",
            ActionType.APPROVE,
            gettext_lazy("Phê duyệt"),
            gettext_lazy("Phê duyệt"),
            forms.ApproveForm,
            _approve,
        ),
        ActionSpec(
            "hoan-thanh",
            ActionType.MARK_READY,
            gettext_lazy("Hoàn thành xử lý"),
            gettext_lazy("Hoàn thành, chuyển trả kết quả"),
            forms.NoteForm,
            _mark_ready,
        ),
        ActionSpec(
            "ghi-nhan-nop-phi",
            ActionType.RECORD_PAYMENT,
            gettext_lazy("Ghi nhận đã nộp phí, lệ phí"),
            gettext_lazy("Ghi nhận thanh toán"),
            forms.RecordPaymentForm,
            _record_payment,
        ),
        ActionSpec(
            "tra-ket-qua",
            ActionType.RETURN_RESULT,
            gettext_lazy("Trả kết quả"),
            gettext_lazy("Đã trả kết quả cho người nộp"),
            forms.ReturnResultForm,
            _return_result,
        ),
        ActionSpec(
            "tra-loi-y-kien",
            ActionType.REPLY_CONSULTATION,
            gettext_lazy("Trả lời xin ý kiến"),
            gettext_lazy("Gửi ý kiến"),
            forms.ReplyConsultationForm,
            _reply_consultation,
        ),
        ActionSpec(
            "bo-sung-thay",
            ActionType.SUPPLEMENT,
            gettext_lazy("Nhận hồ sơ bổ sung"),
            gettext_lazy("Đã nhận đủ giấy tờ bổ sung"),
            forms.NoteForm,
            _resubmit,
        ),
        ActionSpec(
            "tra-lai-buoc-truoc",
            ActionType.SEND_BACK,
            gettext_lazy("Trả lại bước trước"),
            gettext_lazy("Trả lại"),
            forms.SendBackForm,
            _send_back,
            secondary=True,
        ),
        ActionSpec(
            "xin-y-kien",
            ActionType.CONSULT,
            gettext_lazy("Xin ý kiến đơn vị khác"),
            gettext_lazy("Gửi xin ý kiến"),
            forms.ConsultForm,
            _consult,
            secondary=True,
        ),
        ActionSpec(
            "yeu-cau-nop-phi",
            ActionType.REQUEST_PAYMENT,
            gettext_lazy("Yêu cầu nộp phí, lệ phí"),
            gettext_lazy("Gửi yêu cầu nộp phí"),
            forms.RequestPaymentForm,
            _request_payment,
            secondary=True,
        ),
        ActionSpec(
            "xin-loi",
            ActionType.APOLOGIZE,
            gettext_lazy("Xin lỗi và hẹn lại ngày trả"),
            gettext_lazy("Gửi thư xin lỗi (mẫu 04)"),
            forms.ApologizeForm,
            _apologize,
            secondary=True,
        ),
        ActionSpec(
            "rut-ho-so",
            ActionType.WITHDRAW,
            gettext_lazy("Rút hồ sơ theo yêu cầu của người nộp"),
            gettext_lazy("Rút hồ sơ"),
            forms.WithdrawForm,
            _withdraw,
            secondary=True,
        ),
        ActionSpec(
            "dung-xu-ly",
            ActionType.STOP,
            gettext_lazy("Dừng xử lý hồ sơ"),
            gettext_lazy("Dừng xử lý (mẫu 05)"),
            forms.ReasonsForm,
            _stop,
            secondary=True,
        ),
    ]
}
BY_TYPE = {spec.type: spec for spec in ACTIONS.values()}


@dataclass(frozen=True)
class Offered:
    """An action the page shows: a form, or (``reason``) why it cannot be taken yet."""

    spec: ActionSpec
    allowed: bool
    reason: str = ""


def offered(facts: rules.Facts) -> list[Offered]:
    """The officer's actions on the dossier, as ``rules.offer`` says, in the page's order."""
    verdicts = rules.offer(facts.user, facts, actions=list(BY_TYPE))
    return [
        Offered(spec, verdicts[spec.type].allowed, verdicts[spec.type].reason)
        for spec in ACTIONS.values()
        if spec.type in verdicts
    ]


# ---------------------------------------------------------------------------------------------
# Forms with their choices and initial values


def officers_for(step: Step | None) -> QuerySet[User]:
    """Staff who may take ``step``: its role or a leader, at its agency (as services._move_to checks)."""
    if step is None:
        return User.objects.none()
    return (
        User.objects.filter(
            kind=AccountKind.STAFF,
            is_active=True,
            memberships__agency_id=step.agency_id,
            memberships__role__in=[step.role, Role.LEADER],
        )
        .distinct()
        .order_by("full_name", "username")
    )


def build_form(
    spec: ActionSpec, facts: rules.Facts, data=None, files=None, *, revision: int | None = None
) -> django_forms.Form:
    d = facts.dossier
    kwargs: dict[str, Any] = {"auto_id": f"{spec.slug}-%s"}
    initial: dict[str, Any] = {"revision": d.revision if revision is None else revision}
    if spec.form_class in (forms.ForwardForm, forms.ApproveForm):
        kwargs["officers"] = officers_for(facts.next_step)
    elif spec.form_class is forms.ConsultForm:
        kwargs["agencies"] = Agency.objects.active().exclude(pk=d.holder_agency_id).order_by("name")
    elif spec.form_class is forms.ReplyConsultationForm:
        kwargs["steps"] = facts.open_consultations
    elif spec.form_class in (forms.RequestPaymentForm, forms.RecordPaymentForm):
        initial["amount"] = d.fee_due or None
    elif spec.form_class is forms.ReturnResultForm:
        kwargs.update(by_post=d.by_post, address=d.delivery_address)
    elif spec.form_class is forms.ApologizeForm:
        soon = timezone.localtime() + datetime.timedelta(days=3)
        initial["new_due_at"] = soon.replace(hour=16, minute=0, second=0, microsecond=0)
    if data is not None:
        return spec.form_class(data, files, **kwargs)
    return spec.form_class(initial=initial, **kwargs)


def perform(spec: ActionSpec, dossier: Dossier, user: User, form: django_forms.Form) -> Any:
    """Call the action's service with the revision the page was built from."""
    return spec.perform(dossier, user, form.cleaned_data, form.cleaned_data["revision"])
