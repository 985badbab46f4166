"""The dossier page: everything about the dossier, and the forms that make sense now."""

import datetime
import re

from django.utils import timezone

from motcua.backoffice.tests.pages import check_page
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import received, submitted


def _forms(html: str) -> set[str]:
    return set(re.findall(r'action="/can-bo/ho-so/[^/]+/([a-z-]+)/"', html))


def test_the_page_shows_the_dossier(office, as_user):
    dossier = received(office)
    Dossier.objects.filter(pk=dossier.pk).update(
        subject_name="Nguyễn Minh Khôi", subject_relation="con", applicant_phone="0912345678"
    )

    response = as_user(office.specialist).get(f"/can-bo/ho-so/{dossier.code}/")

    html = response.content.decode()
    assert response.status_code == 200
    check_page(html)
    for expected in [
        f'<h1>Hồ sơ <span class="code">{dossier.code}</span></h1>',
        "Đăng ký khai sinh",
        "phiên bản 1",
        "Nguyễn Văn An",
        "Nộp thay cho",
        "Nguyễn Minh Khôi",
        "0912345678",
        "Trực tuyến",
        "Đang xử lý",
        office.agency.name,
        "Thẩm định hồ sơ",  # current step
        "Cán bộ Cán bộ tiếp nhận (một cửa)",  # who received
        # the form data with the procedure's labels
        "<dt>Họ, chữ đệm và tên của trẻ</dt><dd>Nguyễn Minh Khôi</dd>",
        "<dt>Giới tính</dt><dd>Nam</dd>",
        "<dt>Ghi chú</dt><dd>—</dd>",
        # steps and the history
        "Phê duyệt, ký kết quả",
        "Lãnh đạo phê duyệt",
        "Nộp hồ sơ",
        "Tiếp nhận hồ sơ",
        timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y"),
    ]:
        assert expected in html, expected
    receipt = dossier.attachments.get(notice_form="01")
    assert f'href="/can-bo/ho-so/{dossier.code}/tep/{receipt.pk}/"' in html
    for document in dossier.attachments.filter(kind="applicant"):
        assert f"/tep/{document.pk}/" in html


def test_the_deadline_is_explained(office, as_user):
    dossier = received(office)

    html = as_user(office.specialist).get(f"/can-bo/ho-so/{dossier.code}/").content.decode()

    section = html.split('id="deadline-title"')[1].split("</section>")[0]
    assert "Tiếp nhận lúc" in section
    assert "Thời hạn 3 ngày làm việc" in section
    assert "Hạn giải quyết:" in section
    due = timezone.localtime(dossier.due_at)
    assert f"{due:%d/%m/%Y}" in section


def test_the_explanation_shows_a_pause(office, as_user):
    dossier = received(office)
    services.request_supplement(dossier, actor=office.specialist, items=["Bản sao rõ nét"])
    specialist = as_user(office.specialist)

    paused = specialist.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()

    assert "Đang tạm dừng tính thời hạn" in paused and "Tạm dừng" in paused
    assert "<li>Bản sao rõ nét</li>" in paused  # the requested items, in the history
    assert "('files'" not in paused and "dict_items" not in paused
    assert not _forms(paused)  # waiting for the applicant: nothing for the specialist to do


def test_the_specialist_sees_the_processing_forms(office, as_user):
    dossier = received(office)

    html = as_user(office.specialist).get(f"/can-bo/ho-so/{dossier.code}/").content.decode()

    assert _forms(html) == {
        "chuyen-buoc",
        "yeu-cau-bo-sung",
        "dinh-kem-ket-qua",
        "xin-y-kien",
        "yeu-cau-nop-phi",
    }
    # forward: to the leader step's officers
    select = html.split('id="chuyen-buoc-to_user"')[1].split("</select>")[0]
    assert "Cán bộ Lãnh đạo phê duyệt" in select and "Cán bộ Chuyên viên xử lý" not in select
    assert office.other_agency.name in html.split('id="xin-y-kien-agency"')[1].split("</select>")[0]


def test_the_leader_may_stop_and_apologize_when_overdue(office, as_user):
    dossier = received(office)
    services.forward(dossier, actor=office.specialist)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))

    html = as_user(office.leader).get(f"/can-bo/ho-so/{dossier.code}/").content.decode()

    check_page(html)
    assert {"dinh-kem-ket-qua", "tra-lai-buoc-truoc", "xin-loi", "dung-xu-ly"} <= _forms(html)
    assert "chuyen-buoc" not in _forms(html)  # the last step
    # Approval is shown, not yet possible: the result comes first.
    assert "phe-duyet" not in _forms(html) and "hãy đính kèm kết quả trước khi phê duyệt" in html
    assert 'type="datetime-local"' in html
    assert "Quá hạn</span>" in html


def test_a_submitted_dossier_opens_by_its_code_or_its_public_id(office, as_user):
    dossier = submitted(office)
    reception = as_user(office.reception)

    html = reception.get(f"/can-bo/ho-so/{dossier.public_id}/").content.decode()

    by_code = reception.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert f'Hồ sơ <span class="code">{dossier.code}</span>' in html
    assert f'Hồ sơ <span class="code">{dossier.code}</span>' in by_code
    assert "Thời hạn giải quyết được tính từ khi tiếp nhận hồ sơ." in html


def test_the_page_reads_in_english_too(office, as_user):
    dossier = received(office)

    response = as_user(office.specialist).get(f"/en/can-bo/ho-so/{dossier.code}/")

    assert response.status_code == 200 and 'lang="en"' in response.content.decode()
    check_page(response.content.decode())


def test_a_dossier_due_soon_is_marked_on_its_page(office, as_user):
    dossier = received(office)
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() + datetime.timedelta(hours=3))

    html = as_user(office.specialist).get(f"/can-bo/ho-so/{dossier.code}/").content.decode()

    assert "Sắp đến hạn</span>" in html and "Quá hạn</span>" not in html
