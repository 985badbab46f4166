"""The inbox: what the officer's agencies hold, soonest deadline first, with filters and pages."""

import datetime
import re

from django.utils import timezone

from motcua.backoffice import views
from motcua.backoffice.tests.pages import check_page
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import received, submitted


def _row(html: str, code: str) -> str:
    match = re.search(
        r"<tr[^>]*>\s*<th scope=\"row\">((?!</tr>).)*" + re.escape(code) + r".*?</tr>", html, re.S
    )
    assert match, f"no row for {code}"
    return match.group(0)


def test_the_inbox_shows_the_columns_and_marks_an_overdue_dossier_in_text(office, as_user):
    late = received(office)
    on_time = received(office)
    Dossier.objects.filter(pk=late.pk).update(due_at=timezone.now() - datetime.timedelta(days=1))

    response = as_user(office.specialist).get("/can-bo/ho-so/")

    html = response.content.decode()
    assert response.status_code == 200
    check_page(html)
    for header in ("Mã hồ sơ", "Thủ tục", "Người nộp", "Trạng thái", "Đang xử lý", "Hạn trả kết quả"):
        assert f'<th scope="col">{header}</th>' in html
    row = _row(html, late.code)
    assert 'class="bo-row-overdue"' in row and "Quá hạn</span>" in row
    assert "Đang xử lý" in row and "Thẩm định hồ sơ" in row and "Nguyễn Văn An" in row
    assert "Quá hạn</span>" not in _row(html, on_time.code)
    assert html.index(late.code) < html.index(on_time.code)  # soonest deadline first


def test_a_dossier_due_soon_is_marked(office, as_user):
    soon = received(office)
    Dossier.objects.filter(pk=soon.pk).update(due_at=timezone.now() + datetime.timedelta(hours=3))

    row = _row(as_user(office.specialist).get("/can-bo/ho-so/").content.decode(), soon.code)

    assert 'class="bo-row-soon"' in row and "Sắp đến hạn</span>" in row


def test_filters(office, as_user):
    late = received(office)
    mine = received(office)
    new = submitted(office)
    Dossier.objects.filter(pk=late.pk).update(due_at=timezone.now() - datetime.timedelta(days=1))
    services.forward(mine, actor=office.specialist, to_user=office.leader)
    leader = as_user(office.leader)

    def codes(**query) -> set[str]:
        html = leader.get("/can-bo/ho-so/", query).content.decode()
        found = {d.code for d in (late, mine) if d.code in html}
        return found | ({"new"} if new.code in html else set())

    assert codes() == {late.code, mine.code, "new"}
    assert codes(status=1) == {"new"}
    assert codes(status=4) == {late.code, mine.code}
    assert codes(status=2) == set()
    assert codes(overdue="on") == {late.code}
    assert codes(mine="on") == {mine.code}
    assert codes(procedure="1.001193") == {late.code, mine.code, "new"}
    assert codes(procedure="9.999999") == set()
    assert codes(status="nonsense", overdue="x") == {late.code}  # a bad value is ignored, not an error
    html = leader.get("/can-bo/ho-so/", {"status": 1}).content.decode()
    assert '<option value="1" selected>' in html and "Xóa bộ lọc" in html


def test_pages_follow_the_cursor(office, as_user, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    dossiers = [submitted(office) for _ in range(3)]
    reception = as_user(office.reception)

    first = reception.get("/can-bo/ho-so/", {"status": 1}).content.decode()
    link = re.search(r'<a rel="next" href="\?([^"]+)">Trang sau</a>', first)
    assert link and "Trang đầu" not in first
    second = reception.get("/can-bo/ho-so/?" + link.group(1).replace("&amp;", "&")).content.decode()

    assert [d.code in first for d in dossiers] == [True, True, False]
    assert [d.code in second for d in dossiers] == [False, False, True]
    assert "Trang sau" not in second
    assert '<a href="?status=1">Trang đầu</a>' in second


def test_the_cursor_survives_a_time_zone_offset(office, as_user, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    first, second = received(office), received(office)
    specialist = as_user(office.specialist)

    page = specialist.get("/can-bo/ho-so/").content.decode()
    link = re.search(r'<a rel="next" href="\?([^"]+)">Trang sau</a>', page).group(1)

    assert "+" not in link  # the offset is encoded, not turned into a space
    assert second.code in specialist.get("/can-bo/ho-so/?" + link.replace("&amp;", "&")).content.decode()
    assert first.code in page


def test_the_outsider_s_inbox_is_their_own(office, as_user):
    dossier = received(office)

    html = as_user(office.outsider).get("/can-bo/ho-so/").content.decode()

    assert dossier.code not in html and "không giữ hồ sơ nào" in html


def test_a_consulted_unit_finds_the_question_in_its_inbox(office):
    from django.test import Client

    from motcua.dossiers import services
    from motcua.dossiers.tests.factories import received

    dossier = received(office)
    services.consult(
        dossier,
        actor=office.specialist,
        agency=office.other_agency,
        question="Xác nhận nơi cư trú của người mẹ",
        days=2,
    )
    client = Client()
    client.force_login(office.outsider)

    html = client.get("/can-bo/ho-so/").content.decode()

    assert "Xin ý kiến chờ đơn vị trả lời" in html and dossier.code in html
    assert "Xác nhận nơi cư trú của người mẹ" in html
