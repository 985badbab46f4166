"""An outgoing document from draft to sent: who may take each step, the number given at issue only,
the notation, the history, the audit rows and the events."""

import pytest

from motcua.core.models import AuditEntry
from motcua.documents import events, services
from motcua.documents.constants import ActionType, Channel, DeliveryState, FileKind, ReviewDecision, Status
from motcua.documents.models import RegisterCounter
from motcua.documents.tests.factories import approved, draft_of, drafted, issued, signed
from motcua.dossiers.errors import InvalidInput, NotAllowed, WrongState
from motcua.signing.models import IssuedDocument


@pytest.fixture
def heard():
    got = []

    def listen(sender, **kwargs):
        got.append(kwargs)

    events.document_changed.connect(listen)
    yield got
    events.document_changed.disconnect(listen)


def test_a_document_goes_from_draft_to_sent_and_gets_its_number_only_at_issue(bureau, peer, heard):
    document = drafted(bureau, to=[peer.agency], paper=["Như trên"])
    assert document.status == Status.DRAFT and document.number is None and document.notation == ""

    services.submit_for_review(document, actor=bureau.specialist, reviewers=[bureau.reviewer, bureau.leader])
    assert document.status == Status.IN_REVIEW
    services.approve_review(document, actor=bureau.reviewer)
    assert document.status == Status.IN_REVIEW  # the leader's opinion is still awaited
    services.approve_review(document, actor=bureau.leader)
    assert document.status == Status.APPROVED

    services.sign(document, actor=bureau.leader)
    assert document.status == Status.SIGNED and document.number is None
    assert document.files.filter(kind=FileKind.SIGNED).exists()

    services.issue(document, actor=bureau.clerk)
    assert document.status == Status.ISSUED
    assert document.number == 1 and document.notation == "01/QĐ-UBND"
    assert document.issued_on is not None and document.year == document.issued_on.year
    issued_file = document.files.get(kind=FileKind.ISSUED)
    assert IssuedDocument.objects.filter(sha256=issued_file.sha256, kind="official_document").exists()

    services.send(document, actor=bureau.clerk)
    assert document.status == Status.SENT
    paper = document.recipients.get(channel=Channel.PAPER)
    assert paper.state == DeliveryState.SENT and paper.sent_at is not None
    assert document.recipients.get(channel=Channel.ELECTRONIC).organ_id == peer.agency.code

    assert [a.type for a in document.actions.order_by("id")] == [
        ActionType.CREATE,
        ActionType.SUBMIT_REVIEW,
        ActionType.APPROVE_REVIEW,
        ActionType.APPROVE_REVIEW,
        ActionType.SIGN,
        ActionType.ISSUE,
        ActionType.SEND,
    ]
    assert AuditEntry.objects.filter(action="document.issue", object_id=str(document.pk)).exists()
    assert heard[-1]["action"] == "send" and heard[-1]["data"]["channels"] == ["electronic", "paper"]


def test_the_numbers_follow_each_other_in_the_register(bureau):
    notations = [issued(bureau).notation for _ in range(3)]
    assert notations == ["01/QĐ-UBND", "02/QĐ-UBND", "03/QĐ-UBND"]
    assert RegisterCounter.objects.get(register=bureau.outgoing).last == 3


def test_a_cong_van_is_numbered_without_a_type_abbreviation(bureau):
    document = issued(bureau, kind="cong-van", unit_abbreviation="VP")
    assert document.notation == "01/UBND-VP"


def test_only_a_leader_signs_and_only_the_clerk_issues(bureau):
    document = approved(bureau)
    for person in (bureau.specialist, bureau.clerk, bureau.reviewer):
        with pytest.raises(NotAllowed):
            services.sign(document, actor=person)
    services.sign(document, actor=bureau.leader)
    for person in (bureau.specialist, bureau.leader):
        with pytest.raises(NotAllowed):
            services.issue(document, actor=person)


def test_an_unsigned_draft_cannot_be_issued(bureau):
    document = drafted(bureau)
    with pytest.raises(WrongState):
        services.issue(document, actor=bureau.clerk)


def test_a_reviewer_returns_the_draft_with_a_reason(bureau):
    document = drafted(bureau)
    services.submit_for_review(document, actor=bureau.specialist, reviewers=[bureau.reviewer])
    with pytest.raises(InvalidInput) as raised:
        services.return_draft(document, actor=bureau.reviewer, note="")
    assert "note" in raised.value.errors
    services.return_draft(document, actor=bureau.reviewer, note="Sửa Điều 2")
    assert document.status == Status.DRAFT
    assert document.reviews.get().decision == ReviewDecision.RETURNED


def test_the_draft_form_names_the_missing_field(bureau):
    with pytest.raises(InvalidInput) as raised:
        services.create_draft(
            actor=bureau.specialist, agency=bureau.agency, draft=draft_of(bureau, summary=" ")
        )
    assert list(raised.value.errors) == ["summary"]
    with pytest.raises(InvalidInput) as raised:
        services.create_draft(actor=bureau.specialist, agency=bureau.agency, draft=draft_of(bureau, body=""))
    assert list(raised.value.errors) == ["body"]


def test_someone_of_another_agency_may_not_draft_for_this_one(bureau, peer):
    with pytest.raises(NotAllowed):
        services.create_draft(actor=peer.specialist, agency=bureau.agency, draft=draft_of(bureau))


def test_a_document_without_recipients_is_not_sent(bureau):
    document = issued(bureau, paper=[])
    with pytest.raises(WrongState, match="nơi nhận"):
        services.send(document, actor=bureau.clerk)


def test_the_exchange_records_what_a_recipient_reports(bureau, peer):
    document = issued(bureau, to=[peer.agency])
    services.send(document, actor=bureau.clerk)
    recipient = document.recipients.get(channel=Channel.ELECTRONIC)
    services.record_delivery(recipient, state=DeliveryState.SENT)
    services.record_delivery(recipient, status_code="03", description="Đã tiếp nhận")
    recipient.refresh_from_db()
    assert recipient.state == DeliveryState.DELIVERED and recipient.status_code == "03"
    assert document.actions.filter(type=ActionType.REMOTE_STATUS).count() == 2


def test_a_signed_document_waits_for_the_clerk(bureau):
    document = signed(bureau)
    assert document.status == Status.SIGNED
