"""The staff search page /can-bo/tra-cuu-ho-so/: a GET form, results linking to the dossier, pages."""

import re

from django.conf import settings
from django.shortcuts import resolve_url

from motcua.backoffice import search_views
from motcua.backoffice.tests.pages import check_page
from motcua.dossiers.constants import Status
from motcua.dossiers.tests.test_search import at, dossier

URL = "/can-bo/tra-cuu-ho-so/"


def _field_error(html: str, name: str) -> str:
    match = re.search(rf'<div class="error" id="id_{name}_error">(.*?)</div>', html, re.S)
    assert match, f"no error on {name}"
    return match.group(1)


def test_the_page_lists_the_newest_dossiers_and_links_to_each(office, as_user):
    older = dossier(office, name="Trần Thị Lan", received=at(10))
    newer = dossier(office, name="Nguyễn Văn An", status=Status.RETURNED, received=at(11))

    response = as_user(office.specialist).get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    check_page(html)
    assert 'aria-current="page">Tra cứu hồ sơ</a>' in html
    assert f'href="/can-bo/ho-so/{newer.code}/"' in html and f'href="/can-bo/ho-so/{older.code}/"' in html
    assert html.index(newer.code) < html.index(older.code)
    assert "Đã trả kết quả" in html


def test_the_form_filters_and_keeps_what_was_typed(office, as_user):
    an = dossier(office, name="Nguyễn Văn An", received=at(10))
    lan = dossier(office, name="Trần Thị Lan", received=at(11))

    response = as_user(office.specialist).get(
        URL, {"applicant": "nguyen van an", "received_from": "2026-03-01"}
    )

    html = response.content.decode()
    assert an.code in html and lan.code not in html
    assert 'value="nguyen van an"' in html and 'value="2026-03-01"' in html


def test_next_page_link_carries_the_cursor_and_the_filters(office, as_user, monkeypatch):
    monkeypatch.setattr(search_views, "PAGE_SIZE", 2)
    rows = [dossier(office, received=at(day)) for day in (10, 11, 12)]
    client = as_user(office.specialist)

    first = client.get(URL, {"status": "4"}).content.decode()
    link = re.search(r'<a rel="next" href="\?([^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(f"{URL}?{link}").content.decode()

    assert "status=4" in link and "after=" in link
    assert rows[2].code in first and rows[1].code in first and rows[0].code not in first
    assert rows[0].code in second and rows[2].code not in second
    assert 'href="?status=4">Trang đầu</a>' in second


def test_a_mangled_cursor_starts_again_from_the_first_page(office, as_user):
    row = dossier(office, received=at(10))

    response = as_user(office.specialist).get(URL, {"after": "not-a-cursor"})

    assert response.status_code == 200 and row.code in response.content.decode()


def test_errors_are_named_on_their_fields(office, as_user):
    dossier(office, received=at(10))

    response = as_user(office.specialist).get(
        URL,
        {
            "received_from": "2026-03-05",
            "received_to": "2026-03-01",
            "status": "99",
            "due_from": "2026-13-45",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    check_page(html)
    assert "Ngày kết thúc phải từ ngày bắt đầu trở đi." in _field_error(html, "received_to")
    assert _field_error(html, "status") and _field_error(html, "due_from")
    assert 'role="alert"' in html and '<table class="bo-table' not in html


def test_only_staff_may_search(office, as_user, client):
    assert as_user(office.citizen).get(URL).status_code == 403
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
