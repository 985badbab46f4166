import pytest
from django.test import Client

from motcua.accounts.models import User
from motcua.accounts.tests.factories import PASSWORD, UserFactory
from motcua.catalog.services import publish_version, start_draft
from motcua.catalog.tests.factories import make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def birth(agency):
    return make_procedure("1.001193", "Đăng ký khai sinh", agency=agency, fee=8000)


def test_search_without_diacritics_lists_the_procedure_first(client, birth, agency):
    make_procedure("1.004884", "Đăng ký lại khai sinh", agency=agency)

    for q in ["dang ky khai sinh", "Đăng ký khai sinh", "dang ki khai sinh"]:
        html = client.get("/thu-tuc/", {"q": q}).content.decode()
        assert html.index("Đăng ký khai sinh</a>") < html.index("Đăng ký lại khai sinh</a>")


def test_the_procedure_page_shows_what_a_citizen_needs(client, birth, agency):
    html = client.get("/thu-tuc/1.001193/").content.decode()

    for expected in [
        "Đăng ký khai sinh",
        "Phí, lệ phí",
        "8.000 đ",
        "Thành phần hồ sơ",
        "Tờ khai theo mẫu",
        "3 ngày làm việc",
        agency.name,
        "Toàn trình",
    ]:
        assert expected in html


def test_filters_narrow_the_list(client, birth, agency):
    make_procedure("1.000894", "Đăng ký kết hôn", agency=agency, mode="partial")

    html = client.get("/thu-tuc/", {"mode": "partial"}).content.decode()

    assert "Đăng ký kết hôn" in html and "Đăng ký khai sinh" not in html


def test_bad_filter_values_do_not_break_the_page(client, birth):
    response = client.get("/thu-tuc/", {"mode": "nonsense", "page": "x", "field": "<script>"})

    assert response.status_code == 200


def test_an_old_version_is_readable_and_marked(client, birth):
    draft = start_draft(birth.procedure)
    draft.name = "Đăng ký khai sinh (sửa đổi)"
    draft.save()
    publish_version(draft)

    old = client.get("/thu-tuc/1.001193/phien-ban/1/").content.decode()

    assert "Đăng ký khai sinh" in old and "không phải phiên bản đang áp dụng" in old
    assert client.get("/thu-tuc/1.001193/phien-ban/9/").status_code == 404


def test_english_is_one_switch_away(client, birth):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/thu-tuc/1.001193/"})

    assert response.status_code == 302 and response["Location"] == "/en/thu-tuc/1.001193/"
    html = client.get(response["Location"]).content.decode()
    assert 'lang="en"' in html
    assert "Required documents" in html and "Fees" in html


def test_registration_refuses_a_short_identity_number_and_keeps_the_input(client):
    response = client.post(
        "/dang-ky/",
        {
            "kind": "citizen",
            "full_name": "Nguyễn Văn Bình",
            "identity_number": "12345",
            "email": "binh@example.vn",
            "password": "Binh-Tuyen-Quang-2026",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "12 chữ số" in html
    assert 'value="Nguyễn Văn Bình"' in html
    assert not User.objects.exists()


def register(client, **overrides):
    data = {
        "kind": "citizen",
        "full_name": "Nguyễn Văn Bình",
        "identity_number": "008090001111",
        "email": "binh@example.vn",
        "password": "Binh-Tuyen-Quang-2026",
    }
    return client.post("/dang-ky/", {**data, **overrides})


def test_registration_then_log_in(client):
    response = register(client)

    assert response.status_code == 302 and response["Location"] == "/dang-nhap/"
    assert "Đã nhận đăng ký" in client.get("/dang-nhap/").content.decode()
    logged = client.post("/dang-nhap/", {"username": "binh@example.vn", "password": "Binh-Tuyen-Quang-2026"})
    assert logged.status_code == 302
    assert "Nguyễn Văn Bình" in client.get("/").content.decode()


def test_registration_answers_the_same_for_details_already_registered(client):
    UserFactory(email="binh@example.vn")
    first_time = register(client, identity_number="008090002222", email="new@example.vn")
    again = register(client, identity_number="008090003333")  # the email is taken

    assert again.status_code == first_time.status_code == 302
    assert again["Location"] == first_time["Location"]
    assert not User.objects.filter(identity_number="008090003333").exists()


def test_registrations_are_limited_per_address(client, settings):
    settings.MOTCUA_REGISTER_RATE = "2/h"
    register(client, identity_number="008090004444", email="a@example.vn")
    register(client, identity_number="008090005555", email="b@example.vn")

    third = register(client, identity_number="008090006666", email="c@example.vn")

    assert third.status_code == 429 and int(third["Retry-After"]) > 0
    assert not User.objects.filter(identity_number="008090006666").exists()


def test_a_wrong_login_has_one_message_then_a_wait(client, settings):
    settings.MOTCUA_LOGIN_FREE_FAILURES_PER_ACCOUNT = 2
    user = UserFactory()

    first = client.post("/dang-nhap/", {"username": user.username, "password": "x"})
    unknown = client.post("/dang-nhap/", {"username": "no-such-account", "password": "x"})
    second = client.post("/dang-nhap/", {"username": user.username, "password": "x"})
    third = client.post("/dang-nhap/", {"username": user.username, "password": PASSWORD})

    assert first.status_code == unknown.status_code == second.status_code == 400
    assert "không đúng" in first.content.decode() and "không đúng" in unknown.content.decode()
    assert third.status_code == 429 and "thử lại sau" in third.content.decode()


def test_staff_land_on_their_home_and_citizens_where_they_came_from(client):
    from motcua.accounts.tests.factories import StaffFactory

    staff = StaffFactory()
    answer = client.post(
        "/dang-nhap/", {"username": staff.username, "password": PASSWORD, "next": "/thu-tuc/"}
    )
    assert answer["Location"] == "/can-bo/"
    client.post("/dang-xuat/")

    citizen = UserFactory()
    page = client.get("/dang-nhap/", HTTP_REFERER="http://testserver/thu-tuc/?q=khai+sinh")
    assert 'value="/thu-tuc/?q=khai+sinh"' in page.content.decode()
    answer = client.post(
        "/dang-nhap/", {"username": citizen.username, "password": PASSWORD, "next": "/thu-tuc/"}
    )
    assert answer["Location"] == "/thu-tuc/"
    client.post("/dang-xuat/")
    answer = client.post("/dang-nhap/", {"username": citizen.username, "password": PASSWORD})
    assert answer["Location"] == "/ho-so-cua-toi/"


def test_login_redirects_only_to_this_site(client):
    user = UserFactory()

    response = client.post(
        "/dang-nhap/", {"username": user.username, "password": PASSWORD, "next": "https://evil.example/"}
    )

    assert response.status_code == 302 and response["Location"] == "/ho-so-cua-toi/"
