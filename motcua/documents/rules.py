"""Who may do what to an official document, and in which status: the one table every face asks.

Outgoing (Decree 30/2020 Art. 10–16): a specialist or the clerk (văn thư) drafts; one or more
officers the drafter names review; a leader signs; the clerk issues it (the number is given then)
and sends it, electronically or on paper. Incoming (Art. 20–24): received (from the exchange, or
from paper by the clerk), entered in the incoming register by the clerk, assigned by a leader to a
department and officer with a deadline, processed and answered by that officer, closed.

The services check the table under the row lock (``check``); the staff pages and the API ask
``offer``/``allowed`` for what to show. Each entry is also a Django permission
``documents.<action>``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import rules
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.constants import AccountKind, Role
from motcua.accounts.models import Membership, User
from motcua.core import clock
from motcua.documents import signatures
from motcua.documents.constants import (
    ActionType,
    AmendmentState,
    Channel,
    Direction,
    ReviewDecision,
    Status,
)
from motcua.documents.models import Amendment, OfficialDocument, Register
from motcua.dossiers.errors import NotAllowed, WrongState
from motcua.signing import selectors as signing_selectors


class Facts:
    """What the rules need about ``document`` and the person asking, each read once."""

    def __init__(self, document: OfficialDocument, user: User | None, *, now=None):
        self.document = document
        self.user = user
        self.now = now or clock.now()

    @property
    def status(self) -> str:
        return self.document.status

    @cached_property
    def roles(self) -> dict[int, frozenset[str]]:
        user = self.user
        if user is None or not user.is_authenticated or user.kind != AccountKind.STAFF:
            return {}
        found: dict[int, set[str]] = {}
        for agency_id, role in Membership.objects.filter(user=user).values_list("agency_id", "role"):
            found.setdefault(agency_id, set()).add(role)
        return {agency_id: frozenset(roles) for agency_id, roles in found.items()}

    @property
    def here(self) -> frozenset[str]:
        """The person's roles at the document's agency."""
        return self.roles.get(self.document.agency_id, frozenset())

    @cached_property
    def pending_review(self) -> bool:
        user = self.user
        if self.document.pk is None or user is None or not user.is_authenticated:
            return False
        return self.document.reviews.filter(reviewer=user, decision=ReviewDecision.PENDING).exists()

    @cached_property
    def register(self) -> Register | None:
        """The register that numbers the document when it is issued (outgoing) or registered (incoming)."""
        from motcua.documents.selectors import register_for

        return register_for(self.document.agency_id, self.document.direction, self.now)

    @cached_property
    def leader_may_sign(self) -> bool:
        """With signing configured, the leader holds a usable certificate."""
        if not signatures.enabled():
            return True
        user = self.user
        return (
            user is not None
            and user.is_authenticated
            and signing_selectors.usable_certificate(user=user, now=self.now) is not None
        )

    @cached_property
    def agency_certificate(self):
        return signing_selectors.usable_certificate(agency=self.document.agency, now=self.now)

    @cached_property
    def agency_may_seal(self) -> bool:
        """A document the leader signed digitally is issued with the agency's signature."""
        if not self.document.signed_digitally or not signatures.enabled():
            return True
        return self.agency_certificate is not None

    @cached_property
    def agency_seals_here(self) -> bool:
        """The agency's seal is applied by the clerk at issue, with nobody to confirm on a phone: its
        key must be kept in the system (docs/decisions/0015-remote-signing-of-documents.md)."""
        if not self.document.signed_digitally or not signatures.enabled() or self.agency_certificate is None:
            return True
        return not signatures.is_remote(self.agency_certificate)

    @cached_property
    def has_recipients(self) -> bool:
        return self.document.pk is not None and self.document.recipients.exists()

    @cached_property
    def has_electronic_recipients(self) -> bool:
        return (
            self.document.pk is not None
            and self.document.recipients.filter(channel=Channel.ELECTRONIC).exists()
        )

    @cached_property
    def replacement_in_progress(self) -> bool:
        """A replacement of this sent document is being drafted (not sent yet)."""
        return (
            self.document.pk is not None
            and self.document.replaced_by.filter(direction=Direction.OUTGOING)
            .exclude(status=Status.SENT)
            .exists()
        )

    @cached_property
    def pending_amendment(self) -> Amendment | None:
        """The sender's latest update or replacement of this incoming document still to be decided."""
        if self.document.pk is None:
            return None
        return self.document.amendments.filter(state=AmendmentState.PENDING).order_by("-id").first()


def facts_of(obj: "OfficialDocument | Facts", user: User | None) -> Facts:
    return obj if isinstance(obj, Facts) else Facts(obj, user)


# -- who


@rules.predicate
def is_drafter(user: User, facts: Facts) -> bool:
    """A specialist, the clerk or a leader of the issuing agency."""
    return bool(facts.here & {Role.SPECIALIST, Role.CLERK, Role.LEADER})


@rules.predicate
def is_reviewer(user: User, facts: Facts) -> bool:
    """Asked for an opinion on this draft and has not given it yet."""
    return facts.pending_review


@rules.predicate
def is_leader(user: User, facts: Facts) -> bool:
    return Role.LEADER in facts.here


@rules.predicate
def is_clerk(user: User, facts: Facts) -> bool:
    return Role.CLERK in facts.here


@rules.predicate
def is_handler(user: User, facts: Facts) -> bool:
    """The officer the document is assigned to."""
    return bool(user and user.is_authenticated and facts.document.handler_id == user.pk)


@rules.predicate
def is_system(user: User | None, facts: Facts) -> bool:
    """The system itself (motcua.exchange acting on a message from the sender); only services pass None."""
    return user is None


@rules.predicate
def is_outgoing(user: User, facts: Facts) -> bool:
    return facts.document.direction == Direction.OUTGOING


@rules.predicate
def is_incoming(user: User, facts: Facts) -> bool:
    return facts.document.direction == Direction.INCOMING


@rules.predicate
def works_here(user: User, facts: Facts) -> bool:
    return bool(facts.here & {Role.SPECIALIST, Role.CLERK, Role.LEADER, Role.RECEPTION})


# -- what the document must be like


@dataclass(frozen=True)
class Condition:
    test: Callable[[Facts], bool]
    message: str | Promise
    quiet: bool = False


HAS_REGISTER = Condition(
    lambda f: f.register is not None,
    gettext_lazy("Cơ quan chưa có sổ văn bản; quản trị cần tạo sổ trước khi cấp số."),
)
LEADER_CERTIFICATE = Condition(
    lambda f: f.leader_may_sign,
    gettext_lazy("Ông/bà chưa có chứng thư số còn hiệu lực để ký văn bản."),
)
AGENCY_CERTIFICATE = Condition(
    lambda f: f.agency_may_seal,
    gettext_lazy("Cơ quan chưa có chứng thư số còn hiệu lực để phát hành văn bản điện tử."),
)
AGENCY_KEY_HERE = Condition(
    lambda f: f.agency_seals_here,
    gettext_lazy(
        "Chứng thư số của cơ quan đang do dịch vụ ký số từ xa giữ khóa; phát hành văn bản cần chứng thư "
        "số của cơ quan có khóa lưu tại hệ thống."
    ),
)
HAS_RECIPIENTS = Condition(lambda f: f.has_recipients, gettext_lazy("Văn bản chưa có nơi nhận."))
# Recall, update and replace travel over the exchange: only for documents sent electronically.
SENT_ELECTRONICALLY = Condition(
    lambda f: f.has_electronic_recipients,
    gettext_lazy("Văn bản không gửi qua trục liên thông."),
    quiet=True,
)
NO_REPLACEMENT_IN_PROGRESS = Condition(
    lambda f: not f.replacement_in_progress,
    gettext_lazy("Văn bản thay thế đang được soạn thảo; gửi văn bản đó để thay thế."),
)
AMENDMENT_PENDING = Condition(
    lambda f: f.pending_amendment is not None,
    gettext_lazy("Không có đề nghị cập nhật, thay thế nào chờ quyết định."),
    quiet=True,
)


# -- the table


@dataclass(frozen=True)
class Transition:
    action: ActionType
    sources: frozenset[str]
    targets: frozenset[str]
    who: rules.Predicate
    conditions: tuple[Condition, ...] = field(default=())


def _t(action, sources, targets, who, *conditions: Condition) -> Transition:
    return Transition(action, frozenset(sources), frozenset(targets), who, tuple(conditions))


OPEN = (Status.REGISTERED, Status.ASSIGNED, Status.PROCESSING)
# An incoming document its sender may still recall, update or replace.
CHANGEABLE = (Status.RECEIVED, *OPEN, Status.ANSWERED)

TRANSITIONS: dict[ActionType, Transition] = {
    t.action: t
    for t in [
        # Outgoing
        _t(ActionType.CREATE, [Status.DRAFT], [Status.DRAFT], is_outgoing & is_drafter),
        _t(ActionType.EDIT, [Status.DRAFT], [], is_outgoing & is_drafter),
        _t(ActionType.SUBMIT_REVIEW, [Status.DRAFT], [Status.IN_REVIEW], is_outgoing & is_drafter),
        _t(ActionType.APPROVE_REVIEW, [Status.IN_REVIEW], [Status.IN_REVIEW, Status.APPROVED], is_reviewer),
        _t(
            ActionType.RETURN_DRAFT,
            [Status.IN_REVIEW, Status.APPROVED],
            [Status.DRAFT],
            is_reviewer | is_leader,
        ),
        # Signed at once with a key kept here; with a remote certificate the request waits for the
        # leader's confirmation, and nothing else may change the document meanwhile.
        _t(
            ActionType.SIGN,
            [Status.APPROVED],
            [Status.SIGNED, Status.AWAITING_SIGNATURE],
            is_outgoing & is_leader,
            LEADER_CERTIFICATE,
        ),
        _t(
            ActionType.CHECK_SIGNATURE,
            [Status.AWAITING_SIGNATURE],
            [],
            is_outgoing & (is_leader | is_clerk),
        ),
        _t(
            ActionType.SIGNATURE_CONFIRMED,
            [Status.AWAITING_SIGNATURE],
            [Status.SIGNED],
            is_outgoing & is_system,
        ),
        _t(
            ActionType.SIGNATURE_FAILED,
            [Status.AWAITING_SIGNATURE],
            [Status.APPROVED],
            is_outgoing & is_system,
        ),
        _t(
            ActionType.ISSUE,
            [Status.SIGNED],
            [Status.ISSUED],
            is_outgoing & is_clerk,
            HAS_REGISTER,
            AGENCY_CERTIFICATE,
            AGENCY_KEY_HERE,
        ),
        _t(ActionType.SEND, [Status.ISSUED], [Status.SENT], is_outgoing & is_clerk, HAS_RECIPIENTS),
        _t(ActionType.REMOTE_STATUS, [Status.SENT], [], is_outgoing & is_system),
        # A document sent electronically: its agency's leader or clerk recalls it, corrects its
        # details, or starts a new document that replaces it (sent with business type 3 when issued).
        _t(
            ActionType.RECALL_SENT,
            [Status.SENT],
            [],
            is_outgoing & (is_leader | is_clerk),
            SENT_ELECTRONICALLY,
        ),
        _t(
            ActionType.UPDATE_SENT,
            [Status.SENT],
            [],
            is_outgoing & (is_leader | is_clerk),
            SENT_ELECTRONICALLY,
        ),
        _t(
            ActionType.REPLACE_SENT,
            [Status.SENT],
            [],
            is_outgoing & (is_leader | is_clerk),
            SENT_ELECTRONICALLY,
            NO_REPLACEMENT_IN_PROGRESS,
        ),
        # Incoming
        _t(ActionType.RECEIVE, [Status.RECEIVED], [Status.RECEIVED], is_incoming & (is_clerk | is_system)),
        _t(ActionType.REGISTER, [Status.RECEIVED], [Status.REGISTERED], is_incoming & is_clerk, HAS_REGISTER),
        _t(ActionType.REFUSE, [Status.RECEIVED], [Status.REFUSED], is_incoming & (is_clerk | is_leader)),
        _t(ActionType.ASSIGN, OPEN, [Status.ASSIGNED], is_incoming & is_leader),
        _t(ActionType.START_PROCESSING, [Status.ASSIGNED], [Status.PROCESSING], is_incoming & is_handler),
        _t(
            ActionType.ANSWER,
            [Status.ASSIGNED, Status.PROCESSING],
            [Status.ANSWERED],
            is_incoming & (is_handler | is_leader),
        ),
        _t(
            ActionType.CLOSE,
            [Status.ASSIGNED, Status.PROCESSING, Status.ANSWERED],
            [Status.CLOSED],
            is_incoming & (is_handler | is_leader),
        ),
        _t(ActionType.RECALL, CHANGEABLE, [Status.RECALLED], is_incoming & is_system),
        _t(ActionType.AMENDMENT_ASKED, CHANGEABLE, [], is_incoming & is_system),
        _t(
            ActionType.ACCEPT_AMENDMENT,
            CHANGEABLE,
            [*CHANGEABLE, Status.REPLACED],
            is_incoming & (is_clerk | is_leader),
            AMENDMENT_PENDING,
        ),
        _t(
            ActionType.REFUSE_AMENDMENT,
            CHANGEABLE,
            [],
            is_incoming & (is_clerk | is_leader),
            AMENDMENT_PENDING,
        ),
    ]
}

# What a page offers as a button (creation and the system's actions are not buttons).
PAGE_ACTIONS = tuple(
    a
    for a in TRANSITIONS
    if a
    not in (
        ActionType.CREATE,
        ActionType.RECEIVE,
        ActionType.REMOTE_STATUS,
        ActionType.RECALL,
        ActionType.AMENDMENT_ASKED,
        ActionType.SIGNATURE_CONFIRMED,
        ActionType.SIGNATURE_FAILED,
    )
)


@dataclass(frozen=True)
class Verdict:
    action: ActionType
    allowed: bool
    reason: str = ""

    @property
    def shown(self) -> bool:
        return self.allowed or bool(self.reason)


def _not_allowed() -> NotAllowed:
    return NotAllowed(_("Ông/bà không có quyền thực hiện việc này đối với văn bản này."))


def judge(action: ActionType, user: User | None, facts: Facts) -> Verdict:
    transition = TRANSITIONS[action]
    if facts.status not in transition.sources or not transition.who.test(user, facts):
        return Verdict(action, False)
    for condition in transition.conditions:
        if not condition.test(facts):
            return Verdict(action, False, "" if condition.quiet else str(condition.message))
    return Verdict(action, True)


def check(action: ActionType, user: User | None, facts: Facts) -> Transition:
    """NotAllowed (403) if ``user`` may not take ``action`` on this document at all, WrongState (409)
    if its status or state does not allow it now; the transition otherwise."""
    transition = TRANSITIONS[action]
    if not transition.who.test(user, facts):
        raise _not_allowed()
    if facts.status not in transition.sources:
        raise WrongState(
            _("Không thể “%(action)s” khi văn bản đang ở trạng thái “%(status)s”.")
            % {"action": action.label, "status": Status(facts.status).label}
        )
    for condition in transition.conditions:
        if not condition.test(facts):
            raise WrongState(str(condition.message))
    return transition


def offer(user: User | None, document: "OfficialDocument | Facts", actions=None) -> dict[ActionType, Verdict]:
    facts = facts_of(document, user)
    verdicts = (judge(action, user, facts) for action in (actions or PAGE_ACTIONS))
    return {v.action: v for v in verdicts if v.shown}


def allowed(user: User | None, document: "OfficialDocument | Facts") -> list[ActionType]:
    return [action for action, verdict in offer(user, document).items() if verdict.allowed]


def may(user: User | None, action: ActionType, document: "OfficialDocument | Facts") -> bool:
    return judge(action, user, facts_of(document, user)).allowed


def may_draft(user: User | None, agency) -> bool:
    """May ``user`` start an outgoing draft for ``agency``?"""
    return may(
        user,
        ActionType.CREATE,
        OfficialDocument(direction=Direction.OUTGOING, agency=agency, status=Status.DRAFT),
    )


def may_receive(user: User | None, agency) -> bool:
    """May ``user`` register an incoming paper document for ``agency`` (the clerk; None: the system)?"""
    return may(
        user,
        ActionType.RECEIVE,
        OfficialDocument(direction=Direction.INCOMING, agency=agency, status=Status.RECEIVED),
    )


def _permission(action: ActionType) -> rules.Predicate:
    def test(user: User, obj: OfficialDocument | Facts | None) -> bool:
        return obj is not None and may(user, action, obj)

    return rules.predicate(test, name=f"documents.{action.value}")


for _action in TRANSITIONS:
    rules.add_perm(f"documents.{_action.value}", _permission(_action))
