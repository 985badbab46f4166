"""Receiving packages: from a configured peer with a good signature they are stored byte for byte;
a tampered package, a package signed with another key and one from an unknown sender are refused and
written to the audit log; the API answers 201, 403 and 422 accordingly."""

import pytest
from django.test import Client

from motcua.core.models import AuditEntry
from motcua.exchange import edxml, services
from motcua.exchange.constants import Direction, PackageState, StatusCode
from motcua.exchange.models import Package, StatusMessage
from motcua.exchange.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours(document_types):
    return factories.local_agency()


@pytest.fixture
def peer():
    return factories.remote_agency()


def test_a_signed_package_from_a_peer_is_stored_byte_for_byte(ours, peer):
    data = factories.signed(factories.package(), peer)
    receipt = services.receive(data)
    row = receipt.package
    assert not receipt.duplicate
    assert bytes(row.raw) == data
    assert row.sha256 == Package.digest(data)
    assert (row.direction, row.state, row.agency, row.peer) == (
        Direction.IN,
        PackageState.RECEIVED,
        ours.agency,
        peer.extra["peer"],
    )
    assert row.code == "15/UBND-VP"
    assert row.subject == "Về việc phối hợp kiểm tra liên ngành"
    assert AuditEntry.objects.filter(action="exchange.package_received").count() == 1
    # The same bytes again (a retry after a lost answer) are the same package.
    again = services.receive(data)
    assert again.duplicate and again.package.pk == row.pk
    assert Package.objects.filter(direction=Direction.IN).count() == 1


def test_a_package_with_one_character_changed_in_the_subject_is_refused(ours, peer):
    data = factories.signed(factories.package(subject="Về việc phối hợp kiểm tra liên ngành"), peer)
    tampered = data.replace("kiểm tra".encode(), "kiềm tra".encode())
    assert tampered != data and len(tampered) == len(data)
    with pytest.raises(services.Refused) as refused:
        services.receive(tampered)
    assert refused.value.status == 422
    assert "Digest mismatch" in refused.value.reason
    assert not Package.objects.exists()
    entry = AuditEntry.objects.get(action="exchange.package_refused")
    assert entry.data["sender"] == peer.code and entry.data["status"] == 422


def test_a_package_signed_with_another_key_is_refused(ours, peer):
    impostor = factories.remote_agency("000.00.00.H03", "Kẻ mạo danh", peer=False)
    pkg = factories.package(sender=peer.code)
    with pytest.raises(services.Refused) as refused:
        services.receive(factories.signed(pkg, impostor))
    assert refused.value.status == 422
    assert not Package.objects.exists()


def test_an_unknown_sender_is_refused(ours):
    stranger = factories.remote_agency("000.00.00.H09", "Cơ quan lạ", peer=False)
    with pytest.raises(services.Refused) as refused:
        services.receive(factories.signed(factories.package(sender=stranger.code), stranger))
    assert refused.value.status == 403
    assert AuditEntry.objects.get(action="exchange.package_refused").data["sender"] == stranger.code


def test_an_inactive_peer_is_an_unknown_sender(ours, peer):
    peer.extra["peer"].active = False
    peer.extra["peer"].save()
    with pytest.raises(services.Refused) as refused:
        services.receive(factories.signed(factories.package(), peer))
    assert refused.value.status == 403


def test_a_package_for_none_of_our_agencies_is_refused(ours, peer):
    with pytest.raises(services.Refused) as refused:
        services.receive(factories.signed(factories.package(to="000.00.00.H77"), peer))
    assert refused.value.status == 422 and "000.00.00.H77" in refused.value.reason


def test_an_unsigned_package_is_refused(ours, peer):
    data = edxml.serialize(edxml.build_package(factories.package(), placeholder=False))
    with pytest.raises(services.Refused) as refused:
        services.receive(data)
    assert refused.value.status == 422 and "no signature" in refused.value.reason


def test_a_status_message_is_logged(ours, peer):
    import datetime

    status = edxml.StatusMessage(
        response_for=edxml.ResponseFor(
            ours.code, "7/UBND-VP", datetime.date(2026, 3, 1), "X,2026/03/01,7/UBND-VP"
        ),
        from_=edxml.Organization(peer.code, peer.name),
        status_code=StatusCode.RECEIVED,
        timestamp=datetime.datetime(2026, 3, 2, 10, 0, tzinfo=edxml.VIETNAM),
        staff_info=edxml.StaffInfo(staff="Văn thư"),
    )
    row = services.receive(factories.signed(status, peer)).package
    log = StatusMessage.objects.get()
    assert (log.package, log.status_code, log.edxml_document_id, log.staff) == (
        row,
        "03",
        "X,2026/03/01,7/UBND-VP",
        "Văn thư",
    )


def post(data: bytes, content_type: str = "application/xml"):
    return Client().post("/api/exchange/edxml", data=data, content_type=content_type)


def test_the_api_receives_a_package(ours, peer):
    data = factories.signed(factories.package(), peer)
    answer = post(data)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    row = Package.objects.get()
    assert body == {
        "id": row.pk,
        "code_number": "15",
        "code_notation": "UBND-VP",
        "from_organ_id": peer.code,
        "subject": "Về việc phối hợp kiểm tra liên ngành",
        "status_code": "",
    }
    assert post(data).status_code == 200


def test_the_api_refuses_a_tampered_package_with_the_reason(ours, peer):
    data = factories.signed(factories.package(), peer).replace("phối hợp".encode(), "phối hộp".encode())
    answer = post(data)
    assert answer.status_code == 422
    assert "signature" in answer.json()["detail"]


def test_the_api_refuses_an_unknown_sender(ours):
    stranger = factories.remote_agency("000.00.00.H09", "Cơ quan lạ", peer=False)
    answer = post(factories.signed(factories.package(sender=stranger.code), stranger))
    assert answer.status_code == 403
    assert stranger.code in answer.json()["detail"]


def test_the_api_wants_xml(ours):
    assert post(b"{}", "application/json").status_code == 415
    assert post(b"<not-closed").status_code == 422
