"""Every role × every dossier state × every action: what a face offers is exactly what the service
accepts.

For each state a dossier can be in (built through the real services) and each person who may look
at it, the test asks the rule table (``rules.allowed``, what the faces ask), then tries every
action on the service with valid input, each in a savepoint rolled back afterwards, and compares.
It also checks that the staff page shows a form for exactly the allowed staff actions and that the
API's ``allowed_actions`` is the same list.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client
from django.utils import timezone

from motcua.accounts.tests.factories import PASSWORD
from motcua.backoffice.actions import BY_TYPE
from motcua.dossiers import rules, services
from motcua.dossiers.constants import ActionType, AttachmentKind, Operation, Status, StepKind
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import office  # noqa: F401  (fixture)
from motcua.dossiers.tests.factories import (
    GOOD_FORM,
    Office,
    pdf,
    procedure_without_approval,
    received,
    received_without_approval,
    submitted,
)

pytestmark = pytest.mark.django_db


class Undo(Exception):
    """Raised after a successful attempt so that its savepoint rolls back."""


# ---------------------------------------------------------------------------------------------
# The states


def _draft(o: Office) -> Dossier:
    """A complete draft (an incomplete one is refused with the missing items, as invalid input)."""
    dossier = services.start_dossier(version=o.version, applicant=o.citizen, another=True)
    services.save_draft(dossier, actor=o.citizen, form_data=GOOD_FORM)
    for document in o.version.documents.filter(required=True):
        services.add_document(dossier, actor=o.citizen, upload=pdf(), name="a.pdf", document=document)
    return dossier


def _supplement_before_reception(o: Office) -> Dossier:
    dossier = submitted(o)
    services.request_supplement(dossier, actor=o.reception, items=["Giấy chứng sinh"])
    return dossier


def _at_leader(o: Office, *, result: bool = False) -> Dossier:
    dossier = received(o)
    services.forward(dossier, actor=o.specialist)
    if result:
        services.attach_result(dossier, actor=o.leader, upload=pdf(), name="kq.pdf")
    return dossier


def _supplement_in_processing(o: Office) -> Dossier:
    dossier = received(o)
    services.request_supplement(dossier, actor=o.specialist, items=["Tờ khai có chữ ký"])
    return dossier


def _payment(o: Office) -> Dossier:
    dossier = received(o)
    services.request_payment(dossier, actor=o.specialist, amount=8000)
    return dossier


def _ready(o: Office) -> Dossier:
    dossier = _at_leader(o, result=True)
    services.approve(dossier, actor=o.leader)
    return dossier


def _returned(o: Office) -> Dossier:
    dossier = _ready(o)
    services.return_result(dossier, actor=o.reception)
    return dossier


def _refused(o: Office) -> Dossier:
    dossier = submitted(o)
    services.refuse(dossier, actor=o.reception, reasons="Không thuộc thẩm quyền")
    return dossier


def _withdrawn(o: Office) -> Dossier:
    dossier = received(o)
    services.withdraw(dossier, actor=o.citizen, reason="Nộp nhầm")
    return dossier


def _stopped(o: Office) -> Dossier:
    dossier = received(o)
    services.stop(dossier, actor=o.leader, reasons="Không đủ điều kiện")
    return dossier


def _overdue(o: Office) -> Dossier:
    dossier = received(o)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() - datetime.timedelta(hours=2))
    return Dossier.objects.get(pk=dossier.pk)


def _apologized(o: Office) -> Dossier:
    dossier = _overdue(o)
    services.apologize(
        dossier, actor=o.specialist, reasons="Chậm", new_due_at=timezone.now() + datetime.timedelta(hours=1)
    )
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() - datetime.timedelta(minutes=5))
    return Dossier.objects.get(pk=dossier.pk)


def _consulting(o: Office) -> Dossier:
    dossier = received(o)
    services.consult(dossier, actor=o.specialist, agency=o.other_agency, question="Nơi cư trú?", days=2)
    return dossier


def _walk_in_supplement(o: Office) -> Dossier:
    dossier = services.intake_at_counter(
        actor=o.reception,
        agency=o.agency,
        version=o.version,
        applicant={"name": "Lê Thị Hoa"},
        form_data=GOOD_FORM,
        scans=[(d, f"{d.pk}.pdf", pdf()) for d in o.version.documents.filter(required=True)],
    )
    services.request_supplement(dossier, actor=o.specialist, items=["Bản sao rõ nét"])
    return dossier


def _no_approval(o: Office, *, result: bool = False, ready: bool = False) -> Dossier:
    dossier = received_without_approval(o, procedure_without_approval(o))
    if result or ready:
        services.attach_result(dossier, actor=o.specialist, upload=pdf(), name="kq.pdf")
    if ready:
        services.mark_ready(dossier, actor=o.specialist)
    return dossier


STATES: dict[str, Callable[[Office], Dossier]] = {
    "draft": _draft,
    "submitted": submitted,
    "supplement before reception": _supplement_before_reception,
    "at the specialist": received,
    "at the leader without result": _at_leader,
    "at the leader with result": lambda o: _at_leader(o, result=True),
    "supplement in processing": _supplement_in_processing,
    "payment requested": _payment,
    "consulting another unit": _consulting,
    "overdue": _overdue,
    "overdue after an apology": _apologized,
    "ready": _ready,
    "returned": _returned,
    "refused": _refused,
    "withdrawn": _withdrawn,
    "stopped": _stopped,
    "walk-in asked to supplement": _walk_in_supplement,
    "no approval step, without result": _no_approval,
    "no approval step, with result": lambda o: _no_approval(o, result=True),
    "no approval step, ready at the return step": lambda o: _no_approval(o, ready=True),
}

# ---------------------------------------------------------------------------------------------
# Valid input for every action


def _attempt(action: rules.Act, dossier: Dossier, user, o: Office) -> None:
    now = timezone.now()
    match action:
        case Operation.EDIT:
            services.save_draft(dossier, actor=user, form_data=GOOD_FORM)
        case Operation.DELETE_DRAFT:
            services.delete_draft(dossier, actor=user)
        case Operation.ADD_SCAN:
            services.add_document(
                dossier, actor=user, upload=pdf(), name="scan.pdf", kind=AttachmentKind.SCAN
            )
        case Operation.CLAIM:
            services.claim_dossier(dossier, actor=user)
        case ActionType.SUBMIT:
            services.submit(dossier, actor=user, declaration=True)
        case ActionType.SUPPLEMENT:
            services.resubmit(dossier, actor=user, note="Đã bổ sung")
        case ActionType.WITHDRAW:
            services.withdraw(dossier, actor=user, reason="Không cần nữa")
        case ActionType.RECEIVE:
            services.receive(dossier, actor=user)
        case ActionType.REQUEST_SUPPLEMENT:
            services.request_supplement(dossier, actor=user, items=["Giấy chứng sinh"])
        case ActionType.REFUSE:
            services.refuse(dossier, actor=user, reasons="Sai thẩm quyền")
        case ActionType.RETURN_RESULT:
            services.return_result(dossier, actor=user)
        case ActionType.FORWARD:
            services.forward(dossier, actor=user)
        case ActionType.SEND_BACK:
            services.send_back(dossier, actor=user, note="Xem lại")
        case ActionType.CONSULT:
            services.consult(dossier, actor=user, agency=o.other_agency, question="Ý kiến?", days=2)
        case ActionType.REPLY_CONSULTATION:
            step = dossier.steps.filter(kind=StepKind.CONSULTATION).first()
            if step is None:
                raise DossierError("no consultation to answer")
            services.reply_consultation(step, actor=user, answer="Đồng ý")
        case ActionType.REQUEST_PAYMENT:
            services.request_payment(dossier, actor=user, amount=8000)
        case ActionType.RECORD_PAYMENT:
            services.record_payment(dossier, actor=user, amount=8000)
        case ActionType.ATTACH_RESULT:
            services.attach_result(dossier, actor=user, upload=pdf(), name="kq.pdf")
        case ActionType.APPROVE:
            services.approve(dossier, actor=user)
        case ActionType.MARK_READY:
            services.mark_ready(dossier, actor=user)
        case ActionType.STOP:
            services.stop(dossier, actor=user, reasons="Không đủ điều kiện")
        case ActionType.APOLOGIZE:
            services.apologize(
                dossier, actor=user, reasons="Chậm", new_due_at=now + datetime.timedelta(days=3)
            )
        case _:
            raise AssertionError(f"no attempt written for {action}")


def _accepted(action: rules.Act, pk: int, user, o: Office) -> bool:
    try:
        with transaction.atomic():
            _attempt(action, Dossier.objects.get(pk=pk), user, o)
            raise Undo
    except Undo:
        return True
    except DossierError:
        return False


@dataclass
class Person:
    name: str
    user: object


def _people(o: Office) -> list[Person]:
    return [
        Person("applicant", o.citizen),
        Person("another citizen", o.stranger),
        Person("reception", o.reception),
        Person("specialist", o.specialist),
        Person("leader", o.leader),
        Person("officer of another unit (the consulted one)", o.outsider),
    ]


def _token(user) -> str:
    response = Client().post(
        "/api/auth/token", {"username": user.username, "password": PASSWORD}, content_type="application/json"
    )
    return response.json()["access_token"]


def _page_forms(client: Client, dossier: Dossier) -> set[str] | None:
    """The action forms of the staff page (None if the page is not the person's to see)."""
    response = client.get(f"/can-bo/ho-so/{dossier.code or dossier.public_id}/")
    if response.status_code != 200:
        return None
    return set(re.findall(r'action="/can-bo/ho-so/[^/"]+/([a-z-]+)/"', response.content.decode()))


def test_what_every_face_offers_is_exactly_what_the_service_accepts(office):  # noqa: F811
    o = office
    people = _people(o)
    tokens = {p.name: _token(p.user) for p in people}
    checked = allowed_count = 0
    disagreements = []
    for state, build in STATES.items():
        dossier = build(o)
        for person in people:
            fresh = Dossier.objects.get(pk=dossier.pk)
            offered = set(rules.allowed(person.user, fresh))
            accepted = {
                action for action in rules.TRANSITIONS if _accepted(action, dossier.pk, person.user, o)
            }
            checked += len(rules.TRANSITIONS)
            allowed_count += len(accepted)
            if offered != accepted:
                disagreements.append((state, person.name, sorted(offered ^ accepted)))

            api = Client(headers={"Authorization": f"Bearer {tokens[person.name]}"})
            seen = api.get(f"/api/dossiers/{dossier.public_id}")
            if seen.status_code == 200:
                assert set(seen.json()["allowed_actions"]) == {a.value for a in offered}, (state, person.name)
            else:
                assert seen.status_code == 404 and not offered, (state, person.name, offered)

            if getattr(person.user, "kind", "") == "staff":
                client = Client()
                client.force_login(person.user)
                forms = _page_forms(client, dossier)
                staff_actions = {BY_TYPE[a].slug for a in offered if a in BY_TYPE}
                assert forms is None or forms == staff_actions, (state, person.name, forms, staff_actions)

    assert disagreements == []
    # The table is not empty nor everything: each state lets someone do something, or is final.
    assert checked == len(STATES) * len(people) * len(rules.TRANSITIONS)
    assert 60 <= allowed_count <= checked // 4, allowed_count


def test_final_statuses_offer_nothing(office):  # noqa: F811
    for build in (_returned, _refused, _withdrawn, _stopped):
        dossier = build(office)
        assert dossier.status in (Status.RETURNED, Status.REFUSED, Status.WITHDRAWN, Status.STOPPED)
        for person in _people(office):
            assert rules.allowed(person.user, dossier) == []


def test_the_rules_are_django_permissions_too(office):  # noqa: F811
    dossier = submitted(office)

    assert office.reception.has_perm("dossiers.receive", dossier)
    assert not office.specialist.has_perm("dossiers.receive", dossier)
    assert office.citizen.has_perm("dossiers.withdraw", dossier)
    assert not office.citizen.has_perm("dossiers.receive", dossier)


def test_the_system_may_only_record_the_payment_of_a_dossier_waiting_for_it(office):  # noqa: F811
    """``actor=None`` is the system (``rules.is_system``): a payment gateway's confirmation records the
    payment of a dossier in status 6 (motcua.payments). It may do nothing else, in any state; the faces
    never pass None (an anonymous visitor is an AnonymousUser)."""
    for state, build in STATES.items():
        dossier = build(office)
        offered = set(rules.allowed(None, Dossier.objects.get(pk=dossier.pk)))
        expected = {ActionType.RECORD_PAYMENT} if dossier.status == Status.PAYMENT else set()
        assert offered == expected, state

    waiting = _payment(office)
    with pytest.raises(DossierError):
        services.forward(Dossier.objects.get(pk=waiting.pk), actor=None)
    services.record_payment(waiting, actor=None, amount=8000, method="online", reference="14226112")
    assert waiting.status == Status.PROCESSING
    assert waiting.actions.get(type=ActionType.RECORD_PAYMENT).actor is None
    with pytest.raises(DossierError):
        services.record_payment(waiting, actor=None, amount=8000, method="online")
    anonymous = AnonymousUser()
    assert not rules.may(anonymous, ActionType.RECORD_PAYMENT, _payment(office))
