"""The actions an officer can take on a dossier page: one form each, posted to its own URL, calling
one service of motcua.dossiers.services.

Which forms a page shows is a convenience for the officer (the status, and the roles they hold
where the dossier is); the services check everything again under the row lock.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms as django_forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.constants import AccountKind, Role
from motcua.accounts.models import Membership, User
from motcua.agencies.models import Agency
from motcua.backoffice import forms
from motcua.dossiers import services
from motcua.dossiers.constants import ActionType, AttachmentKind, Status, StepKind
from motcua.dossiers.errors import Conflict, InvalidInput
from motcua.dossiers.models import Dossier, Step

PROCESSING = (Status.RECEIVED, Status.PROCESSING)


@dataclass
class Situation:
    """What the page needs to know to offer the forms that make sense now."""

    dossier: Dossier
    user: User
    holder_roles: set[str]
    receiving_roles: set[str]
    step: Step | None
    next_step: Step | None
    has_previous: bool
    has_result: bool
    open_consultations: list[Step] = field(default_factory=list)

    @property
    def status(self) -> int:
        return self.dossier.status

    @property
    def step_officer(self) -> bool:
        """Mirrors services._require_step_officer: the step's role, or a leader, where the dossier is."""
        roles = {Role.LEADER, self.step.role} if self.step else {Role.LEADER, Role.SPECIALIST, Role.RECEPTION}
        return bool(self.holder_roles & set(roles))

    @property
    def reception(self) -> bool:
        return Role.RECEPTION in self.receiving_roles


def situation(dossier: Dossier, user: User) -> Situation:
    memberships = list(
        Membership.objects.filter(user=user).values_list("agency_id", "role")
        if user.kind == AccountKind.STAFF
        else []
    )
    roles_at = {}
    for agency_id, role in memberships:
        roles_at.setdefault(agency_id, set()).add(role)
    steps = list(dossier.steps.select_related("agency").order_by("order", "id"))
    process = [s for s in steps if s.kind == StepKind.PROCESS]
    current = next((s for s in process if s.pk == dossier.current_step_id), None)
    following = [s for s in process if current is None or s.order > current.order]
    previous = [
        s for s in process if current is not None and s.order < current.order and s.role != Role.RECEPTION
    ]
    consultations = [
        s
        for s in steps
        if s.kind == StepKind.CONSULTATION
        and s.completed_at is None
        and roles_at.get(s.agency_id, set()) & {Role.SPECIALIST, Role.LEADER}
    ]
    return Situation(
        dossier=dossier,
        user=user,
        holder_roles=roles_at.get(dossier.holder_agency_id, set()),
        receiving_roles=roles_at.get(dossier.receiving_agency_id, set()),
        step=current,
        next_step=following[0] if following and dossier.received_at else None,
        has_previous=bool(previous),
        has_result=dossier.attachments.filter(kind=AttachmentKind.RESULT, superseded=False).exists(),
        open_consultations=consultations,
    )


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
    step = d.steps.filter(pk=data["step"], kind=StepKind.CONSULTATION).first()
    if step is None:
        raise InvalidInput(_("Không tìm thấy yêu cầu xin ý kiến."), errors={"step": [_("Không hợp lệ.")]})
    return services.reply_consultation(step, actor=user, answer=data["answer"], expected_revision=revision)


def _request_payment(d, user, data, revision):
    return services.request_payment(
        d, actor=user, amount=data["amount"], note=data["note"], expected_revision=revision
    )


def _record_payment(d, user, data, revision):
    return services.record_payment(
        d,
        actor=user,
        amount=data["amount"],
        method=data["method"],
        reference=data["reference"],
        expected_revision=revision,
    )


def _approve(d, user, data, revision):
    return services.approve(d, actor=user, note=data["note"], expected_revision=revision)


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
    return services.return_result(d, actor=user, note=data["note"], expected_revision=revision)


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
    available: Callable[[Situation], bool]
    # Whether the service checks the revision under its row lock (expected_revision=...).
    takes_revision: bool = True
    multipart: bool = False
    # Less frequent actions are grouped under "Thao tác khác".
    secondary: bool = False


def _is_overdue(s: Situation) -> bool:
    return s.dossier.is_overdue(timezone.now())


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
            lambda s: s.status == Status.SUBMITTED and s.reception,
        ),
        ActionSpec(
            "yeu-cau-bo-sung",
            ActionType.REQUEST_SUPPLEMENT,
            gettext_lazy("Yêu cầu bổ sung hồ sơ"),
            gettext_lazy("Gửi yêu cầu bổ sung"),
            forms.RequestSupplementForm,
            _request_supplement,
            lambda s: (
                (s.status == Status.SUBMITTED and s.reception) or (s.status in PROCESSING and s.step_officer)
            ),
        ),
        ActionSpec(
            "tu-choi",
            ActionType.REFUSE,
            gettext_lazy("Từ chối tiếp nhận"),
            gettext_lazy("Từ chối tiếp nhận"),
            forms.ReasonsForm,
            _refuse,
            lambda s: (
                s.reception
                and (
                    s.status == Status.SUBMITTED
                    or (s.status == Status.SUPPLEMENT and s.dossier.received_at is None)
                )
            ),
        ),
        ActionSpec(
            "chuyen-buoc",
            ActionType.FORWARD,
            gettext_lazy("Chuyển bước tiếp theo"),
            gettext_lazy("Chuyển xử lý"),
            forms.ForwardForm,
            _forward,
            lambda s: s.status in PROCESSING and s.step_officer and s.next_step is not None,
        ),
        ActionSpec(
            "phe-duyet",
            ActionType.APPROVE,
            gettext_lazy("Phê duyệt"),
            gettext_lazy("Phê duyệt"),
            forms.NoteForm,
            _approve,
            lambda s: s.status in PROCESSING and s.step_officer and Role.LEADER in s.holder_roles,
        ),
        ActionSpec(
            "dinh-kem-ket-qua",
            ActionType.ATTACH_RESULT,
            gettext_lazy("Kết quả giải quyết"),
            gettext_lazy("Tải lên tệp kết quả"),
            forms.AttachResultForm,
            _attach_result,
            lambda s: s.status in PROCESSING and s.step_officer,
            multipart=True,
        ),
        ActionSpec(
            "hoan-thanh",
            ActionType.MARK_READY,
            gettext_lazy("Hoàn thành xử lý"),
            gettext_lazy("Hoàn thành, chuyển trả kết quả"),
            forms.NoteForm,
            _mark_ready,
            lambda s: s.status == Status.PROCESSING and s.step_officer and s.has_result,
        ),
        ActionSpec(
            "ghi-nhan-nop-phi",
            ActionType.RECORD_PAYMENT,
            gettext_lazy("Ghi nhận đã nộp phí, lệ phí"),
            gettext_lazy("Ghi nhận thanh toán"),
            forms.RecordPaymentForm,
            _record_payment,
            lambda s: s.status == Status.PAYMENT and (s.reception or s.step_officer),
        ),
        ActionSpec(
            "tra-ket-qua",
            ActionType.RETURN_RESULT,
            gettext_lazy("Trả kết quả"),
            gettext_lazy("Đã trả kết quả cho người nộp"),
            forms.NoteForm,
            _return_result,
            lambda s: s.status == Status.READY and s.reception,
        ),
        ActionSpec(
            "tra-loi-y-kien",
            ActionType.REPLY_CONSULTATION,
            gettext_lazy("Trả lời xin ý kiến"),
            gettext_lazy("Gửi ý kiến"),
            forms.ReplyConsultationForm,
            _reply_consultation,
            lambda s: bool(s.open_consultations),
        ),
        ActionSpec(
            "tra-lai-buoc-truoc",
            ActionType.SEND_BACK,
            gettext_lazy("Trả lại bước trước"),
            gettext_lazy("Trả lại"),
            forms.SendBackForm,
            _send_back,
            lambda s: s.status in PROCESSING and s.step_officer and s.has_previous,
            secondary=True,
        ),
        ActionSpec(
            "xin-y-kien",
            ActionType.CONSULT,
            gettext_lazy("Xin ý kiến đơn vị khác"),
            gettext_lazy("Gửi xin ý kiến"),
            forms.ConsultForm,
            _consult,
            lambda s: s.status in PROCESSING and s.step_officer,
            secondary=True,
        ),
        ActionSpec(
            "yeu-cau-nop-phi",
            ActionType.REQUEST_PAYMENT,
            gettext_lazy("Yêu cầu nộp phí, lệ phí"),
            gettext_lazy("Gửi yêu cầu nộp phí"),
            forms.RequestPaymentForm,
            _request_payment,
            lambda s: s.status in PROCESSING and s.step_officer,
            secondary=True,
        ),
        ActionSpec(
            "xin-loi",
            ActionType.APOLOGIZE,
            gettext_lazy("Xin lỗi và hẹn lại ngày trả"),
            gettext_lazy("Gửi thư xin lỗi (mẫu 04)"),
            forms.ApologizeForm,
            _apologize,
            lambda s: (
                s.status in (*PROCESSING, Status.PAYMENT)
                and not s.dossier.apologized
                and _is_overdue(s)
                and bool(s.holder_roles & {Role.LEADER, Role.SPECIALIST, Role.RECEPTION})
            ),
            secondary=True,
        ),
        ActionSpec(
            "dung-xu-ly",
            ActionType.STOP,
            gettext_lazy("Dừng xử lý hồ sơ"),
            gettext_lazy("Dừng xử lý (mẫu 05)"),
            forms.ReasonsForm,
            _stop,
            lambda s: (
                s.status in (*PROCESSING, Status.SUPPLEMENT, Status.PAYMENT)
                and s.dossier.received_at is not None
                and not s.has_result
                and Role.LEADER in (s.holder_roles | s.receiving_roles)
            ),
            secondary=True,
        ),
    ]
}


def available(s: Situation) -> list[ActionSpec]:
    return [spec for spec in ACTIONS.values() if spec.available(s)]


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
    spec: ActionSpec, s: Situation, data=None, files=None, *, revision: int | None = None
) -> django_forms.Form:
    d = s.dossier
    kwargs: dict[str, Any] = {"auto_id": f"{spec.slug}-%s"}
    initial: dict[str, Any] = {"revision": d.revision if revision is None else revision}
    if spec.form_class is forms.ForwardForm:
        kwargs["officers"] = officers_for(s.next_step)
    elif spec.form_class is forms.ConsultForm:
        kwargs["agencies"] = Agency.objects.active().exclude(pk=d.holder_agency_id).order_by("name")
    elif spec.form_class is forms.ReplyConsultationForm:
        kwargs["steps"] = s.open_consultations
    elif spec.form_class in (forms.RequestPaymentForm, forms.RecordPaymentForm):
        initial["amount"] = d.fee_due
    elif spec.form_class is forms.ApologizeForm:
        soon = timezone.localtime() + datetime.timedelta(days=3)
        initial["new_due_at"] = soon.replace(hour=16, minute=0, second=0, microsecond=0)
    if data is not None:
        return spec.form_class(data, files, **kwargs)
    return spec.form_class(initial=initial, **kwargs)


def perform(spec: ActionSpec, dossier: Dossier, user: User, form: django_forms.Form) -> Any:
    revision = form.cleaned_data["revision"]
    if not spec.takes_revision and revision != dossier.revision:
        # The service takes no expected_revision: at least refuse a page that is visibly stale.
        raise Conflict(
            _(
                "Hồ sơ vừa được người khác xử lý; vui lòng tải lại trang "
                "(Someone else has just acted on this dossier; reload and try again)."
            )
        )
    return spec.perform(dossier, user, form.cleaned_data, revision if spec.takes_revision else None)
