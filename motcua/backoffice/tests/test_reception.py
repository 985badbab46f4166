"""The reception queue and the reception actions (receive, request a supplement, refuse)."""

import re

from django.utils import timezone

from motcua.backoffice.tests.pages import check_page
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import submitted


def test_the_queue_lists_new_dossiers_of_the_officer_s_agency_only(office, as_user):
    dossier = submitted(office)
    elsewhere = submitted(office, agency=office.other_agency)
    Dossier.objects.filter(pk=elsewhere.pk).update(applicant_name="Người ở phường khác")

    response = as_user(office.reception).get("/can-bo/tiep-nhan/")

    html = response.content.decode()
    assert response.status_code == 200
    check_page(html)
    assert f"/can-bo/ho-so/{dossier.public_id}/" in html
    assert "Nguyễn Văn An" in html and "Đăng ký khai sinh" in html
    assert timezone.localtime(dossier.submitted_at).strftime("%H:%M %d/%m/%Y") in html
    assert '<td class="num">2</td>' in html  # two documents
    assert "Người ở phường khác" not in html
    outsider = as_user(office.outsider).get("/can-bo/tiep-nhan/").content.decode()
    assert f"/can-bo/ho-so/{dossier.public_id}/" not in outsider
    assert f"/can-bo/ho-so/{elsewhere.public_id}/" in outsider


def test_the_oldest_dossier_comes_first(office, as_user):
    older, newer = submitted(office), submitted(office)
    Dossier.objects.filter(pk=newer.pk).update(submitted_at=older.submitted_at - timezone.timedelta(hours=1))

    html = as_user(office.reception).get("/can-bo/tiep-nhan/").content.decode()

    assert html.index(str(newer.public_id)) < html.index(str(older.public_id))


def test_the_queue_pages_through_every_waiting_dossier_once(office, as_user, monkeypatch):
    monkeypatch.setattr("motcua.backoffice.views.QUEUE_SIZE", 2)
    dossiers = [submitted(office) for _ in range(5)]
    start = timezone.now() - timezone.timedelta(days=1)
    # two submitted in the same second: the id breaks the tie, and neither is lost between pages
    moments = [start, start + timezone.timedelta(minutes=1), start + timezone.timedelta(minutes=1)]
    moments += [start + timezone.timedelta(minutes=2), start + timezone.timedelta(minutes=3)]
    for dossier, moment in zip(dossiers, moments, strict=True):
        Dossier.objects.filter(pk=dossier.pk).update(submitted_at=moment)
    client = as_user(office.reception)

    seen, url, pages = [], "/can-bo/tiep-nhan/", 0
    while url:
        html = client.get(url).content.decode()
        check_page(html)
        pages += 1
        assert "5 hồ sơ chờ tiếp nhận" in html
        assert ("Trang đầu" in html) == (pages > 1)
        seen += [str(d.public_id) for d in dossiers if f"/can-bo/ho-so/{d.public_id}/" in html]
        found = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = "/can-bo/tiep-nhan/" + found.group(1).replace("&amp;", "&") if found else ""

    assert pages == 3
    assert seen == [str(d.public_id) for d in dossiers]  # oldest first, each once


def test_the_queue_filters_by_procedure_and_ignores_a_mangled_cursor(office, as_user):
    dossier = submitted(office)
    client = as_user(office.reception)

    none = client.get("/can-bo/tiep-nhan/", {"procedure": "9.999999"}).content.decode()
    assert "Không có hồ sơ nào khớp bộ lọc." in none and "0 hồ sơ chờ tiếp nhận" in none
    code = office.version.procedure.code
    found = client.get("/can-bo/tiep-nhan/", {"procedure": code}).content.decode()
    assert f"/can-bo/ho-so/{dossier.public_id}/" in found and "1 hồ sơ chờ tiếp nhận" in found
    mangled = client.get("/can-bo/tiep-nhan/", {"after": "yesterday_x"})
    assert mangled.status_code == 200 and f"/can-bo/ho-so/{dossier.public_id}/" in mangled.content.decode()


def test_a_new_dossier_offers_receive_supplement_and_refuse(office, as_user):
    dossier = submitted(office)

    response = as_user(office.reception).get(f"/can-bo/ho-so/{dossier.public_id}/")

    html = response.content.decode()
    check_page(html)
    for slug in ("tiep-nhan", "yeu-cau-bo-sung", "tu-choi"):
        assert f'action="/can-bo/ho-so/{dossier.code}/{slug}/"' in html
    assert "/chuyen-buoc/" not in html and "/phe-duyet/" not in html
    assert f'name="revision" value="{dossier.revision}"' in html


def test_receiving_by_post_passes_the_dossier_to_processing_with_its_code(office, as_user):
    dossier = submitted(office)
    reception = as_user(office.reception)

    response = reception.post(
        f"/can-bo/ho-so/{dossier.public_id}/tiep-nhan/", {"revision": dossier.revision, "note": "Đủ giấy tờ"}
    )

    code = dossier.code
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and dossier.code == code
    assert response.status_code == 302 and response["Location"] == f"/can-bo/ho-so/{dossier.code}/"
    page = reception.get(response["Location"]).content.decode()
    assert f"Đã tiếp nhận hồ sơ {dossier.code}" in page
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page  # the receipt, form 01
    assert "Đủ giấy tờ" in page  # the note, in the history


def test_a_supplement_request_without_items_is_refused_and_keeps_the_text(office, as_user):
    dossier = submitted(office)

    response = as_user(office.reception).post(
        f"/can-bo/ho-so/{dossier.public_id}/yeu-cau-bo-sung/",
        {"revision": dossier.revision, "items": "  \n ", "note": "Mang bản chính khi đến nhận kết quả"},
    )

    html = response.content.decode()
    assert response.status_code == 422
    check_page(html)
    assert 'role="alert"' in html and "Liệt kê các giấy tờ, nội dung cần bổ sung" in html
    assert 'id="yeu-cau-bo-sung-items_error"' in html
    assert 'aria-describedby="yeu-cau-bo-sung-items_helptext yeu-cau-bo-sung-items_error"' in html
    assert "Mang bản chính khi đến nhận kết quả</textarea>" in html
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED


def test_a_supplement_request_lists_every_item(office, as_user):
    dossier = submitted(office)

    response = as_user(office.reception).post(
        f"/can-bo/ho-so/{dossier.public_id}/yeu-cau-bo-sung/",
        {"revision": dossier.revision, "items": "Giấy chứng sinh bản chính\r\n\r\nẢnh chụp rõ nét tờ khai\n"},
    )

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT
    assert dossier.actions.last().data["items"] == ["Giấy chứng sinh bản chính", "Ảnh chụp rõ nét tờ khai"]


def test_a_stale_revision_shows_the_conflict(office, as_user):
    dossier = submitted(office)
    reception = as_user(office.reception)
    stale = dossier.revision - 1

    response = reception.post(
        f"/can-bo/ho-so/{dossier.public_id}/tiep-nhan/", {"revision": stale, "note": "x"}
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert 'role="alert"' in html and "Hồ sơ vừa được người khác xử lý" in html
    assert f'name="revision" value="{dossier.revision}"' in html  # a deliberate second try may go through
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    # The same for a service that takes no expected revision.
    response = reception.post(
        f"/can-bo/ho-so/{dossier.public_id}/tu-choi/", {"revision": stale, "reasons": "x"}
    )
    assert response.status_code == 409
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED


def test_refusing_needs_reasons_and_then_closes_the_dossier(office, as_user):
    dossier = submitted(office)
    reception = as_user(office.reception)
    url = f"/can-bo/ho-so/{dossier.public_id}/tu-choi/"

    assert reception.post(url, {"revision": dossier.revision, "reasons": ""}).status_code == 422
    response = reception.post(url, {"revision": dossier.revision, "reasons": "Không thuộc thẩm quyền"})

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.REFUSED
    assert dossier.attachments.filter(notice_form="03").exists()


def test_an_officer_without_the_reception_role_is_told_so(office, as_user):
    dossier = submitted(office)

    page = as_user(office.specialist).get(f"/can-bo/ho-so/{dossier.public_id}/").content.decode()
    response = as_user(office.specialist).post(
        f"/can-bo/ho-so/{dossier.public_id}/tiep-nhan/", {"revision": dossier.revision}
    )

    assert "/tiep-nhan/" not in page.split('id="actions-title"')[1]
    assert response.status_code == 403 and "không có quyền" in response.content.decode()
