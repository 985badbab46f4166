"""A dossier processed to the end through the staff pages, and the other actions."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.dossiers.constants import ActionType, AttachmentKind, Status, StepKind
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import PDF, received, submitted


def _post(client, dossier, slug, **data):
    dossier.refresh_from_db()
    ref = dossier.code or dossier.public_id
    return client.post(f"/can-bo/ho-so/{ref}/{slug}/", {"revision": dossier.revision, **data})


def test_from_reception_to_the_returned_result(office, as_user):
    dossier = received(office)
    specialist, leader, reception = (as_user(u) for u in (office.specialist, office.leader, office.reception))

    response = _post(specialist, dossier, "chuyen-buoc", to_user=office.leader.pk, note="Hồ sơ hợp lệ")
    assert response.status_code == 302, response.content.decode()
    dossier.refresh_from_db()
    assert dossier.holder_user == office.leader and dossier.status == Status.PROCESSING

    page = leader.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    # Approval at the last step needs the result: offered, but not yet possible, and why.
    assert "/phe-duyet/" not in page and "hãy đính kèm kết quả trước khi phê duyệt" in page
    assert "/hoan-thanh/" not in page
    assert _post(leader, dossier, "dinh-kem-ket-qua", generate="1").status_code == 302
    assert _post(leader, dossier, "phe-duyet", note="Đồng ý").status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.READY

    page = reception.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "/tra-ket-qua/" in page
    assert _post(reception, dossier, "tra-ket-qua", note="Đã giao tận tay").status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert list(dossier.actions.order_by("id").values_list("type", flat=True)) == [
        ActionType.SUBMIT,
        ActionType.RECEIVE,
        ActionType.FORWARD,
        ActionType.ATTACH_RESULT,
        ActionType.APPROVE,
        ActionType.RETURN_RESULT,
    ]
    html = reception.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "Đã thực hiện: Trả kết quả." in html and "Kết quả giải quyết" in html


def test_an_uploaded_result_is_checked(office, as_user):
    dossier = received(office)
    specialist = as_user(office.specialist)

    bad = _post(specialist, dossier, "dinh-kem-ket-qua", file=SimpleUploadedFile("kq.pdf", b"not a pdf"))
    assert bad.status_code == 422
    assert "không phải PDF, JPG hoặc PNG" in bad.content.decode()
    assert 'id="dinh-kem-ket-qua-file_error"' in bad.content.decode()
    nothing = _post(specialist, dossier, "dinh-kem-ket-qua")
    assert nothing.status_code == 422 and "Chọn tệp kết quả" in nothing.content.decode()

    good = _post(specialist, dossier, "dinh-kem-ket-qua", file=SimpleUploadedFile("ket-qua.pdf", PDF))
    assert good.status_code == 302
    result = dossier.attachments.get(kind=AttachmentKind.RESULT)
    assert result.original_name == "ket-qua.pdf" and result.sha256


def test_send_back_needs_a_note(office, as_user):
    dossier = received(office)
    _post(as_user(office.specialist), dossier, "chuyen-buoc")
    leader = as_user(office.leader)

    missing = _post(leader, dossier, "tra-lai-buoc-truoc", note="")
    assert missing.status_code == 422 and 'id="tra-lai-buoc-truoc-note_error"' in missing.content.decode()
    assert _post(leader, dossier, "tra-lai-buoc-truoc", note="Thẩm định lại").status_code == 302
    dossier.refresh_from_db()
    assert dossier.current_step.role == "specialist"


def test_a_consultation_is_asked_and_answered_by_the_other_unit(office, as_user):
    dossier = received(office)

    asked = _post(
        as_user(office.specialist),
        dossier,
        "xin-y-kien",
        agency=office.other_agency.pk,
        question="Xác nhận nơi cư trú",
        days="2",
    )
    assert asked.status_code == 302
    step = dossier.steps.get(kind=StepKind.CONSULTATION)
    outsider = as_user(office.outsider)
    page = outsider.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()  # consulted: may see it
    assert "/tra-loi-y-kien/" in page and "Xác nhận nơi cư trú" in page

    answered = _post(outsider, dossier, "tra-loi-y-kien", step=step.pk, answer="Đúng địa chỉ")
    assert answered.status_code == 302
    step.refresh_from_db()
    assert step.completed_at is not None and step.assignee == office.outsider


def test_payment_requested_and_recorded(office, as_user):
    dossier = received(office)
    specialist, reception = as_user(office.specialist), as_user(office.reception)

    page = specialist.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert 'name="amount" value="8000"' in page  # the procedure's fee
    assert _post(specialist, dossier, "yeu-cau-nop-phi", amount="8000").status_code == 302
    bad = _post(reception, dossier, "ghi-nhan-nop-phi", amount="abc", method="cash")
    assert bad.status_code == 422
    recorded = _post(reception, dossier, "ghi-nhan-nop-phi", amount="8000", method="cash", reference="BL-01")
    assert recorded.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and dossier.payments.get().reference == "BL-01"


def test_an_overdue_dossier_gets_an_apology_then_a_stop(office, as_user):
    dossier = received(office)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    specialist, leader = as_user(office.specialist), as_user(office.leader)
    new_due = timezone.localtime() + datetime.timedelta(days=5)

    past = _post(specialist, dossier, "xin-loi", reasons="Chờ xác minh", new_due_at="2020-01-01T08:00")
    assert past.status_code == 422 and 'id="xin-loi-new_due_at_error"' in past.content.decode()
    ok = _post(specialist, dossier, "xin-loi", reasons="Chờ xác minh", new_due_at=f"{new_due:%Y-%m-%dT%H:%M}")
    assert ok.status_code == 302
    dossier.refresh_from_db()
    assert dossier.apologized and dossier.attachments.filter(notice_form="04").exists()
    page = specialist.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "/xin-loi/" not in page and "Đã gửi thư xin lỗi và hẹn lại" in page

    assert _post(leader, dossier, "dung-xu-ly", reasons="Người nộp đề nghị dừng").status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.STOPPED


def test_an_action_that_no_longer_applies_keeps_the_typed_text(office, as_user):
    dossier = submitted(office)
    reception = as_user(office.reception)
    revision = dossier.revision
    assert _post(reception, dossier, "tiep-nhan").status_code == 302

    response = reception.post(
        f"/can-bo/ho-so/{dossier.public_id}/tu-choi/", {"revision": revision, "reasons": "Thiếu chữ ký"}
    )

    assert response.status_code == 409
    assert "Thiếu chữ ký</textarea>" in response.content.decode()
