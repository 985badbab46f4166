"""Received packages and official documents (in one deployment; the two-deployment test does the
round trip): a new document is filed as an incoming one; a recall is accepted while the document is
open (15, 13), an update or a replacement is put to the clerk or a leader who accepts (15) or refuses
(16) it; each is refused at once (16) when the document is closed; a status
message is recorded on the recipient of our document; an issued document sent to a peer is queued
as a valid, signed package."""

import datetime
import secrets

import pytest

from motcua.core import clock
from motcua.documents import rules
from motcua.documents import services as documents
from motcua.documents.constants import ActionType, Status
from motcua.documents.models import OfficialDocument
from motcua.documents.tests import factories as document_factories
from motcua.dossiers.errors import InvalidInput, NotAllowed
from motcua.exchange import edxml, schema, services, signature
from motcua.exchange.constants import Direction, StatusCode
from motcua.exchange.models import Package
from motcua.exchange.tests import factories
from motcua.signing import services as signing_services
from motcua.signing import testca

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau():
    bureau = document_factories.make_bureau(code="000.00.00.H01")
    issued = factories.issued_for(bureau.agency.code, bureau.agency.name)
    password = secrets.token_urlsafe(8)
    signing_services.import_pkcs12(
        testca.pkcs12_bytes(issued, [factories.test_root()], password), password, agency=bureau.agency
    )
    return bureau


@pytest.fixture
def sender():
    return factories.remote_agency()


def receive(pkg, sender) -> Package:
    return services.receive(factories.signed(pkg, sender)).package


def statuses_sent() -> list[str]:
    return list(
        Package.objects.filter(direction=Direction.OUT, message_type="status")
        .order_by("id")
        .values_list("status_code", flat=True)
    )


def test_a_new_document_is_filed_as_incoming(bureau, sender):
    row = receive(factories.package(), sender)
    document = row.document
    assert document.status == Status.RECEIVED
    assert (document.sender_organ_id, document.sender_notation, document.exchange_id) == (
        sender.code,
        "15/UBND-VP",
        row.edxml_document_id,
    )
    assert document.summary == "Về việc phối hợp kiểm tra liên ngành"
    assert document.signer_name == "Nguyễn Văn An"
    assert document.received_electronically
    assert [f.name for f in document.files.all()] == ["cong-van-15.pdf"]


def test_the_steps_of_the_receiver_are_sent_back(bureau, sender):
    document = receive(factories.package(), sender).document
    documents.register_incoming(document, actor=bureau.clerk)
    documents.assign(document, actor=bureau.leader, officer=bureau.specialist, due_on=clock.localdate())
    documents.start_processing(document, actor=bureau.specialist)
    documents.close(document, actor=bureau.specialist)
    assert statuses_sent() == ["03", "04", "05", "06"]
    first = Package.objects.filter(direction=Direction.OUT).order_by("id").first()
    status = edxml.parse(signature.verify(bytes(first.raw), factories.issued_for(bureau.agency.code, "").pem))
    assert status.response_for.document_id == document.exchange_id
    assert status.staff_info.staff == bureau.clerk.full_name


def test_a_recall_of_an_open_document_is_accepted(bureau, sender):
    document = receive(factories.package(), sender).document
    receive(factories.package(business=1), sender)
    document.refresh_from_db()
    assert document.status == Status.RECALLED
    assert statuses_sent() == ["15", "13"]


def test_a_recall_of_a_closed_document_is_refused(bureau, sender):
    document = receive(factories.package(), sender).document
    documents.register_incoming(document, actor=bureau.clerk)
    documents.assign(document, actor=bureau.leader, officer=bureau.specialist, due_on=clock.localdate())
    documents.close(document, actor=bureau.specialist)
    receive(factories.package(business=1), sender)
    document.refresh_from_db()
    assert document.status == Status.CLOSED
    assert statuses_sent()[-1] == "16"


def last_status(bureau) -> edxml.StatusMessage:
    """The last status message we sent, its signature checked."""
    answer = Package.objects.filter(direction=Direction.OUT).order_by("-id").first()
    pem = factories.issued_for(bureau.agency.code, "").pem
    return edxml.parse(signature.verify(bytes(answer.raw), pem))


def updated(subject="Về việc phối hợp kiểm tra liên ngành (sửa đổi)", **kwargs) -> edxml.Package:
    pkg = factories.package(business=2, subject=subject, **kwargs)
    pkg.business.reason = "Sửa trích yếu cho đúng"
    pkg.business.staff_info = edxml.StaffInfo(staff="Văn thư bên kia")
    return pkg


def replacing(old: OfficialDocument, number: str = "16") -> edxml.Package:
    """A new document (its own number) that replaces ``old`` (ReplacementInfo and ResponseFor)."""
    pkg = factories.package(business=3, number=number, subject="Về việc phối hợp kiểm tra (thay thế)")
    pkg.header.document_id = edxml.document_id(
        pkg.header.from_.organ_id, pkg.header.promulgation_info.date, pkg.header.code
    )
    pkg.header.response_for = [
        edxml.ResponseFor(old.sender_organ_id, old.sender_notation, old.sender_date, old.exchange_id)
    ]
    pkg.business.reason = "Thay thế do sai thẩm quyền ký"
    pkg.business.replacements = [edxml.Replacement(old.exchange_id, [old.agency.code])]
    return pkg


def test_an_update_waits_for_the_clerk_who_accepts_it(bureau, sender):
    """An update is put to the clerk (nothing changes, nothing is answered); accepting applies the
    changed details and sends 15."""
    old = receive(factories.package(), sender).document
    documents.register_incoming(old, actor=bureau.clerk)
    receive(updated(), sender)
    old.refresh_from_db()
    assert old.summary == "Về việc phối hợp kiểm tra liên ngành" and old.status == Status.REGISTERED
    amendment = old.amendments.get()
    assert (amendment.kind, amendment.state, amendment.reason, amendment.staff) == (
        "update",
        "pending",
        "Sửa trích yếu cho đúng",
        "Văn thư bên kia",
    )
    assert amendment.changes == {
        "summary": ["Về việc phối hợp kiểm tra liên ngành", "Về việc phối hợp kiểm tra liên ngành (sửa đổi)"]
    }
    assert statuses_sent() == ["03"]
    assert ActionType.ACCEPT_AMENDMENT in rules.allowed(bureau.clerk, old)
    assert ActionType.ACCEPT_AMENDMENT not in rules.allowed(bureau.specialist, old)
    with pytest.raises(NotAllowed):
        documents.accept_amendment(old, actor=bureau.specialist)

    documents.accept_amendment(old, actor=bureau.clerk, note="Đã cập nhật")
    old.refresh_from_db()
    assert old.summary.endswith("(sửa đổi)") and old.status == Status.REGISTERED
    assert statuses_sent() == ["03", "15"]
    assert ActionType.ACCEPT_AMENDMENT not in rules.allowed(bureau.clerk, old)  # decided
    answer = Package.objects.filter(direction=Direction.OUT).order_by("-id").first()
    status = edxml.parse(
        signature.verify(bytes(answer.raw), factories.issued_for(bureau.agency.code, "").pem)
    )
    assert status.response_for.document_id == old.exchange_id
    assert status.staff_info.staff == bureau.clerk.full_name


def test_an_update_refused_by_the_leader_changes_nothing_and_says_why(bureau, sender):
    old = receive(factories.package(), sender).document
    receive(updated(), sender)
    with pytest.raises(InvalidInput) as error:
        documents.refuse_amendment(old, actor=bureau.leader, note="  ")
    assert "note" in error.value.errors
    documents.refuse_amendment(old, actor=bureau.leader, note="Văn bản đã được giao xử lý theo nội dung cũ")
    old.refresh_from_db()
    assert old.summary == "Về việc phối hợp kiểm tra liên ngành"
    assert old.amendments.get().state == "refused"
    assert statuses_sent() == ["16"]
    answer = Package.objects.filter(direction=Direction.OUT).order_by("-id").first()
    status = edxml.parse(
        signature.verify(bytes(answer.raw), factories.issued_for(bureau.agency.code, "").pem)
    )
    assert status.description == "Văn bản đã được giao xử lý theo nội dung cũ"


def test_a_replacement_is_filed_beside_the_old_one_and_accepted(bureau, sender):
    old = receive(factories.package(), sender).document
    receive(replacing(old), sender)
    new = OfficialDocument.objects.exclude(pk=old.pk).get()
    assert (new.replaces, new.status, new.sender_notation) == (old, Status.RECEIVED, "16/UBND-VP")
    assert new.replace_reason == ""
    amendment = old.amendments.get()
    assert (amendment.kind, amendment.replacement, amendment.reason) == (
        "replace",
        new,
        "Thay thế do sai thẩm quyền ký",
    )
    old.refresh_from_db()
    assert old.status == Status.RECEIVED and statuses_sent() == []
    documents.accept_amendment(old, actor=bureau.leader)
    old.refresh_from_db()
    assert old.status == Status.REPLACED and list(old.replaced_by.all()) == [new]
    assert statuses_sent() == ["15"]
    # The new document goes on as any other: its own statuses, about itself.
    documents.register_incoming(new, actor=bureau.clerk)
    assert statuses_sent() == ["15", "03"]
    last = Package.objects.filter(direction=Direction.OUT).order_by("-id").first()
    assert last.edxml_document_id == new.exchange_id != old.exchange_id


def test_a_refused_replacement_leaves_the_old_document_and_refuses_the_new(bureau, sender):
    old = receive(factories.package(), sender).document
    receive(replacing(old), sender)
    new = OfficialDocument.objects.exclude(pk=old.pk).get()
    documents.refuse_amendment(old, actor=bureau.clerk, note="Không có căn cứ thay thế")
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == (Status.RECEIVED, Status.REFUSED)
    assert statuses_sent() == ["16"]


def test_a_replacement_found_by_its_response_for_alone_is_put_to_the_clerk(bureau, sender):
    """A sender that does not write ReplacementInfoList: the ResponseFor names the replaced one."""
    old = receive(factories.package(), sender).document
    pkg = replacing(old)
    pkg.business.replacements = []
    receive(pkg, sender)
    assert old.amendments.get().kind == "replace"


def test_an_update_of_a_closed_document_is_refused_at_once(bureau, sender):
    old = receive(factories.package(), sender).document
    documents.register_incoming(old, actor=bureau.clerk)
    documents.assign(old, actor=bureau.leader, officer=bureau.specialist, due_on=clock.localdate())
    documents.close(old, actor=bureau.specialist)
    receive(updated(), sender)
    assert not old.amendments.exists()
    assert statuses_sent()[-1] == "16"


def test_a_recall_of_a_document_we_never_received_is_refused(bureau, sender):
    receive(factories.package(business=1), sender)
    assert statuses_sent() == ["16"]
    assert not OfficialDocument.objects.exists()


def test_our_issued_document_goes_to_the_peer_and_its_status_comes_back(bureau, sender):
    peer_agency = document_factories.AgencyFactory(code=sender.code, name=sender.name)
    document = document_factories.issued(bureau, to=[peer_agency], kind="cong-van")
    documents.send(document, actor=bureau.clerk)
    document.refresh_from_db()
    row = Package.objects.get(direction=Direction.OUT, message_type="edoc")
    assert row.document == document and row.recipient.organ_id == sender.code
    data = bytes(row.raw)
    schema.validate(edxml.read_xml(data))
    pkg = edxml.parse(signature.verify(data, factories.issued_for(bureau.agency.code, "").pem))
    assert pkg.header.document_id == document.exchange_id
    assert str(pkg.header.code) == document.notation
    assert [a.content_type for a in pkg.attachments] == ["application/pdf"]
    # The peer answers with 04.
    status = edxml.StatusMessage(
        response_for=edxml.ResponseFor(
            bureau.agency.code, document.notation, document.issued_on, document.exchange_id
        ),
        from_=edxml.Organization(sender.code, sender.name),
        status_code=StatusCode.ASSIGNED,
        timestamp=datetime.datetime.now(edxml.VIETNAM).replace(microsecond=0),
        staff_info=edxml.StaffInfo(staff="Văn thư bên kia"),
    )
    receive(status, sender)
    recipient = document.recipients.get(organ_id=sender.code)
    assert recipient.status_code == "04"


def test_the_api_gives_the_package_as_received_to_the_officers_of_the_agency(bureau, sender):
    from django.test import Client

    from motcua.accounts.services import issue_token

    data = factories.signed(factories.package(), sender)
    document = services.receive(data).package.document
    clerk = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(bureau.clerk)[0]}"}
    answer = Client().get(f"/api/documents/{document.pk}/edxml", **clerk)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/xml"
    assert answer.content == data
    stranger = document_factories.make_bureau("Ủy ban nhân dân phường Khác", "UBND", "Phường Khác")
    other = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(stranger.clerk)[0]}"}
    assert Client().get(f"/api/documents/{document.pk}/edxml", **other).status_code == 404
    assert Client().get(f"/api/documents/{document.pk}/edxml").status_code == 401
