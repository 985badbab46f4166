"""Races on PostgreSQL: codes stay unique and sequential, and only one officer wins an action.

These need real concurrent transactions, so they run on PostgreSQL only (SQLite serialises writers).
"""

import datetime

import pytest
from django.utils import timezone

from motcua.accounts.constants import Role
from motcua.accounts.services import grant_role
from motcua.accounts.tests.factories import StaffFactory
from motcua.agencies.models import Agency
from motcua.core.tests.races import run_together
from motcua.dossiers import services
from motcua.dossiers.constants import ActionType, StepKind
from motcua.dossiers.errors import Conflict, DossierError
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import (
    GOOD_FORM,
    make_office,
    pdf,
    procedure_without_approval,
    received,
    received_without_approval,
    submitted,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_50_parallel_receptions_get_50_distinct_sequential_codes(media):
    office = make_office()
    dossiers = [submitted(office) for _ in range(50)]
    officers = [office.reception]
    for _ in range(4):
        officer = StaffFactory()
        grant_role(officer, office.agency, Role.RECEPTION)
        officers.append(officer)

    outcomes = run_together(
        [
            (lambda d=d, o=officers[i % 5]: services.receive(Dossier.objects.get(pk=d.pk), actor=o))
            for i, d in enumerate(dossiers)
        ]
    )

    assert [o for o in outcomes if o[0] == "error"] == []
    codes = list(Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).values_list("code", flat=True))
    assert len(set(codes)) == 50
    assert sorted(int(code[-4:]) for code in codes) == list(range(1, 51))
    assert len({code[:-5] for code in codes}) == 1  # same agency, same day


def test_20_officers_racing_on_one_dossier_exactly_one_wins(media):
    office = make_office()
    dossier = received(office)
    racers = [office.specialist]
    for _ in range(19):
        officer = StaffFactory()
        grant_role(officer, office.agency, Role.SPECIALIST)
        racers.append(officer)
    seen = dossier.revision

    outcomes = run_together(
        [
            (
                lambda o=o: services.forward(
                    Dossier.objects.get(pk=dossier.pk), actor=o, expected_revision=seen
                )
            )
            for o in racers
        ]
    )

    wins = [o for o in outcomes if o[0] == "ok"]
    losses = [o[1] for o in outcomes if o[0] == "error"]
    assert len(wins) == 1 and len(losses) == 19
    assert all(isinstance(e, DossierError) for e in losses)
    assert all(isinstance(e, Conflict) and "người khác" in e.message for e in losses)
    dossier.refresh_from_db()
    assert dossier.revision == seen + 1
    assert dossier.actions.filter(type="forward").count() == 1


def test_racing_without_a_revision_still_lets_only_the_holder_act(media):
    office = make_office()
    dossier = received(office)
    second = StaffFactory()
    grant_role(second, office.agency, Role.SPECIALIST)

    outcomes = run_together(
        [
            (lambda o=o: services.forward(Dossier.objects.get(pk=dossier.pk), actor=o))
            for o in (office.specialist, second)
        ]
    )

    # The first moves it to the leader's step; the second, re-checked under the lock, may not act there.
    assert sorted(o[0] for o in outcomes) == ["error", "ok"]
    assert dossier.actions.filter(type="forward").count() == 1


# ---------------------------------------------------------------------------------------------
# Every action: 30 identical requests made with the same revision, exactly one goes through.


def _overdue(office):
    dossier = received(office)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    return Dossier.objects.get(pk=dossier.pk)


def _at_leader(office, *, result=False):
    dossier = received(office)
    services.forward(dossier, actor=office.specialist)
    if result:
        services.attach_result(dossier, actor=office.leader, upload=pdf(), name="kq.pdf")
    return dossier


def _ready(office):
    dossier = _at_leader(office, result=True)
    services.approve(dossier, actor=office.leader)
    return dossier


def _consulting(office):
    dossier = received(office)
    services.consult(dossier, actor=office.specialist, agency=office.other_agency, question="?", days=2)
    return dossier


def _draft(office):
    dossier = services.start_dossier(version=office.version, applicant=office.citizen, another=True)
    services.save_draft(dossier, actor=office.citizen, form_data=GOOD_FORM)
    for document in office.version.documents.filter(required=True):
        services.add_document(dossier, actor=office.citizen, upload=pdf(), name="a.pdf", document=document)
    return dossier


def _asked_to_supplement(office):
    dossier = received(office)
    services.request_supplement(dossier, actor=office.specialist, items=["Tờ khai"])
    return dossier


def _payment(office):
    dossier = received(office)
    services.request_payment(dossier, actor=office.specialist, amount=8000)
    return dossier


def _no_approval_with_result(office):
    dossier = received_without_approval(office, procedure_without_approval(office))
    services.attach_result(dossier, actor=office.specialist, upload=pdf(), name="kq.pdf")
    return dossier


# action: (state, who, the call with expected_revision=seen, what must exist exactly once after)
RACES = {
    "submit": (
        _draft,
        "citizen",
        lambda d, u, r: services.submit(d, actor=u, declaration=True, expected_revision=r),
    ),
    "receive": (submitted, "reception", lambda d, u, r: services.receive(d, actor=u, expected_revision=r)),
    "request_supplement": (
        submitted,
        "reception",
        lambda d, u, r: services.request_supplement(d, actor=u, items=["Tờ khai"], expected_revision=r),
    ),
    "refuse": (
        submitted,
        "reception",
        lambda d, u, r: services.refuse(d, actor=u, reasons="x", expected_revision=r),
    ),
    "forward": (received, "specialist", lambda d, u, r: services.forward(d, actor=u, expected_revision=r)),
    "send_back": (
        _at_leader,
        "leader",
        lambda d, u, r: services.send_back(d, actor=u, note="Xem lại", expected_revision=r),
    ),
    "consult": (
        received,
        "specialist",
        lambda d, u, r: services.consult(
            d, actor=u, agency=Agency.objects.get(code="000.02.01.H59"), question="?", expected_revision=r
        ),
    ),
    "reply_consultation": (
        _consulting,
        "outsider",
        lambda d, u, r: services.reply_consultation(
            d.steps.get(kind=StepKind.CONSULTATION), actor=u, answer="Đồng ý", expected_revision=r
        ),
    ),
    "request_payment": (
        received,
        "specialist",
        lambda d, u, r: services.request_payment(d, actor=u, amount=8000, expected_revision=r),
    ),
    "record_payment": (
        _payment,
        "reception",
        lambda d, u, r: services.record_payment(d, actor=u, amount=8000, expected_revision=r),
    ),
    "attach_result": (
        received,
        "specialist",
        lambda d, u, r: services.attach_result(d, actor=u, upload=pdf(), name="kq.pdf", expected_revision=r),
    ),
    "approve": (
        lambda o: _at_leader(o, result=True),
        "leader",
        lambda d, u, r: services.approve(d, actor=u, expected_revision=r),
    ),
    "mark_ready": (
        _no_approval_with_result,
        "specialist",
        lambda d, u, r: services.mark_ready(d, actor=u, expected_revision=r),
    ),
    "return_result": (
        _ready,
        "reception",
        lambda d, u, r: services.return_result(d, actor=u, expected_revision=r),
    ),
    "stop": (received, "leader", lambda d, u, r: services.stop(d, actor=u, reasons="x", expected_revision=r)),
    "apologize": (
        _overdue,
        "specialist",
        lambda d, u, r: services.apologize(
            d,
            actor=u,
            reasons="Chậm",
            new_due_at=timezone.now() + datetime.timedelta(days=2),
            expected_revision=r,
        ),
    ),
    "resubmit": (
        _asked_to_supplement,
        "citizen",
        lambda d, u, r: services.resubmit(d, actor=u, expected_revision=r),
    ),
    "withdraw": (
        received,
        "citizen",
        lambda d, u, r: services.withdraw(d, actor=u, reason="x", expected_revision=r),
    ),
}
ACTION_TYPES = {"resubmit": ActionType.SUPPLEMENT}


@pytest.mark.parametrize("action", sorted(RACES))
def test_30_identical_requests_with_one_revision_give_one_success(media, action):
    office = make_office()
    build, who, call = RACES[action]
    dossier = build(office)
    actor = getattr(office, who)
    seen = dossier.revision
    files_before = dossier.attachments.count()
    asked_before = dossier.steps.filter(kind=StepKind.CONSULTATION).count()

    outcomes = run_together(
        [lambda: call(Dossier.objects.get(pk=dossier.pk), actor, seen) for _ in range(30)]
    )

    wins = [o for o in outcomes if o[0] == "ok"]
    losses = [o[1] for o in outcomes if o[0] == "error"]
    assert len(wins) == 1, losses[:3]
    assert len(losses) == 29 and all(isinstance(e, Conflict) for e in losses), {type(e) for e in losses}
    dossier.refresh_from_db()
    assert dossier.revision == seen + 1
    assert dossier.actions.filter(type=ACTION_TYPES.get(action, action)).count() == 1
    # One consultation step, one result file, one notice: nothing created by the losers.
    asked = dossier.steps.filter(kind=StepKind.CONSULTATION).count() - asked_before
    assert asked == (1 if action == "consult" else 0)
    assert dossier.attachments.count() - files_before <= 1


def test_30_parallel_api_requests_with_one_revision_give_one_success_and_29_conflicts(media):
    from django.test import Client

    from motcua.accounts.tests.factories import PASSWORD

    office = make_office()
    dossier = received(office)
    token = (
        Client()
        .post(
            "/api/auth/token",
            {"username": office.specialist.username, "password": PASSWORD},
            content_type="application/json",
        )
        .json()["access_token"]
    )
    seen = dossier.revision

    def consult():
        client = Client(headers={"Authorization": f"Bearer {token}"})
        body = {"revision": seen, "agency": "000.02.01.H59", "question": "Ý kiến?", "days": 2}
        return client.post(
            f"/api/dossiers/{dossier.code}/actions/consult", body, content_type="application/json"
        ).status_code

    outcomes = run_together([consult for _ in range(30)])

    assert sorted(o[1] for o in outcomes) == [200] + [409] * 29
    assert dossier.steps.filter(kind=StepKind.CONSULTATION).count() == 1
