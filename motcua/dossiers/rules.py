"""Who may do what to a dossier, and in which status: the one table every face asks.

``TRANSITIONS`` gives, for each action (Decree 61/2018, Decree 118/2025), the statuses it starts
from, the statuses it may leave the dossier in, who may take it (a ``rules`` predicate over the
person and the dossier's ``Facts``) and what the dossier must be like (``Condition``). The services
evaluate it under the row lock (``check``); the staff pages, the portal, the API and the admin ask
``offer`` for what to show, so a page offers exactly what the service accepts. Each entry is also a
Django permission, ``dossiers.<action>``: ``user.has_perm("dossiers.receive", dossier)``.

The internal process (quy trình nội bộ) of a dossier is its list of steps. The first step, at the
one-stop unit, is done at reception. A last step of the one-stop unit is the return step (trả kết
quả): the dossier reaches it with its result, ready (status 9). The steps between are processing:
specialists appraise and prepare the result, leaders approve it; the approval at the last
processing step makes the dossier ready.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import rules
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.constants import AccountKind, ClientScope, Role
from motcua.accounts.models import Membership, User
from motcua.accounts.rules import client_has_scope, client_sees_agency, is_usable_client
from motcua.catalog.models import RequiredDocument
from motcua.core import clock
from motcua.dossiers import documents
from motcua.dossiers.constants import ActionType, AttachmentKind, Operation, SignatureState, Status, StepKind
from motcua.dossiers.errors import NotAllowed, WrongState
from motcua.dossiers.models import Dossier, Step

Act = ActionType | Operation

# ---------------------------------------------------------------------------------------------
# What the rules read


class Facts:
    """What the rules need to know about ``dossier`` and the person asking, each read once when
    first needed. Build it on the locked row inside a service; build a new one after a change."""

    def __init__(self, dossier: Dossier, user: User | None, *, now=None):
        self.dossier = dossier
        self.user = user
        self.now = now or clock.now()

    @property
    def status(self) -> int:
        return self.dossier.status

    @cached_property
    def roles(self) -> dict[int, frozenset[str]]:
        """The person's roles by agency id (staff only)."""
        user = self.user
        if user is None or not user.is_authenticated or user.kind != AccountKind.STAFF:
            return {}
        found: dict[int, set[str]] = {}
        for agency_id, role in Membership.objects.filter(user=user).values_list("agency_id", "role"):
            found.setdefault(agency_id, set()).add(role)
        return {agency_id: frozenset(roles) for agency_id, roles in found.items()}

    def roles_at(self, agency_id: int | None) -> frozenset[str]:
        return self.roles.get(agency_id, frozenset()) if agency_id is not None else frozenset()

    @cached_property
    def steps(self) -> list[Step]:
        if self.dossier.pk is None:
            return []
        return list(self.dossier.steps.select_related("agency").order_by("order", "id"))

    @cached_property
    def process_steps(self) -> list[Step]:
        return [s for s in self.steps if s.kind == StepKind.PROCESS]

    @cached_property
    def current(self) -> Step | None:
        return next((s for s in self.steps if s.pk == self.dossier.current_step_id), None)

    @cached_property
    def return_step(self) -> Step | None:
        """The last step when it belongs to the one-stop unit and is not also the first."""
        steps = self.process_steps
        if len(steps) > 1 and steps[-1].role == Role.RECEPTION:
            return steps[-1]
        return None

    @cached_property
    def next_step(self) -> Step | None:
        """The processing step after the current one (never the return step)."""
        current = self.current
        following = [
            s
            for s in self.process_steps
            if (current is None or s.order > current.order) and s is not self.return_step
        ]
        if current is None and self.dossier.received_at is None:
            return None
        return following[0] if following else None

    @cached_property
    def previous_step(self) -> Step | None:
        """The processing step before the current one, to send the dossier back to."""
        current = self.current
        if current is None:
            return None
        earlier = [s for s in self.process_steps if s.order < current.order and s.role != Role.RECEPTION]
        return earlier[-1] if earlier else None

    @cached_property
    def has_leader_step(self) -> bool:
        return any(s.role == Role.LEADER for s in self.process_steps)

    @cached_property
    def has_result(self) -> bool:
        if self.dossier.pk is None:
            return False
        return self.dossier.attachments.filter(kind=AttachmentKind.RESULT, superseded=False).exists()

    @cached_property
    def result_signed(self) -> bool:
        """Every current result carries a completed digital signature."""
        if self.dossier.pk is None:
            return False
        results = self.dossier.attachments.filter(kind=AttachmentKind.RESULT, superseded=False)
        return results.exists() and not results.exclude(signature_state=SignatureState.SIGNED).exists()

    @cached_property
    def approved(self) -> bool:
        """A leader approved, and nobody sent the dossier back since."""
        last = (
            self.dossier.actions.filter(type__in=[ActionType.APPROVE, ActionType.SEND_BACK])
            .order_by("-at", "-id")
            .values_list("type", flat=True)
            .first()
        )
        return last == ActionType.APPROVE

    @cached_property
    def missing_documents(self) -> list[RequiredDocument]:
        dossier = self.dossier
        have = set(
            dossier.attachments.filter(superseded=False, document__isnull=False).values_list(
                "document_id", flat=True
            )
        )
        return [d for d in dossier.procedure_version.documents.all() if d.required and d.pk not in have]

    @cached_property
    def open_consultations(self) -> list[Step]:
        """Consultations of this dossier awaiting an answer from one of the person's agencies."""
        return [
            s
            for s in self.steps
            if s.kind == StepKind.CONSULTATION
            and s.completed_at is None
            and self.roles_at(s.agency_id) & {Role.SPECIALIST, Role.LEADER}
        ]

    @property
    def assurance_needed(self) -> int:
        return self.dossier.procedure_version.min_assurance_level

    @property
    def applicant_assurance(self) -> int:
        """The level of assurance the applicant's account was verified at (0: never verified)."""
        applicant = self.dossier.applicant
        return applicant.identity_assurance if applicant is not None and applicant.identity_number else 0

    @property
    def overdue(self) -> bool:
        return self.dossier.is_overdue(self.now)


def facts_of(obj: "Dossier | Facts", user: User | None) -> Facts:
    return obj if isinstance(obj, Facts) else Facts(obj, user)


# ---------------------------------------------------------------------------------------------
# Who: predicates over (user, Facts)


@rules.predicate
def is_applicant(user: User, facts: Facts) -> bool:
    return bool(user and user.is_authenticated and facts.dossier.applicant_id == user.pk)


@rules.predicate
def is_reception(user: User, facts: Facts) -> bool:
    """A one-stop officer of the unit that receives the dossier."""
    return Role.RECEPTION in facts.roles_at(facts.dossier.receiving_agency_id)


@rules.predicate
def acts_for_walk_in(user: User, facts: Facts) -> bool:
    """A dossier brought to the counter has no account behind it: the one-stop officer acts for
    the applicant."""
    return facts.dossier.applicant_id is None and is_reception(user, facts)


@rules.predicate
def is_step_officer(user: User, facts: Facts) -> bool:
    """Holds the current step's role, or is a leader, in the agency that holds the dossier."""
    step = facts.current
    wanted = {Role.LEADER, step.role} if step else {Role.LEADER, Role.SPECIALIST, Role.RECEPTION}
    return bool(facts.roles_at(facts.dossier.holder_agency_id) & wanted)


@rules.predicate
def is_holder_leader(user: User, facts: Facts) -> bool:
    return Role.LEADER in facts.roles_at(facts.dossier.holder_agency_id)


@rules.predicate
def is_leader_here(user: User, facts: Facts) -> bool:
    """A leader of the receiving unit or of the unit that holds the dossier."""
    dossier = facts.dossier
    return Role.LEADER in (
        facts.roles_at(dossier.receiving_agency_id) | facts.roles_at(dossier.holder_agency_id)
    )


@rules.predicate
def works_at_holder(user: User, facts: Facts) -> bool:
    return bool(
        facts.roles_at(facts.dossier.holder_agency_id) & {Role.LEADER, Role.SPECIALIST, Role.RECEPTION}
    )


@rules.predicate
def is_consulted(user: User, facts: Facts) -> bool:
    return bool(facts.open_consultations)


@rules.predicate
def is_system(user: User | None, facts: Facts) -> bool:
    """The system itself acting, not a person: a payment gateway's confirmation (motcua.payments)
    records the payment. Only services pass None; the faces always pass the request's user (an
    anonymous visitor is an AnonymousUser, never None)."""
    return user is None


@rules.predicate
def is_verified_owner(user: User, facts: Facts) -> bool:
    """The person whose identity number a provider verified, on a dossier submitted under that
    number by an account that is not theirs (accounts.services.sign_in_with_identity: a number typed
    at a password registration is a claim; its verified owner may take the dossiers)."""
    if not (user and user.is_authenticated and user.kind != AccountKind.STAFF and user.identity_verified):
        return False
    dossier = facts.dossier
    if dossier.applicant_identity != user.identity_number or dossier.applicant_id == user.pk:
        return False
    applicant = dossier.applicant
    return applicant is None or not applicant.identity_verified


@rules.predicate
def before_reception(user: User, facts: Facts) -> bool:
    return facts.status == Status.SUBMITTED


# ---------------------------------------------------------------------------------------------
# API clients (motcua.accounts.clients): which dossiers a client sees, and what it may do to them.
# selectors.visible_to_client is the same rule as a query, for lists.


@rules.predicate
def client_sees_dossier(client, dossier: "Dossier | Facts") -> bool:
    """The dossier is received, held or decided by one of the client's agencies (or the client is
    province-wide); never a draft."""
    dossier = dossier.dossier if isinstance(dossier, Facts) else dossier
    if dossier.status == Status.DRAFT:
        return False
    return any(
        client_sees_agency(client, agency_id)
        for agency_id in (dossier.receiving_agency_id, dossier.holder_agency_id, dossier.deciding_agency_id)
        if agency_id is not None
    )


client_reads_dossier = is_usable_client & client_has_scope(ClientScope.DOSSIERS_READ) & client_sees_dossier
client_acts_on_dossier = is_usable_client & client_has_scope(ClientScope.DOSSIERS_ACT) & client_sees_dossier
rules.add_rule("client.read_dossier", client_reads_dossier)
rules.add_rule("client.act_on_dossier", client_acts_on_dossier)


def client_allowed(client, dossier: Dossier) -> list[Act]:
    """The actions an API client may take on ``dossier``: its responsible officer's (``acting_user``),
    when the client has dossiers.act and sees the dossier; none otherwise."""
    if client.acting_user is None or not client_acts_on_dossier.test(client, dossier):
        return []
    return allowed(client.acting_user, dossier)


# ---------------------------------------------------------------------------------------------
# What the dossier must be like


@dataclass(frozen=True)
class Condition:
    """A state the action needs. When it fails, ``message`` says why; a ``quiet`` condition hides
    the action instead (it would only be noise), a loud one shows it disabled with the message."""

    test: Callable[[Facts], bool]
    message: str | Promise | Callable[[Facts], str]
    quiet: bool = False

    def explain(self, facts: Facts) -> str:
        return self.message(facts) if callable(self.message) else str(self.message)


NOT_YET_RECEIVED = Condition(
    lambda f: f.dossier.received_at is None,
    gettext_lazy("Hồ sơ đã được tiếp nhận; hãy dừng xử lý thay vì từ chối."),
    quiet=True,
)
RECEIVED = Condition(
    lambda f: f.dossier.received_at is not None,
    gettext_lazy("Hồ sơ chưa được tiếp nhận; hãy từ chối tiếp nhận."),
    quiet=True,
)
COMPLETE = Condition(
    lambda f: not f.missing_documents,
    gettext_lazy("Hồ sơ còn thiếu giấy tờ; hãy yêu cầu bổ sung."),
)
HAS_NEXT_STEP = Condition(
    lambda f: f.next_step is not None,
    gettext_lazy("Đây là bước xử lý cuối cùng."),
    quiet=True,
)
LAST_STEP = Condition(
    lambda f: f.next_step is None,
    gettext_lazy("Còn bước xử lý tiếp theo; hãy chuyển bước."),
    quiet=True,
)
HAS_PREVIOUS_STEP = Condition(
    lambda f: f.previous_step is not None,
    gettext_lazy("Không có bước trước để trả lại."),
    quiet=True,
)
AT_LEADER_STEP = Condition(
    lambda f: f.current is not None and f.current.role == Role.LEADER,
    gettext_lazy("Bước hiện tại không phải bước phê duyệt."),
    quiet=True,
)
NOT_AT_LEADER_STEP = Condition(
    lambda f: f.current is None or f.current.role != Role.LEADER,
    gettext_lazy("Ở bước phê duyệt, lãnh đạo phê duyệt để hoàn thành xử lý."),
    quiet=True,
)
RESULT_IF_LAST = Condition(
    lambda f: f.next_step is not None or f.has_result,
    gettext_lazy("Chưa có văn bản kết quả; hãy đính kèm kết quả trước khi phê duyệt."),
)
HAS_RESULT = Condition(
    lambda f: f.has_result,
    gettext_lazy("Chưa có văn bản kết quả; hãy đính kèm kết quả."),
)
APPROVED = Condition(
    lambda f: f.approved or not f.has_leader_step,
    gettext_lazy("Lãnh đạo chưa phê duyệt."),
)
NO_RESULT = Condition(
    lambda f: not f.has_result,
    gettext_lazy("Đã có kết quả giải quyết, không thể dừng xử lý."),
)
# Only where signing is configured (motcua.dossiers.documents.require_signed_results).
RESULT_SIGNED = Condition(
    lambda f: not documents.signed_results_required() or f.result_signed,
    gettext_lazy("Kết quả chưa được ký số."),
)
ASSURED = Condition(
    lambda f: f.applicant_assurance >= f.assurance_needed,
    lambda f: (
        _(
            "Thủ tục này yêu cầu tài khoản định danh điện tử mức %(level)s để nộp trực tuyến; hãy đăng nhập "
            "bằng tài khoản định danh điện tử (VNeID) mức %(level)s."
        )
        % {"level": f.assurance_needed}
    ),
)
OVERDUE = Condition(lambda f: f.overdue, gettext_lazy("Hồ sơ chưa quá hạn."), quiet=True)
NOT_APOLOGIZED = Condition(
    lambda f: not f.dossier.apologized,
    gettext_lazy("Đã gửi thư xin lỗi và hẹn lại một lần cho hồ sơ này."),
)


# ---------------------------------------------------------------------------------------------
# The table

PROCESSING = frozenset({Status.RECEIVED, Status.PROCESSING})
RUNNING = frozenset({Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.PAYMENT})


@dataclass(frozen=True)
class Transition:
    action: Act
    sources: frozenset[int]
    # The statuses the action may leave the dossier in; empty: the status does not change.
    targets: frozenset[int]
    who: rules.Predicate
    conditions: tuple[Condition, ...] = field(default=())


def _t(action: Act, sources, targets, who, *conditions: Condition) -> Transition:
    return Transition(action, frozenset(sources), frozenset(targets), who, tuple(conditions))


TRANSITIONS: dict[Act, Transition] = {
    t.action: t
    for t in [
        # The applicant
        _t(Operation.EDIT, [Status.DRAFT, Status.SUPPLEMENT], [], is_applicant),
        _t(Operation.DELETE_DRAFT, [Status.DRAFT], [], is_applicant),
        _t(ActionType.SUBMIT, [Status.DRAFT], [Status.SUBMITTED], is_applicant, ASSURED),
        _t(Operation.CLAIM, set(Status) - {Status.DRAFT}, [], is_verified_owner),
        _t(
            ActionType.SUPPLEMENT,
            [Status.SUPPLEMENT],
            [Status.SUBMITTED, Status.PROCESSING],
            is_applicant | acts_for_walk_in,
        ),
        _t(
            ActionType.WITHDRAW,
            [Status.SUBMITTED, *RUNNING],
            [Status.WITHDRAWN],
            is_applicant | acts_for_walk_in,
        ),
        # The one-stop unit
        _t(Operation.ADD_SCAN, [Status.SUBMITTED, Status.SUPPLEMENT], [], is_reception),
        _t(
            ActionType.RECEIVE,
            [Status.SUBMITTED],
            [Status.RECEIVED, Status.PROCESSING],
            is_reception,
            COMPLETE,
        ),
        _t(
            ActionType.REQUEST_SUPPLEMENT,
            [Status.SUBMITTED, *PROCESSING],
            [Status.SUPPLEMENT],
            (before_reception & is_reception) | (~before_reception & is_step_officer),
        ),
        _t(
            ActionType.REFUSE,
            [Status.SUBMITTED, Status.SUPPLEMENT],
            [Status.REFUSED],
            is_reception,
            NOT_YET_RECEIVED,
        ),
        _t(ActionType.RETURN_RESULT, [Status.READY], [Status.RETURNED], is_reception, RESULT_SIGNED),
        # Processing
        _t(ActionType.FORWARD, PROCESSING, [Status.PROCESSING], is_step_officer, HAS_NEXT_STEP),
        _t(ActionType.SEND_BACK, PROCESSING, [Status.PROCESSING], is_step_officer, HAS_PREVIOUS_STEP),
        _t(ActionType.CONSULT, PROCESSING, [Status.PROCESSING], is_step_officer),
        _t(ActionType.REPLY_CONSULTATION, RUNNING, [], is_consulted),
        _t(ActionType.REQUEST_PAYMENT, PROCESSING, [Status.PAYMENT], is_step_officer),
        _t(
            ActionType.RECORD_PAYMENT,
            [Status.PAYMENT],
            [Status.PROCESSING],
            is_reception | is_step_officer | is_system,
        ),
        _t(ActionType.ATTACH_RESULT, PROCESSING, [], is_step_officer),
        _t(
            ActionType.APPROVE,
            PROCESSING,
            [Status.PROCESSING, Status.READY],
            is_holder_leader,
            AT_LEADER_STEP,
            RESULT_IF_LAST,
        ),
        _t(
            ActionType.MARK_READY,
            PROCESSING,
            [Status.READY],
            is_step_officer,
            LAST_STEP,
            NOT_AT_LEADER_STEP,
            HAS_RESULT,
            APPROVED,
        ),
        _t(ActionType.STOP, RUNNING, [Status.STOPPED], is_leader_here, RECEIVED, NO_RESULT),
        _t(ActionType.APOLOGIZE, [*PROCESSING, Status.PAYMENT], [], works_at_holder, OVERDUE, NOT_APOLOGIZED),
    ]
}


# ---------------------------------------------------------------------------------------------
# Asking


@dataclass(frozen=True)
class Verdict:
    """May ``user`` take ``action`` now? ``reason`` says why not when they could act on this
    dossier but it is not ready for it (the page shows the action disabled with the reason)."""

    action: Act
    allowed: bool
    reason: str = ""

    @property
    def shown(self) -> bool:
        return self.allowed or bool(self.reason)


def _status_message(action: Act, status: int) -> str:
    return _("Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(status)s”.") % {
        "action": action.label,
        "status": Status(status).label,
    }


def _not_allowed() -> NotAllowed:
    return NotAllowed(_("Ông/bà không có quyền thực hiện việc này đối với hồ sơ này."))


def judge(action: Act, user: User | None, facts: Facts) -> Verdict:
    """The verdict on one action, without raising."""
    transition = TRANSITIONS[action]
    if facts.status not in transition.sources or not transition.who.test(user, facts):
        return Verdict(action, False)
    for condition in transition.conditions:
        if not condition.test(facts):
            return Verdict(action, False, "" if condition.quiet else condition.explain(facts))
    return Verdict(action, True)


def check(action: Act, user: User | None, facts: Facts) -> Transition:
    """Raise NotAllowed (403) if ``user`` may not take ``action`` on this dossier at all, WrongState
    (409) if the dossier's status or state does not allow it now; the transition otherwise."""
    transition = TRANSITIONS[action]
    if not transition.who.test(user, facts):
        raise _not_allowed()
    if facts.status not in transition.sources:
        raise WrongState(_status_message(action, facts.status))
    for condition in transition.conditions:
        if not condition.test(facts):
            raise WrongState(condition.explain(facts))
    return transition


def check_conditions(action: Act, facts: Facts) -> None:
    """WrongState if the dossier does not meet ``action``'s conditions (for a service that creates and
    acts at once, where there is no row to lock yet)."""
    for condition in TRANSITIONS[action].conditions:
        if not condition.test(facts):
            raise WrongState(condition.explain(facts))


def offer(user: User | None, dossier: Dossier | Facts, actions=None) -> dict[Act, Verdict]:
    """What ``user`` is offered on ``dossier``: every action they may take now, and those they
    could take but the dossier is not ready for (with the reason). Others are left out."""
    facts = facts_of(dossier, user)
    verdicts = (judge(action, user, facts) for action in (actions or TRANSITIONS))
    return {v.action: v for v in verdicts if v.shown}


def allowed(user: User | None, dossier: Dossier | Facts) -> list[Act]:
    """The actions ``user`` may take on ``dossier`` now."""
    return [action for action, verdict in offer(user, dossier).items() if verdict.allowed]


def may(user: User | None, action: Act, dossier: Dossier | Facts) -> bool:
    return judge(action, user, facts_of(dossier, user)).allowed


def _permission(action: Act) -> rules.Predicate:
    def test(user: User, obj: Dossier | Facts | None) -> bool:
        return obj is not None and may(user, action, obj)

    return rules.predicate(test, name=f"dossiers.{action.value}")


# Every entry is a Django permission too: user.has_perm("dossiers.<action>", dossier).
for _action in TRANSITIONS:
    rules.add_perm(f"dossiers.{_action.value}", _permission(_action))
