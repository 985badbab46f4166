"""Received packages and official documents (in one deployment; the two-deployment test does the
round trip): a new document is filed as an incoming one; recall, update and replace are accepted
while the document is open (15, and 13 for a recall) and refused once it is closed (16); a status
message is recorded on the recipient of our document; an issued document sent to a peer is queued
as a valid, signed package."""

import datetime
import secrets

import pytest

from motcua.core import clock
from motcua.documents import services as documents
from motcua.documents.constants import Status
from motcua.documents.models import OfficialDocument
from motcua.documents.tests import factories as document_factories
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


def test_an_update_files_the_new_version_and_recalls_the_old(bureau, sender):
    old = receive(factories.package(), sender).document
    receive(factories.package(business=2, subject="Về việc phối hợp kiểm tra liên ngành (sửa đổi)"), sender)
    old.refresh_from_db()
    assert old.status == Status.RECALLED
    new = OfficialDocument.objects.exclude(pk=old.pk).get()
    assert new.summary.endswith("(sửa đổi)") and new.status == Status.RECEIVED
    assert statuses_sent() == ["15"]


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
