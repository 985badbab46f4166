"""Sync in: a dossier submitted on the stand-in national portal is taken into the reception queue of
its agency, processed and returned here, and the portal sees every step; taken once whatever happens;
kept as a failed row with its reason when it cannot be taken; nothing lost while the portal is down."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from motcua.dossiers import selectors, services
from motcua.dossiers.constants import AttachmentKind, Channel, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import PDF, PNG, procedure_without_approval
from motcua.integrations.constants import InboundState, SyncState
from motcua.integrations.models import InboundDossier, NationalSync
from motcua.integrations.national import inbound, sync
from motcua.integrations.national.client import NationalPortalClient, NationalPortalError


def _submit(portal, office, **fields) -> str:
    documents = {d.name: d for d in office.version.documents.all()}
    defaults = {
        "MaTTHC": "1.001193",
        "MaDonViTiepNhan": office.agency.code,
        "ChuHoSo": "Lê Thị Bình",
        "SoDinhDanh": "008090000456",
        "SoDienThoai": "0912000002",
        "Email": "binh@example.vn",
        "DuLieuToKhai": {"child_name": "Lê Minh Anh", "sex": "Nữ"},
    }
    files = [
        ("to-khai.pdf", PDF, str(documents["Tờ khai đăng ký khai sinh"].pk)),
        ("giay-chung-sinh.png", PNG, str(documents["Giấy chứng sinh"].pk)),
    ]
    return portal.submit(files=fields.pop("files", files), **{**defaults, **fields})


def _process(office, dossier, committed):
    for act in (
        lambda: services.receive(dossier, actor=office.reception),
        lambda: services.forward(dossier, actor=office.specialist, note="Hồ sơ hợp lệ"),
        lambda: services.attach_result(dossier, actor=office.leader),
        lambda: services.approve(dossier, actor=office.leader),
        lambda: services.return_result(dossier, actor=office.reception),
    ):
        with committed():
            act()
    dossier.refresh_from_db()


def test_a_dossier_submitted_on_the_portal_is_received_processed_and_returned_and_the_portal_sees_it(
    office, national_portal, committed
):
    code = _submit(national_portal, office)

    with committed():
        counts = inbound.receive()

    assert counts[inbound.TAKEN] == 1 and counts[inbound.ACKNOWLEDGED] == 1
    row = InboundDossier.objects.get(national_code=code)
    dossier = row.dossier
    assert row.state == InboundState.TAKEN and dossier is not None
    # In the reception queue officers use, with its files stored through the upload checks.
    queue = selectors.reception_queue(office.reception)
    assert [d.pk for d in queue.rows] == [dossier.pk]
    assert dossier.status == Status.SUBMITTED and dossier.channel == Channel.ONLINE
    assert dossier.receiving_agency == office.agency and dossier.applicant is None
    assert dossier.applicant_identity == "008090000456" and dossier.form_data["child_name"] == "Lê Minh Anh"
    files = list(dossier.attachments.filter(kind=AttachmentKind.APPLICANT).order_by("id"))
    assert [(f.original_name, f.content_type, f.document.name) for f in files] == [
        ("to-khai.pdf", "application/pdf", "Tờ khai đăng ký khai sinh"),
        ("giay-chung-sinh.png", "image/png", "Giấy chứng sinh"),
    ]
    submit_action = dossier.actions.get()
    assert code in submit_action.note and "Cổng Dịch vụ công quốc gia" in submit_action.note
    # The portal was told, and lists it no more.
    answer = national_portal.submissions()[code]["answer"]
    assert answer == {"MaHoSo": code, "KetQua": "1", "MaHoSoTiepNhan": dossier.code, "GhiChu": ""}
    with committed():
        assert inbound.receive()[inbound.TAKEN] == 0

    _process(office, dossier, committed)

    held = national_portal.dossier(code)
    assert held["item"]["MaHoSo"] == code and held["item"]["TrangThaiHoSo"] == "10"
    statuses = [step["TrangThai"] for step in held["progress"]]
    assert statuses == [str(a.status_after) for a in dossier.actions.order_by("id")]
    assert statuses[0] == "1" and statuses[-2:] == ["9", "10"]
    assert all(step["MaHoSo"] == code for step in held["progress"])
    assert NationalSync.objects.get(dossier=dossier).state == SyncState.SYNCED
    assert "Đã nhận, mã tại tỉnh " + (dossier.code or "") in national_portal.page()


def test_the_staff_see_the_channel_and_find_the_dossier_by_its_national_code(
    office, national_portal, committed
):
    code = _submit(national_portal, office)
    with committed():
        inbound.receive()
    dossier = InboundDossier.objects.get(national_code=code).dossier
    client = Client()
    client.force_login(office.reception)

    page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    found = client.get("/can-bo/tra-cuu-ho-so/", {"code": code}).content.decode()

    assert "Nộp qua Cổng Dịch vụ công quốc gia" in page and code in page
    assert dossier.code in found


def test_the_same_dossier_taken_twice_creates_one_dossier(office, national_portal, committed):
    code = _submit(national_portal, office)
    client = NationalPortalClient.from_settings()
    (item,) = client.submitted_dossiers(10)

    with committed():
        assert inbound.take(item, client=client) == inbound.TAKEN
        assert inbound.take(item, client=client) == inbound.DUPLICATE
        assert inbound.receive()[inbound.ACKNOWLEDGED] == 1
    # The acknowledgement lost on the way: the portal lists it again, the province tells it again.
    national_portal.control(forget_answers=True)
    with committed():
        counts = inbound.receive()

    assert counts[inbound.DUPLICATE] == 1 and counts[inbound.ACKNOWLEDGED] == 1
    assert Dossier.objects.count() == 1 and InboundDossier.objects.count() == 1
    assert national_portal.submissions()[code]["answer"]["KetQua"] == "1"
    with committed():
        assert not inbound.receive()[inbound.DUPLICATE]


class AcknowledgementLost(NationalPortalClient):
    """The portal's adapter, whose first acknowledgement never arrives."""

    lost = 0

    def acknowledge(self, items):
        if not self.lost:
            self.lost += 1
            raise NationalPortalError("national portal unreachable: timed out")
        return super().acknowledge(items)


def test_a_dossier_taken_before_the_portal_went_down_is_acknowledged_next_time(
    office, national_portal, committed, settings
):
    code = _submit(national_portal, office)
    base = NationalPortalClient.from_settings()
    client = AcknowledgementLost(
        url=base.url, username=base.username, password=base.password, madonvi=base.madonvi
    )

    with committed(), pytest.raises(NationalPortalError):
        inbound.receive(client=client)

    row = InboundDossier.objects.get(national_code=code)
    assert row.state == InboundState.TAKEN and row.acknowledged_at is None
    assert national_portal.submissions()[code]["answer"] is None
    with committed():
        counts = inbound.receive(client=client)
    assert counts[inbound.ACKNOWLEDGED] == 1 and not counts[inbound.TAKEN]
    assert national_portal.submissions()[code]["answer"]["MaHoSoTiepNhan"] == row.dossier.code
    assert Dossier.objects.count() == 1


def test_an_unknown_procedure_is_kept_as_a_failed_row_and_taken_once_the_catalogue_has_it(
    office, national_portal, committed
):
    code = _submit(national_portal, office, MaTTHC="1.000001", files=[("to-khai.pdf", PDF, "")])

    with committed():
        counts = inbound.receive()

    assert counts[inbound.FAILED] == 1 and not Dossier.objects.exists()
    row = InboundDossier.objects.get(national_code=code)
    assert row.state == InboundState.FAILED and "1.000001" in row.reason
    answer = national_portal.submissions()[code]["answer"]
    assert answer["KetQua"] == "0" and "1.000001" in answer["GhiChu"]
    # Staff see it with the reason.
    client = Client()
    client.force_login(office.reception)
    listing = client.get("/can-bo/ho-so-cong-quoc-gia/").content.decode()
    assert code in listing and "1.000001" in listing and "Chưa nhận được, cần xử lý" in listing

    procedure_without_approval(office)  # the catalogue is put right
    answer_page = client.post(f"/can-bo/ho-so-cong-quoc-gia/{row.pk}/nhan-lai/", follow=True)

    assert answer_page.status_code == 200
    row.refresh_from_db()
    assert row.state == InboundState.TAKEN and row.attempts == 2
    assert row.dossier.procedure_version.procedure.code == "1.000001"
    assert row.dossier.attachments.get().original_name == "to-khai.pdf"
    with committed():
        inbound.receive()
    assert national_portal.submissions()[code]["answer"]["KetQua"] == "1"


def test_an_unknown_agency_and_a_refused_file_are_kept_with_the_reason(office, national_portal, committed):
    unknown_agency = _submit(national_portal, office, MaDonViTiepNhan="000.99.99.H59")
    not_a_pdf = _submit(national_portal, office, files=[("to-khai.pdf", b"<html>not a pdf</html>", "")])
    wrong_agency = _submit(national_portal, office, MaDonViTiepNhan=office.agency.code, MaTTHC="1.001193")
    # A ward that does not receive this procedure's dossiers.
    office.version.agencies.remove(office.other_agency)
    other = _submit(national_portal, office, MaDonViTiepNhan=office.other_agency.code)

    with committed():
        counts = inbound.receive()

    assert counts[inbound.FAILED] == 3 and counts[inbound.TAKEN] == 1
    reasons = {
        row.national_code: row.reason for row in InboundDossier.objects.filter(state=InboundState.FAILED)
    }
    assert "000.99.99.H59" in reasons[unknown_agency]
    assert "to-khai.pdf" in reasons[not_a_pdf] and "không phải PDF" in reasons[not_a_pdf]
    assert "Đơn vị không tiếp nhận thủ tục này" in reasons[other]
    assert InboundDossier.objects.get(national_code=wrong_agency).state == InboundState.TAKEN


def test_a_file_the_portal_cannot_serve_is_a_failed_row(office, national_portal, committed):
    code = _submit(national_portal, office)
    national_portal.control(fail_files=True)

    with committed():
        inbound.receive()

    row = InboundDossier.objects.get(national_code=code)
    assert row.state == InboundState.FAILED and "HTTP 404" in row.reason


def test_with_the_portal_down_nothing_is_lost_either_way(office, national_portal, committed):
    code = _submit(national_portal, office)
    with committed():
        inbound.receive()
    dossier = InboundDossier.objects.get(national_code=code).dossier
    later_code = _submit(national_portal, office, ChuHoSo="Phạm Văn Cường")
    national_portal.stop()
    try:
        with pytest.raises(NationalPortalError):
            inbound.receive()
        assert InboundDossier.objects.count() == 1  # nothing of the second one written
        with committed():
            services.receive(dossier, actor=office.reception)
        assert NationalSync.objects.get(dossier=dossier).state == SyncState.FAILED
    finally:
        national_portal.start()

    with committed():
        counts = inbound.receive()
    assert counts[inbound.TAKEN] == 1
    assert InboundDossier.objects.get(national_code=later_code).state == InboundState.TAKEN
    assert sync.sync_due(now=timezone.now() + datetime.timedelta(days=1)) >= 1
    held = national_portal.dossier(code)
    assert held["item"]["TrangThaiHoSo"] == str(Status(dossier.status).value)
    assert [s["TrangThai"] for s in held["progress"]] == [
        str(a.status_after) for a in dossier.actions.order_by("id")
    ]


def test_receive_national_takes_what_waits(office, national_portal, committed):
    from io import StringIO

    from django.core.management import call_command

    _submit(national_portal, office)
    out = StringIO()

    with committed():
        call_command("receive_national", stdout=out)

    assert "taken 1" in out.getvalue()
    assert Dossier.objects.filter(status=Status.SUBMITTED).count() == 1


def test_reconciliation_repairs_a_dossier_from_the_portal_under_its_national_code(
    office, national_portal, committed
):
    from motcua.dossiers import events
    from motcua.integrations.national import reconcile
    from motcua.integrations.national.mapping import VIETNAM, dossier_item

    code = _submit(national_portal, office)
    with committed():
        inbound.receive()
    dossier = InboundDossier.objects.get(national_code=code).dossier
    with events.muted():  # a change the adapter never heard of
        services.receive(dossier, actor=office.reception)
    dossier.refresh_from_db()
    assert national_portal.dossier(code)["item"]["TrangThaiHoSo"] == "1"

    (finding,) = reconcile.reconcile(timezone.now().astimezone(VIETNAM).date())

    assert finding.code == dossier.code and finding.outcome == reconcile.DIFFERENT
    assert finding.state_after == "synced"
    assert national_portal.dossier(code)["item"] == dossier_item(dossier)
