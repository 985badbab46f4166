"""Two agencies of one deployment exchange through the local transport: the issued document is built,
signed, stored as sent and received by the other agency as if it had arrived; its status messages
come back the same way, in order; a recall is accepted. Packages from our own agencies are not taken
at the API's door."""

import secrets

import pytest

from motcua.documents import services as documents
from motcua.documents.constants import Direction as DocumentDirection
from motcua.documents.constants import Status
from motcua.documents.models import OfficialDocument
from motcua.documents.tests import factories as document_factories
from motcua.exchange import edxml, outgoing, schema, services, signature
from motcua.exchange.constants import Direction, PackageState, Transport
from motcua.exchange.models import Package, Peer
from motcua.exchange.tests import factories
from motcua.signing import services as signing_services
from motcua.signing import testca

pytestmark = pytest.mark.django_db(transaction=True)


def keyed(bureau):
    issued = factories.issued_for(bureau.agency.code, bureau.agency.name)
    password = secrets.token_urlsafe(8)
    signing_services.import_pkcs12(
        testca.pkcs12_bytes(issued, [factories.test_root()], password), password, agency=bureau.agency
    )
    return bureau


@pytest.fixture
def justice():
    return keyed(
        document_factories.make_bureau(
            name="Sở Tư pháp", abbreviation="STP", place="Thành phố", code="000.00.15.H59"
        )
    )


@pytest.fixture
def ward():
    return keyed(document_factories.make_bureau(code="000.00.31.H59"))


def statuses(document: OfficialDocument) -> list[str]:
    return list(
        Package.objects.filter(direction=Direction.IN, message_type="status", document=document)
        .order_by("id")
        .values_list("status_code", flat=True)
    )


def incoming_of(bureau) -> OfficialDocument:
    return OfficialDocument.objects.get(agency=bureau.agency, direction=DocumentDirection.INCOMING)


def test_a_document_goes_to_an_agency_of_the_same_deployment_and_its_statuses_come_back(justice, ward):
    document = document_factories.issued(justice, to=[ward.agency], kind="cong-van")
    assert outgoing.unreachable(document) == []
    documents.send(document, actor=justice.clerk)
    document.refresh_from_db()
    sent = Package.objects.get(direction=Direction.OUT, message_type="edoc")
    assert sent.peer.transport == Transport.LOCAL and sent.peer.organ_id == ward.agency.code
    assert sent.state == PackageState.SENT  # the immediate task backend delivered it after the commit
    data = bytes(sent.raw)
    schema.validate(edxml.read_xml(data))
    signature.verify(data, factories.issued_for(justice.agency.code, "").pem)
    # Stored as received, byte for byte, as the ward's incoming document.
    received = Package.objects.get(direction=Direction.IN, message_type="edoc")
    assert bytes(received.raw) == data and received.agency == ward.agency
    assert received.peer.organ_id == justice.agency.code
    incoming = incoming_of(ward)
    assert (incoming.status, incoming.exchange_id, incoming.sender_notation) == (
        Status.RECEIVED,
        document.exchange_id,
        document.notation,
    )
    assert incoming.received_electronically
    # The ward registers, assigns, processes and closes it: Justice hears 03, 04, 05, 06 in order.
    documents.register_incoming(incoming, actor=ward.clerk)
    documents.assign(incoming, actor=ward.leader, officer=ward.specialist, due_on=document_factories.days(5))
    documents.start_processing(incoming, actor=ward.specialist)
    documents.close(incoming, actor=ward.specialist)
    assert statuses(document) == ["03", "04", "05", "06"]
    assert not Package.objects.filter(direction=Direction.OUT).exclude(state=PackageState.SENT).exists()


def test_a_recall_between_agencies_of_one_deployment_is_accepted(justice, ward):
    document = document_factories.issued(justice, to=[ward.agency], kind="cong-van")
    documents.send(document, actor=justice.clerk)
    incoming = incoming_of(ward)
    documents.register_incoming(incoming, actor=ward.clerk)
    document.refresh_from_db()
    documents.recall_sent(document, actor=justice.leader, reason="Sai thành phần nơi nhận")
    incoming.refresh_from_db()
    assert incoming.status == Status.RECALLED
    assert statuses(document) == ["03", "15", "13"]


def test_a_package_signed_by_one_of_our_agencies_is_not_taken_at_the_api(
    document_types, justice, ward, client
):
    pkg = factories.package(sender=justice.agency.code, to=ward.agency.code)
    data = services.seal(edxml.build_package(pkg), services.signing_key(justice.agency))
    answer = client.post("/api/exchange/edxml", data=data, content_type="application/xml")
    assert answer.status_code == 403
    assert not OfficialDocument.objects.filter(agency=ward.agency).exists()
    # Locally it is received.
    assert services.receive(data, local=True, to=ward.agency.code).package.agency == ward.agency
    # The sender's local peer row, made on receipt (the ward's only when something is sent to it).
    assert list(Peer.objects.filter(transport=Transport.LOCAL).values_list("organ_id", flat=True)) == [
        justice.agency.code
    ]


def test_the_leader_recalls_a_sent_document_from_its_page(justice, ward, client):
    """The staff page offers the recall to the sender's leader once the document is sent; a recall
    without a reason is refused naming the field; with one, the recipient recalls it (15, 13)."""
    document = document_factories.issued(justice, to=[ward.agency], kind="cong-van")
    page = f"/can-bo/van-ban/{document.pk}/"
    client.force_login(justice.leader)
    assert "Thu hồi văn bản đã gửi" not in client.get(page).content.decode()  # not sent yet
    documents.send(document, actor=justice.clerk)
    incoming = incoming_of(ward)
    documents.register_incoming(incoming, actor=ward.clerk)
    assert "Thu hồi văn bản đã gửi" in client.get(page).content.decode()

    refused = client.post(f"{page}thu-hoi/", {"thu-hoi-reason": "  "})
    assert refused.status_code == 400
    assert "Nhập lý do thu hồi văn bản." in refused.content.decode()
    assert statuses(document) == ["03"]

    client.force_login(ward.clerk)  # another agency's clerk may not recall it
    assert client.post(f"{page}thu-hoi/", {"thu-hoi-reason": "Nhầm"}).status_code in (403, 404)

    client.force_login(justice.leader)
    answer = client.post(f"{page}thu-hoi/", {"thu-hoi-reason": "Sai thành phần nơi nhận"})
    assert answer.status_code == 302 and answer["Location"] == page
    incoming.refresh_from_db()
    assert incoming.status == Status.RECALLED
    assert statuses(document) == ["03", "15", "13"]


def sent_to_ward(justice, ward) -> tuple[OfficialDocument, OfficialDocument]:
    document = document_factories.issued(justice, to=[ward.agency], kind="cong-van")
    documents.send(document, actor=justice.clerk)
    incoming = incoming_of(ward)
    documents.register_incoming(incoming, actor=ward.clerk)
    document.refresh_from_db()
    return document, incoming


def test_the_clerk_corrects_a_sent_document_and_the_receivers_leader_accepts(justice, ward, client):
    """The update form on the sent document's page: the reason required and something must change;
    the receiver's leader sees the proposed change and accepts it on its page; the sender's page
    shows the answer (15)."""
    document, incoming = sent_to_ward(justice, ward)
    page = f"/can-bo/van-ban/{document.pk}/"
    client.force_login(justice.clerk)
    assert "Cập nhật thông tin văn bản đã gửi" in client.get(page).content.decode()
    form = {
        "cap-nhat-summary": "Về việc kiện toàn Tổ công tác chuyển đổi số năm 2026",
        "cap-nhat-urgency": "urgent",
        "cap-nhat-due_on": "",
        "cap-nhat-revision": document.revision,
    }
    refused = client.post(f"{page}cap-nhat/", {**form, "cap-nhat-reason": " "})
    assert refused.status_code == 400
    assert "Nhập lý do cập nhật văn bản." in refused.content.decode()
    same = {**form, "cap-nhat-summary": document.summary, "cap-nhat-urgency": document.urgency}
    unchanged = client.post(f"{page}cap-nhat/", {**same, "cap-nhat-reason": "Sửa"})
    assert unchanged.status_code == 422
    assert "Chưa có thông tin nào thay đổi" in unchanged.content.decode()
    assert statuses(document) == ["03"]

    answer = client.post(f"{page}cap-nhat/", {**form, "cap-nhat-reason": "Bổ sung năm vào trích yếu"})
    assert answer.status_code == 302 and answer["Location"] == page
    document.refresh_from_db()
    assert document.summary.endswith("năm 2026") and document.urgency == "urgent"
    sent = Package.objects.get(direction=Direction.OUT, message_type="edoc", business_type=2)
    pkg = edxml.parse(edxml.read_xml(bytes(sent.raw)))
    assert pkg.header.subject.endswith("năm 2026") and pkg.header.other_info.priority == 1
    assert pkg.business.document_info_changed and pkg.business.reason == "Bổ sung năm vào trích yếu"
    assert pkg.header.document_id == document.exchange_id
    incoming.refresh_from_db()
    assert not incoming.summary.endswith("năm 2026")  # not before the receiver accepts

    theirs = f"/can-bo/van-ban/{incoming.pk}/"
    client.force_login(ward.leader)
    shown = client.get(theirs).content.decode()
    assert "Bổ sung năm vào trích yếu" in shown and "Đồng ý cập nhật, thay thế" in shown
    # The proposed change as a reader says it: the urgency's label, never its code.
    assert "Độ khẩn: Thường → <strong>Khẩn</strong>" in shown and "urgent" not in shown
    accepted = client.post(
        f"{theirs}dong-y-thay-doi/",
        {"dong-y-thay-doi-note": "Đồng ý", "dong-y-thay-doi-revision": incoming.revision},
    )
    assert accepted.status_code == 302
    incoming.refresh_from_db()
    assert incoming.summary.endswith("năm 2026") and incoming.urgency == "urgent"
    assert statuses(document) == ["03", "15"]

    client.force_login(justice.clerk)
    shown = client.get(page).content.decode()
    assert "Đồng ý thu hồi/cập nhật" in shown and "Đồng ý cập nhật thông tin văn bản" in shown


def test_the_leader_replaces_a_sent_document_and_the_receiver_refuses_the_replacement(justice, ward, client):
    """The replace form starts a draft that replaces the sent document; issued and sent, it goes as
    business type 3 naming the old one; the receiver's clerk refuses it (16), and the sender's page
    shows it."""
    document, incoming = sent_to_ward(justice, ward)
    page = f"/can-bo/van-ban/{document.pk}/"
    client.force_login(justice.leader)
    assert client.post(f"{page}thay-the/", {"thay-the-reason": ""}).status_code == 400
    started = client.post(f"{page}thay-the/", {"thay-the-reason": "Sai thẩm quyền ký"})
    assert started.status_code == 302
    draft = OfficialDocument.objects.get(replaces=document)
    assert started["Location"] == f"/can-bo/van-ban/{draft.pk}/"
    assert (draft.status, draft.replace_reason, draft.notation) == (Status.DRAFT, "Sai thẩm quyền ký", "")
    assert [r.organ_id for r in draft.recipients.filter(channel="electronic")] == [ward.agency.code]
    shown = client.get(page).content.decode()
    assert "Văn bản thay thế đang được soạn thảo" in shown  # one replacement at a time
    assert client.post(f"{page}thay-the/", {"thay-the-reason": "Lần nữa"}).status_code == 409

    document_factories.issue_draft(justice, draft)
    documents.send(draft, actor=justice.clerk)
    draft.refresh_from_db()
    sent = Package.objects.get(direction=Direction.OUT, message_type="edoc", business_type=3)
    data = bytes(sent.raw)
    schema.validate(edxml.read_xml(data))
    pkg = edxml.parse(edxml.read_xml(data))
    assert [r.document_id for r in pkg.business.replacements] == [document.exchange_id]
    assert [r.document_id for r in pkg.header.response_for] == [document.exchange_id]
    assert pkg.header.document_id == draft.exchange_id != document.exchange_id
    new = OfficialDocument.objects.get(agency=ward.agency, replaces=incoming)
    assert new.sender_notation == draft.notation and new.status == Status.RECEIVED

    theirs = f"/can-bo/van-ban/{incoming.pk}/"
    client.force_login(ward.clerk)
    shown = client.get(theirs).content.decode()
    assert "Thay thế bằng văn bản mới" in shown and draft.notation in shown
    refused = client.post(f"{theirs}tu-choi-thay-doi/", {"tu-choi-thay-doi-note": ""})
    assert refused.status_code == 400
    done = client.post(f"{theirs}tu-choi-thay-doi/", {"tu-choi-thay-doi-note": "Văn bản cũ đã giao xử lý"})
    assert done.status_code == 302
    incoming.refresh_from_db()
    new.refresh_from_db()
    assert (incoming.status, new.status) == (Status.REGISTERED, Status.REFUSED)
    assert statuses(document) == ["03", "16"]
    client.force_login(justice.leader)
    assert "Văn bản cũ đã giao xử lý" in client.get(page).content.decode()


def test_an_accepted_replacement_marks_the_old_document_replaced(justice, ward):
    document, incoming = sent_to_ward(justice, ward)
    draft = documents.start_replacement(document, actor=justice.clerk, reason="Sai số liệu")
    document_factories.issue_draft(justice, draft)
    documents.send(draft, actor=justice.clerk)
    new = OfficialDocument.objects.get(agency=ward.agency, replaces=incoming)
    documents.accept_amendment(incoming, actor=ward.leader)
    incoming.refresh_from_db()
    assert incoming.status == Status.REPLACED
    assert statuses(document) == ["03", "15"]
    documents.register_incoming(new, actor=ward.clerk)
    assert statuses(draft) == ["03"]
    assert document.recipients.get(organ_id=ward.agency.code).status_code == "15"
