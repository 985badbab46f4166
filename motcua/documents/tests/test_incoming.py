"""An incoming document: received (from the exchange or from paper), registered, assigned, processed,
answered and closed; each step the sender is told of publishes its edXML status code."""

import io

import pytest

from motcua.documents import events, services
from motcua.documents.constants import Direction, FileKind, Status
from motcua.documents.models import OfficialDocument
from motcua.documents.tests.factories import days, doc_type, draft_of, incoming_for
from motcua.dossiers.errors import InvalidInput, NotAllowed, WrongState
from motcua.dossiers.tests.factories import PDF, PNG


@pytest.fixture
def codes():
    got = []

    def listen(sender, document_id, code, description, **kwargs):
        got.append(code)

    events.document_status.connect(listen)
    yield got
    events.document_status.disconnect(listen)


def test_an_incoming_document_is_registered_assigned_answered_and_closed(bureau, peer, codes):
    document = incoming_for(bureau, sender=peer)
    assert document.status == Status.RECEIVED and document.received_electronically
    assert document.files.get().kind == FileKind.ATTACHMENT

    services.register_incoming(document, actor=bureau.clerk)
    assert (
        document.status == Status.REGISTERED and document.number == 1 and document.register == bureau.incoming
    )

    services.assign(
        document, actor=bureau.leader, officer=bureau.specialist, due_on=days(5), note="Xử lý gấp"
    )
    assert document.status == Status.ASSIGNED and document.handler == bureau.specialist
    assert document.assignments.get().due_on == days(5)

    services.start_processing(document, actor=bureau.specialist)
    reply = services.answer(
        document,
        actor=bureau.specialist,
        draft=draft_of(bureau, kind="cong-van", summary="Trả lời về việc rà soát hồ sơ đất đai", paper=[]),
    )
    document.refresh_from_db()
    assert document.status == Status.ANSWERED
    assert (
        reply.direction == Direction.OUTGOING and reply.answers == document and reply.status == Status.DRAFT
    )
    # The answer goes back to the sender, on the exchange.
    assert [r.agency for r in reply.recipients.all()] == [peer.agency]

    services.close(document, actor=bureau.specialist)
    assert document.status == Status.CLOSED
    assert codes == ["03", "04", "05", "06"]


def test_only_a_leader_assigns_and_only_the_handler_processes(bureau, codes):
    document = incoming_for(bureau)
    services.register_incoming(document, actor=bureau.clerk)
    for person in (bureau.clerk, bureau.specialist):
        with pytest.raises(NotAllowed):
            services.assign(document, actor=person, officer=bureau.specialist, due_on=days(3))
    services.assign(document, actor=bureau.leader, officer=bureau.specialist, due_on=days(3))
    with pytest.raises(NotAllowed):
        services.start_processing(document, actor=bureau.reviewer)


def test_the_assign_form_names_what_is_wrong(bureau, peer):
    document = incoming_for(bureau)
    services.register_incoming(document, actor=bureau.clerk)
    cases = [
        ({"officer": None, "due_on": days(3)}, "officer"),
        ({"officer": bureau.specialist, "due_on": None}, "due_on"),
        ({"officer": bureau.specialist, "due_on": days(-1)}, "due_on"),
        ({"officer": peer.specialist, "due_on": days(3)}, "officer"),
        ({"officer": bureau.specialist, "due_on": days(3), "department": peer.agency}, "department"),
    ]
    for kwargs, field in cases:
        with pytest.raises(InvalidInput) as raised:
            services.assign(document, actor=bureau.leader, **kwargs)
        assert field in raised.value.errors


def test_overdue_documents_are_found(bureau):
    document = incoming_for(bureau)
    services.register_incoming(document, actor=bureau.clerk)
    services.assign(document, actor=bureau.leader, officer=bureau.specialist, due_on=days(1))
    assert not document.is_overdue()
    assert document.is_overdue(days(2))
    assert list(OfficialDocument.objects.overdue(days(2))) == [document]
    services.close(document, actor=bureau.specialist)
    assert not OfficialDocument.objects.overdue(days(2)).exists()


def test_a_paper_document_is_registered_with_its_checked_scan(bureau):
    incoming = services.Incoming(
        document_type=doc_type("cong-van"), summary="Về việc mời họp", sender_name="Công an phường"
    )
    with pytest.raises(InvalidInput) as raised:
        services.register_paper(
            actor=bureau.clerk, agency=bureau.agency, incoming=incoming, scan=io.BytesIO(b"not a pdf")
        )
    assert "file" in raised.value.errors
    document = services.register_paper(
        actor=bureau.clerk,
        agency=bureau.agency,
        incoming=incoming,
        scan=io.BytesIO(PDF),
        scan_name="moi-hop.pdf",
    )
    assert document.status == Status.REGISTERED and not document.received_electronically
    assert document.files.get().kind == FileKind.SCAN
    assert PNG  # images are accepted scans too (checked by content)


def test_a_specialist_may_not_register_paper_documents(bureau):
    incoming = services.Incoming(
        document_type=doc_type("cong-van"), summary="Về việc mời họp", sender_name="Công an phường"
    )
    with pytest.raises(NotAllowed):
        services.register_paper(
            actor=bureau.specialist, agency=bureau.agency, incoming=incoming, scan=io.BytesIO(PDF)
        )


def test_refusing_says_why_and_tells_the_sender(bureau, codes):
    document = incoming_for(bureau)
    with pytest.raises(InvalidInput):
        services.refuse(document, actor=bureau.clerk, note="")
    services.refuse(document, actor=bureau.clerk, note="Gửi nhầm cơ quan")
    assert document.status == Status.REFUSED and codes == ["02"]
    with pytest.raises(WrongState):
        services.register_incoming(document, actor=bureau.clerk)


def test_the_sender_may_recall_a_document_not_yet_done(bureau):
    document = incoming_for(bureau)
    services.register_incoming(document, actor=bureau.clerk)
    services.recall(document, reason="Văn bản ban hành nhầm")
    assert document.status == Status.RECALLED
