import pytest
from django.test import Client

from motcua.accounts.tests.factories import PASSWORD, StaffFactory, UserFactory
from motcua.agencies.services import import_units
from motcua.catalog.services import publish_version, start_draft
from motcua.catalog.tests.factories import make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return Client()


def test_units_lists_34_provinces_and_3321_communes_below_them(api):
    import_units()

    provinces = api.get("/api/units").json()
    communes = sum(api.get(f"/api/units?parent={p['code']}").json()["count"] for p in provinces["results"])

    assert provinces["count"] == len(provinces["results"]) == 34
    assert communes == 3321
    tuyen_quang = api.get("/api/units?parent=08").json()
    assert tuyen_quang["parent"]["name"] == "Tỉnh Tuyên Quang"
    assert {"code": "02215", "name": "Phường Minh Xuân", "type": "ward", "parent": "08"}.items() <= next(
        u for u in tuyen_quang["results"] if u["code"] == "02215"
    ).items()


def test_an_unknown_unit_is_a_clear_404(api):
    response = api.get("/api/units?parent=99999")

    assert response.status_code == 404
    assert "99999" in response.json()["detail"]


def test_procedure_search_and_detail(api, agency):
    make_procedure("1.001193", "Đăng ký khai sinh", agency=agency)
    make_procedure("1.004884", "Đăng ký lại khai sinh", agency=agency, fee=5000)
    make_procedure("1.000894", "Đăng ký kết hôn", agency=agency, mode="partial")

    for q in ["dang ky khai sinh", "Đăng ký khai sinh", "dang ki khai sinh"]:
        page = api.get("/api/procedures", {"q": q}).json()
        assert page["results"][0]["name"] == "Đăng ký khai sinh"
        assert page["results"][0]["code"] == "1.001193"
        assert set(page["results"][0]) >= {"code", "name", "mode", "processing_time", "agencies"}
        assert page["results"][0]["agencies"] == [{"code": agency.code, "name": agency.name}]

    assert [r["code"] for r in api.get("/api/procedures", {"mode": "partial"}).json()["results"]] == [
        "1.000894"
    ]
    detail = api.get("/api/procedures/1.004884").json()
    assert detail["fees"][0]["amount"] == 5000
    assert detail["documents"][0]["name"] == "Tờ khai theo mẫu"
    assert [s["role"] for s in detail["steps"]] == ["reception", "specialist", "leader"]
    assert detail["processing_time"] == {"value": "3.00", "unit": "working_days", "label": "3 ngày làm việc"}


def test_pagination(api, agency):
    for i in range(25):
        make_procedure(f"1.{i:06d}", f"Thủ tục thử nghiệm {i}", agency=agency)

    first = api.get("/api/procedures", {"page_size": 10}).json()
    last = api.get("/api/procedures", {"page_size": 10, "page": 3}).json()

    assert (first["count"], len(first["results"]), len(last["results"])) == (25, 10, 5)


def test_an_old_version_stays_readable_through_the_api(api, agency):
    first = make_procedure("1.001193", "Đăng ký khai sinh", agency=agency)
    draft = start_draft(first.procedure)
    draft.name = "Đăng ký khai sinh (mới)"
    draft.save()
    publish_version(draft)

    assert api.get("/api/procedures/1.001193").json()["name"] == "Đăng ký khai sinh (mới)"
    old = api.get("/api/procedures/1.001193?version=1").json()
    assert (old["name"], old["is_current"], old["versions"]) == ("Đăng ký khai sinh", False, [2, 1])


def test_an_unknown_procedure_is_404(api):
    response = api.get("/api/procedures/9.999999")
    english = api.get("/api/procedures/9.999999", headers={"Accept-Language": "en"})

    assert response.status_code == english.status_code == 404
    # One language at a time: Vietnamese by default, English when asked.
    assert response.json()["detail"] == "Không tìm thấy."
    assert english.json()["detail"] == "Not found."


def test_token_for_the_right_password_and_401_for_a_wrong_one(api):
    user = UserFactory()

    wrong = api.post(
        "/api/auth/token", {"username": user.username, "password": "nope"}, content_type="application/json"
    )
    right = api.post(
        "/api/auth/token", {"username": user.username, "password": PASSWORD}, content_type="application/json"
    )

    assert wrong.status_code == 401
    assert wrong.json()["detail"] == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert right.status_code == 200
    token = right.json()["access_token"]
    me = api.get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["username"] == user.username
    assert api.get("/api/me", headers={"Authorization": "Bearer forged"}).status_code == 401


def test_staff_token_lists_their_agencies(api, agency):
    from motcua.accounts.services import grant_role

    officer = StaffFactory()
    grant_role(officer, agency, "specialist")
    token = api.post(
        "/api/auth/token",
        {"username": officer.username, "password": PASSWORD},
        content_type="application/json",
    ).json()["access_token"]

    me = api.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["agencies"] == [{"code": agency.code, "name": agency.name}]


def test_malformed_requests_get_a_4xx_with_a_message(api):
    bad_json = api.post("/api/auth/token", "{", content_type="application/json")
    missing = api.post("/api/auth/token", {"username": "x"}, content_type="application/json")
    bad_page = api.get("/api/procedures", {"page": "abc"})

    for response in (bad_json, missing, bad_page):
        assert 400 <= response.status_code < 500
        assert response.json()["detail"]


def test_the_openapi_schema_describes_the_endpoints(api):
    schema = api.get("/api/openapi.json").json()

    assert {"/api/procedures", "/api/procedures/{code}", "/api/units", "/api/auth/token"} <= set(
        schema["paths"]
    )


def test_api_requests_bypass_the_browser_middleware_and_pages_keep_it():
    from django.urls import reverse

    from motcua.core.middleware import API_PATH_PREFIX

    assert reverse("api:openapi-json").startswith(API_PATH_PREFIX)
    browser = Client(enforce_csrf_checks=True)
    user = UserFactory()

    # the API: a bearer token and JSON; no session, user or messages attached, no CSRF token asked for
    answer = browser.post(
        "/api/auth/token", {"username": user.username, "password": PASSWORD}, content_type="application/json"
    )
    assert answer.status_code == 200 and not answer.cookies
    request = answer.wsgi_request
    assert not hasattr(request, "session") and not hasattr(request, "_messages")
    assert answer["X-Frame-Options"] == "DENY"  # still set: /api/docs is a page
    token = answer.json()["access_token"]
    mine = browser.get("/api/dossiers", headers={"Authorization": f"Bearer {token}"})
    assert mine.status_code == 200 and not hasattr(mine.wsgi_request, "session")

    # a page: the session and messages, and a form POST without the CSRF token is refused
    page = browser.get("/")
    assert page.status_code == 200 and hasattr(page.wsgi_request, "session")
    assert hasattr(page.wsgi_request, "_messages")
    login = reverse("portal:login")
    assert browser.post(login, {"username": user.username, "password": PASSWORD}).status_code == 403
    # with it, the session cookie logs the user in
    browser.get(login)
    token = browser.cookies["csrftoken"].value
    form = {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    done = browser.post(login, form)
    assert done.status_code == 302 and "sessionid" in done.cookies
