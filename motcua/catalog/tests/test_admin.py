from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from motcua.accounts.constants import Role
from motcua.accounts.services import grant_role
from motcua.accounts.tests.factories import StaffFactory
from motcua.agencies.tests.factories import AgencyFactory
from motcua.catalog.tests.factories import make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency_admin(agency):
    user = StaffFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="catalog"))
    grant_role(user, agency, Role.AGENCY_ADMIN)
    client = Client()
    client.force_login(user)
    return client


def test_an_agency_administrator_sees_only_their_agency_procedures(agency_admin, agency):
    own = make_procedure("1.001193", "Đăng ký khai sinh", agency=agency)
    other = make_procedure("1.000894", "Đăng ký kết hôn", agency=AgencyFactory())

    listing = agency_admin.get("/quan-tri/catalog/procedureversion/").content.decode()

    assert "Đăng ký khai sinh" in listing and "Đăng ký kết hôn" not in listing
    assert agency_admin.get(f"/quan-tri/catalog/procedureversion/{own.pk}/change/").status_code == 200
    assert agency_admin.get(f"/quan-tri/catalog/procedureversion/{other.pk}/change/").status_code == 302


def test_publishing_a_draft_from_the_admin(agency_admin, agency):
    from motcua.catalog.services import start_draft

    first = make_procedure("1.001193", "Đăng ký khai sinh", agency=agency)
    draft = start_draft(first.procedure)

    page = agency_admin.get(f"/quan-tri/catalog/procedureversion/{draft.pk}/change/")
    assert "_publish" in page.content.decode()
    response = agency_admin.post(
        "/quan-tri/catalog/procedureversion/",
        {"action": "publish_today", "_selected_action": [draft.pk]},
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_current and draft.status == "published"
    first.refresh_from_db()
    assert not first.is_current


class _FormValues(HTMLParser):
    """What a browser submits for the page's form: inputs, checked boxes, selected options, text areas."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def _add(self, name, value):
        if name and "__prefix__" not in name:
            self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self._add(a.get("name"), a.get("value") or ("on" if a.get("type") == "checkbox" else ""))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self._add(self._textarea, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and "__prefix__" not in self._textarea:
            self.values[self._textarea][-1] += data.removeprefix("\n")


def _change_form(client, url) -> dict[str, list[str]]:
    parser = _FormValues()
    parser.feed(client.get(url).content.decode())
    return parser.values


def _add_row(data, prefix, **values):
    n = int(data[f"{prefix}-TOTAL_FORMS"][0])
    data[f"{prefix}-TOTAL_FORMS"] = [str(n + 1)]
    for key, value in values.items():
        data[f"{prefix}-{n}-{key}"] = [value]


@pytest.fixture
def draft_url(agency):
    from motcua.catalog.services import start_draft

    first = make_procedure("1.001193", "Đăng ký khai sinh", agency=agency)
    draft = start_draft(first.procedure)
    return draft, f"/quan-tri/catalog/procedureversion/{draft.pk}/change/"


def test_the_admin_saves_a_fee_charged_by_a_form_field_added_in_the_same_save(agency_admin, draft_url):
    draft, url = draft_url
    data = _change_form(agency_admin, url)
    _add_row(
        data, "form_fields", key="copies", label="Số bản sao yêu cầu", kind="number", choices="[]", order="2"
    )
    _add_row(
        data,
        "fees",
        name="Phí cấp bản sao (nếu có yêu cầu)",
        amount="8000",
        charging="on_request",
        unit="bản sao",
        quantity_field="copies",
        order="1",
    )

    response = agency_admin.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    [fee] = draft.fees.all()
    assert (fee.charging, fee.quantity_field, fee.unit) == ("on_request", "copies", "bản sao")
    assert draft.form_fields.filter(key="copies", kind="number").exists()


def test_the_admin_refuses_a_fee_naming_a_missing_or_unfit_field(agency_admin, draft_url):
    draft, url = draft_url
    data = _change_form(agency_admin, url)
    assert "full_name" in agency_admin.get(url).content.decode()  # the keys are named in the help text
    _add_row(
        data,
        "fees",
        name="Phí cấp bản sao",
        amount="8000",
        charging="per_unit",
        quantity_field="full_name",
        exemption_field="nothing_here",
        exemptions="Hộ nghèo.",
        order="1",
    )

    page = agency_admin.post(url, data).content.decode()

    assert "Trường “full_name” phải có kiểu Số." in page
    assert "Tờ khai của phiên bản này không có trường “nothing_here”." in page
    assert not draft.fees.exists()


def test_the_admin_still_saves_a_version_unchanged(agency_admin, draft_url):
    draft, url = draft_url
    data = _change_form(agency_admin, url)
    data["name"] = ["Đăng ký khai sinh (sửa đổi)"]

    response = agency_admin.post(url, data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.name == "Đăng ký khai sinh (sửa đổi)"


def test_a_published_version_cannot_be_changed_in_the_admin(agency_admin, agency):
    version = make_procedure("1.001193", "Đăng ký khai sinh", agency=agency, fee=8000)
    url = f"/quan-tri/catalog/procedureversion/{version.pk}/change/"

    page = agency_admin.get(url).content.decode()
    response = agency_admin.post(url, {"name": "Sửa trộm", "fees-TOTAL_FORMS": "0"})

    assert 'name="fees-0-charging"' not in page  # the fee lines are read-only
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.name == "Đăng ký khai sinh"


def test_the_admin_adds_a_way_to_submit_to_a_draft(agency_admin, draft_url):
    draft, url = draft_url
    data = _change_form(agency_admin, url)
    _add_row(
        data,
        "channels",
        channel="post",
        time="5",
        unit="working_days",
        fee_text="Miễn phí",
        description="Gửi hồ sơ qua dịch vụ bưu chính công ích.",
        order="1",
    )

    response = agency_admin.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    [channel] = draft.channels.all()
    assert (channel.channel, channel.time_label, channel.fee_text) == ("post", "5 ngày làm việc", "Miễn phí")


def test_the_admin_names_the_missing_unit_of_a_channel_time(agency_admin, draft_url):
    draft, url = draft_url
    data = _change_form(agency_admin, url)
    _add_row(data, "channels", channel="online", time="5", unit="", order="1")

    page = agency_admin.post(url, data).content.decode()

    assert "Chọn đơn vị của thời hạn giải quyết." in page
    assert not draft.channels.exists()


def test_publishing_asks_the_rule_table(agency, province):
    """catalog.publish_version: an administrator of an agency of the procedure, a province administrator
    or a superuser; not an administrator of another agency, nor a reception officer."""
    from motcua.catalog.services import start_draft

    draft = start_draft(make_procedure("1.001193", "Đăng ký khai sinh", agency=agency).procedure)
    other = AgencyFactory(code="000.00.99.H59", name="Sở khác", unit=province)
    outsider, own, officer, province_admin = (StaffFactory(is_staff=True) for _ in range(4))
    grant_role(outsider, other, Role.AGENCY_ADMIN)
    grant_role(own, agency, Role.AGENCY_ADMIN)
    grant_role(officer, agency, Role.RECEPTION)
    grant_role(province_admin, other, Role.PROVINCE_ADMIN)

    allowed = {
        name: user.has_perm("catalog.publish_version", draft.procedure)
        for name, user in [
            ("outsider", outsider),
            ("own", own),
            ("officer", officer),
            ("province", province_admin),
        ]
    }

    assert allowed == {"outsider": False, "own": True, "officer": False, "province": True}
    # The admin refuses it too.
    outsider.user_permissions.set(Permission.objects.filter(content_type__app_label="catalog"))
    client = Client()
    client.force_login(outsider)
    client.post(
        "/quan-tri/catalog/procedureversion/", {"action": "publish_today", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.status == "draft"
