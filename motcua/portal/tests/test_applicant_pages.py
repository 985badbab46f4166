"""The applicant's pages: the error summary, dates that make sense, drafts, the form prefilled from
the account, the account page, and the dossier page showing what was sent."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.accounts.tests.factories import UserFactory
from motcua.catalog.services import create_procedure, publish_version
from motcua.core.models import AuditEntry
from motcua.dossiers import services
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import office  # noqa: F401
from motcua.dossiers.tests.factories import PDF, pdf, received, submitted
from motcua.portal.tests.pages import Page

LAST_YEAR = (datetime.date.today() - datetime.timedelta(days=365)).isoformat()
NEXT_MONTH = (datetime.date.today() + datetime.timedelta(days=31)).isoformat()
TOMORROW = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def stay(office):  # noqa: F811
    """Temporary residence: a form asking for the applicant's own details, dates on both sides of
    today, an address, a fee charged always and one per copy asked for."""
    draft = create_procedure(
        "1.004194",
        version={
            "name": "Đăng ký tạm trú",
            "field": "Cư trú",
            "level": "commune",
            "mode": "full_online",
            "processing_time": "3",
            "time_unit": "working_days",
            "result": "Xác nhận đăng ký tạm trú",
        },
        agencies=[office.agency],
        form=[
            {"key": "requester_full_name", "label": "Họ, chữ đệm và tên", "kind": "text"},
            {"key": "requester_id_number", "label": "Số định danh cá nhân", "kind": "identity_number"},
            {"key": "date_of_birth", "label": "Ngày, tháng, năm sinh", "kind": "date", "date_rule": "past"},
            {"key": "address", "label": "Địa chỉ thường trú", "kind": "address"},
            {"key": "phone", "label": "Số điện thoại", "kind": "phone"},
            {"key": "email", "label": "Thư điện tử", "kind": "email", "required": False},
            {"key": "stay_until", "label": "Tạm trú đến ngày", "kind": "date", "date_rule": "future"},
            {"key": "copies", "label": "Số bản sao yêu cầu", "kind": "number", "required": False},
        ],
        fees=[
            {"name": "Lệ phí đăng ký tạm trú", "amount": 15000},
            {
                "name": "Phí cấp bản sao",
                "amount": 5000,
                "charging": "on_request",
                "unit": "bản sao",
                "quantity_field": "copies",
            },
        ],
        documents=[
            {"name": "Tờ khai thay đổi thông tin cư trú", "form": "original", "quantity": 1},
            {"name": "Giấy tờ chứng minh chỗ ở hợp pháp", "form": "copy", "quantity": 1},
            {"name": "Văn bản khác", "form": "copy", "quantity": 1, "required": False},
        ],
        steps=[
            {"name": "Tiếp nhận hồ sơ", "role": "reception", "share": "0.1"},
            {"name": "Thẩm định, giải quyết", "role": "specialist", "share": "0.9"},
        ],
    )
    return publish_version(draft)


@pytest.fixture
def an(office):  # noqa: F811
    """The office's citizen with every contact detail on the account."""
    user = office.citizen
    user.phone = "0912345678"
    user.address = "Số 8 đường Tân Trào, phường Minh Xuân, tỉnh Tuyên Quang"
    user.save()
    return user


STAY_FORM = {
    "f_requester_full_name": "Nguyễn Văn An",
    "f_requester_id_number": "008090000123",
    "f_date_of_birth": "1990-05-01",
    "f_address__unit": "02215",
    "f_address__detail": "Số 8 đường Tân Trào",
    "f_phone": "0912345678",
    "f_email": "an@example.vn",
    "f_stay_until": NEXT_MONTH,
    "f_copies": "2",
}


def form_url(dossier: Dossier) -> str:
    return f"/ho-so-cua-toi/{dossier.public_id}/khai/"


def with_files(version, data: dict) -> dict:
    files = {
        f"doc_{d.pk}": SimpleUploadedFile(f"{d.pk}.pdf", PDF, "application/pdf")
        for d in version.documents.filter(required=True)
    }
    return {**data, **files}


# --- 1. The error summary ---------------------------------------------------------------------------


def test_an_empty_form_sent_for_review_lists_every_problem_by_its_label_and_links_to_it(stay, an):
    dossier = services.start_dossier(version=stay, applicant=an)
    documents = list(stay.documents.filter(required=True))

    response = client_for(an).post(form_url(dossier), {"review": "1"})

    assert response.status_code == 400
    page = Page(response.content.decode())
    page.check()
    summary = page.summary
    assert summary.attrs["tabindex"] == "-1" and "autofocus" in summary.attrs  # focused on load, no script
    assert summary.find_all("h2")[0].text == "Có 8 lỗi cần sửa"
    assert page.title.startswith("Lỗi: ")
    assert page.summary_links() == [
        ("#f_requester_full_name", "Họ, chữ đệm và tên: Trường này bắt buộc."),
        ("#f_requester_id_number", "Số định danh cá nhân: Trường này bắt buộc."),
        ("#f_date_of_birth", "Ngày, tháng, năm sinh: Trường này bắt buộc."),
        ("#f_address__unit", "Địa chỉ thường trú: Trường này bắt buộc."),
        ("#f_phone", "Số điện thoại: Trường này bắt buộc."),
        ("#f_stay_until", "Tạm trú đến ngày: Trường này bắt buộc."),
        (f"#doc_{documents[0].pk}", "Tờ khai thay đổi thông tin cư trú: Chưa có tệp; giấy tờ này bắt buộc."),
        (f"#doc_{documents[1].pk}", "Giấy tờ chứng minh chỗ ở hợp pháp: Chưa có tệp; giấy tờ này bắt buộc."),
    ]
    # Each link leads to a control that says it is invalid and why, beside it.
    for href, _text in page.summary_links():
        control = page.by_id(href[1:])
        assert control.attrs.get("aria-invalid") == "true", href
        assert "bắt buộc" in page.description_of(control), href
    assert "Những gì ông/bà đã nhập đã được lưu." in summary.text


def test_the_summary_names_the_problem_once_and_nothing_typed_is_lost(stay, an):
    dossier = services.start_dossier(version=stay, applicant=an)
    bad_file = SimpleUploadedFile("a.pdf", b"not a pdf at all", "application/pdf")
    document = stay.documents.first()
    data = {**STAY_FORM, "f_date_of_birth": TOMORROW, "f_phone": "12345", f"doc_{document.pk}": bad_file}

    response = client_for(an).post(form_url(dossier), data)

    assert response.status_code == 400
    page = Page(response.content.decode())
    links = dict(page.summary_links())
    assert links["#f_date_of_birth"] == "Ngày, tháng, năm sinh không được sau ngày hôm nay."
    assert links["#f_phone"] == "Số điện thoại không hợp lệ, ví dụ 0912345678."  # names its field already
    assert links[f"#doc_{document.pk}"].startswith("Tờ khai thay đổi thông tin cư trú: ")
    assert page.by_id("f_date_of_birth").attrs["value"] == TOMORROW
    assert page.by_id("f_phone").attrs["value"] == "12345"
    assert page.by_id("f_address__detail").attrs["value"] == "Số 8 đường Tân Trào"
    dossier.refresh_from_db()
    assert dossier.form_data["date_of_birth"] == TOMORROW and dossier.form_data["copies"] == "2"


def test_a_saved_draft_shows_only_what_is_wrong_not_what_is_missing(stay, an):
    dossier = services.start_dossier(version=stay, applicant=an)

    saved = client_for(an).post(form_url(dossier), {"save": "1", "f_requester_full_name": "An"})

    assert saved.status_code == 302
    assert Page(client_for(an).get(saved["Location"]).content.decode()).summary is None


def test_the_review_page_lists_the_declaration_and_what_is_missing_with_links_to_the_form(stay, an):
    dossier = services.start_dossier(version=stay, applicant=an)
    client = client_for(an)
    client.post(form_url(dossier), {**STAY_FORM, "f_phone": "", "save": "1"})
    review = f"/ho-so-cua-toi/{dossier.public_id}/xem-lai/"

    response = client.post(review, {"revision": "1"})

    assert response.status_code == 422
    page = Page(response.content.decode())
    page.check()
    documents = list(stay.documents.filter(required=True))
    check = f"{form_url(dossier)}?kiem-tra=1"
    assert page.summary_links() == [
        (f"{check}#f_phone", "Số điện thoại: Trường này bắt buộc."),
        (
            f"{check}#doc_{documents[0].pk}",
            "Tờ khai thay đổi thông tin cư trú: Chưa có tệp; giấy tờ này bắt buộc.",
        ),
        (
            f"{check}#doc_{documents[1].pk}",
            "Giấy tờ chứng minh chỗ ở hợp pháp: Chưa có tệp; giấy tờ này bắt buộc.",
        ),
        ("#declaration", "Lời cam đoan: Vui lòng xác nhận lời cam đoan."),
    ]
    declaration = page.by_id("declaration")
    assert declaration.attrs["aria-invalid"] == "true"
    assert page.description_of(declaration) == "Vui lòng xác nhận lời cam đoan."
    # Following a link: the form page shows the same problems beside the fields.
    form = Page(client.get(check).content.decode())
    assert form.by_id("f_phone").attrs["aria-invalid"] == "true"
    assert form.summary_links()[0][0] == "#f_phone"
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT


def test_the_withdraw_form_names_the_missing_reason(office):  # noqa: F811
    dossier = received(office)
    client = client_for(office.citizen)
    url = f"/ho-so-cua-toi/{dossier.public_id}/rut/"

    response = client.post(url, {"reason": "  ", "revision": dossier.revision})

    assert response.status_code == 422
    page = Page(response.content.decode())
    page.check()
    assert page.summary_links() == [("#reason", "Lý do rút hồ sơ: Bắt buộc.")]
    assert page.by_id("reason").attrs["aria-invalid"] == "true"
    assert client.post(url, {"reason": "Không cần nữa", "revision": dossier.revision}).status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN
    assert client.get(url).status_code == 302  # nothing left to withdraw: back to the dossier


def test_the_summary_is_in_english_on_english_pages(stay, an):
    dossier = services.start_dossier(version=stay, applicant=an)

    response = client_for(an).post(f"/en{form_url(dossier)}", {"review": "1"})

    page = Page(response.content.decode())
    assert page.summary.find_all("h2")[0].text == "There are 8 problems to fix"
    assert page.summary_links()[-1][1].endswith("No file yet; this document is required.")


# --- 3. Drafts ---------------------------------------------------------------------------------------


def test_applying_again_resumes_the_draft_and_says_so_with_a_way_to_start_another(stay, an):
    client = client_for(an)
    first = client.post("/thu-tuc/1.004194/nop-ho-so/")
    draft = Dossier.objects.get(applicant=an)
    assert first["Location"] == form_url(draft)
    assert "bản nháp hồ sơ của thủ tục này" not in client.get(first["Location"]).content.decode()

    again = client.post("/thu-tuc/1.004194/nop-ho-so/", {"agency": stay.agencies.get().code})

    assert again["Location"].startswith(f"{form_url(draft)}?tiep-tuc=1")
    page = Page(client.get(again["Location"]).content.decode())
    page.check()
    notice = page.by_id("resumed-title").parent
    assert "Ông/bà đang có bản nháp hồ sơ của thủ tục này" in notice.text
    another = notice.find_all("form")[0]
    assert another.attrs["action"] == "/thu-tuc/1.004194/nop-ho-so/"
    fields = {i.attrs["name"]: i.attrs.get("value") for i in another.find_all("input")}
    assert fields["another"] == "1"
    # Once the person acts on the form, the notice has said what it had to.
    assert not Page(client.post(again["Location"], {"review": "1"}).content.decode()).has_id("resumed-title")
    new = client.post(another.attrs["action"], {"another": "1", "agency": fields["agency"]})
    assert Dossier.objects.filter(applicant=an, status=Status.DRAFT).count() == 2
    assert "tiep-tuc" not in new["Location"]


def test_my_dossiers_lists_drafts_apart_with_continue_and_delete(stay, an, office):  # noqa: F811
    draft = services.start_dossier(version=stay, applicant=an)
    sent = submitted(office)
    client = client_for(an)

    page = Page(client.get("/ho-so-cua-toi/").content.decode())

    page.check()
    drafts = page.by_id("drafts-title").parent
    assert "Đăng ký tạm trú" in drafts.text and sent.code not in drafts.text
    continuing = [a for a in drafts.find_all("a") if a.text.startswith("Tiếp tục")]
    assert [a.attrs["href"] for a in continuing] == [form_url(draft)]
    assert "Đăng ký tạm trú" in continuing[0].text  # the link's name says which draft
    confirm = drafts.find_all("details", "confirm")[0]
    assert confirm.find_all("summary")[0].text.startswith("Xóa — Đăng ký tạm trú")
    assert confirm.find_all("form")[0].attrs["action"] == f"/ho-so-cua-toi/{draft.public_id}/xoa/"
    assert sent.code in page.by_id("sent-title").parent.text


def test_a_draft_is_deleted_after_confirmation_and_the_page_says_so(stay, an):
    draft = services.start_dossier(version=stay, applicant=an)
    services.add_document(draft, actor=an, upload=pdf(), name="to-khai.pdf", document=stay.documents.first())
    client = client_for(an)
    url = f"/ho-so-cua-toi/{draft.public_id}/xoa/"

    confirm = client.get(url)
    assert confirm.status_code == 200 and "Xóa bản nháp?" in confirm.content.decode()
    assert Dossier.objects.filter(pk=draft.pk).exists()  # asking is not deleting

    response = client.post(url, follow=True)

    assert response.redirect_chain[-1][0] == "/ho-so-cua-toi/"
    assert "Đã xóa bản nháp “Đăng ký tạm trú”." in response.content.decode()
    assert not Dossier.objects.filter(pk=draft.pk).exists()
    assert AuditEntry.objects.filter(action="dossier.delete_draft").count() == 1


def test_a_submitted_dossier_or_someone_elses_draft_cannot_be_deleted(office, stay):  # noqa: F811
    sent = submitted(office)
    draft = services.start_dossier(version=stay, applicant=office.citizen)
    citizen = client_for(office.citizen)

    citizen.post(f"/ho-so-cua-toi/{sent.public_id}/xoa/")
    assert client_for(office.stranger).post(f"/ho-so-cua-toi/{draft.public_id}/xoa/").status_code == 404
    assert citizen.get(f"/ho-so-cua-toi/{sent.public_id}/xoa/").status_code == 302

    assert Dossier.objects.filter(pk__in=[sent.pk, draft.pk]).count() == 2


# --- 4. The form prefilled from the account, and the account page -------------------------------------


def test_a_new_draft_shows_the_applicant_and_starts_with_the_accounts_details(stay, an):
    dossier = services.start_dossier(version=stay, applicant=an)

    page = Page(client_for(an).get(form_url(dossier)).content.decode())

    page.check()
    card = page.by_id("applicant-title").parent
    for shown in ("Nguyễn Văn An", an.identity_number, "0912345678", "an@example.vn", "Tân Trào"):
        assert shown in card.text
    assert card.find_all("a")[0].attrs["href"] == f"/tai-khoan/?next={form_url(dossier)}"
    value = {e.attrs["id"]: e.attrs.get("value", "") for e in page.find_all("input") if e.attrs.get("id")}
    assert value["f_requester_full_name"] == "Nguyễn Văn An"
    assert value["f_requester_id_number"] == an.identity_number
    assert value["f_phone"] == "0912345678" and value["f_email"] == "an@example.vn"
    assert value["f_address__detail"] == "Số 8 đường Tân Trào"
    unit = page.by_id("f_address__unit")
    assert [o.attrs["value"] for o in unit.find_all("option") if "selected" in o.attrs] == ["02215"]
    assert value["f_date_of_birth"] == ""  # not an account detail


def test_what_the_applicant_cleared_stays_cleared(stay, an):
    dossier = services.start_dossier(version=stay, applicant=an)
    client = client_for(an)
    client.post(form_url(dossier), {**STAY_FORM, "f_email": "", "f_phone": "0987654321", "save": "1"})

    page = Page(client.get(form_url(dossier)).content.decode())

    assert page.by_id("f_email").attrs["value"] == ""
    assert page.by_id("f_phone").attrs["value"] == "0987654321"


def test_a_business_tax_code_is_not_put_where_a_personal_number_is_asked(stay):
    business = UserFactory(kind="business", identity_number="5000123456", full_name="Công ty TNHH Chè")
    dossier = services.start_dossier(version=stay, applicant=business)

    page = Page(client_for(business).get(form_url(dossier)).content.decode())

    assert page.by_id("f_requester_id_number").attrs["value"] == ""
    assert page.by_id("f_requester_full_name").attrs["value"] == "Công ty TNHH Chè"
    assert page.summary is None


def test_the_account_page_changes_the_contact_details_and_goes_back_to_the_form(stay, an):
    dossier = services.start_dossier(version=stay, applicant=an)
    client = client_for(an)
    page = Page(client.get("/tai-khoan/").content.decode())
    page.check()
    assert page.by_id("id_phone").attrs["value"] == "0912345678"

    response = client.post(
        "/tai-khoan/",
        {
            "phone": "0987654321",
            "email": "an@example.vn",
            "address": "Thôn Lũng Cú",
            "next": form_url(dossier),
        },
    )

    assert response["Location"] == form_url(dossier)
    an.refresh_from_db()
    assert (an.phone, an.address) == ("0987654321", "Thôn Lũng Cú")
    assert (
        Page(client.get(form_url(dossier)).content.decode()).by_id("f_phone").attrs["value"] == "0987654321"
    )


def test_the_account_page_lists_each_problem_by_label(an):
    UserFactory(email="lan@example.vn")
    client = client_for(an)

    response = client.post("/tai-khoan/", {"phone": "123", "email": "LAN@example.vn", "address": "x"})

    assert response.status_code == 400
    page = Page(response.content.decode())
    page.check()
    assert page.summary_links() == [
        ("#id_phone", "Số điện thoại không hợp lệ, ví dụ 0912345678."),
        ("#id_email", "Thư điện tử này đã được đăng ký."),
    ]
    assert page.by_id("id_email").attrs["aria-invalid"] == "true"
    assert page.description_of(page.by_id("id_email")) == "Thư điện tử này đã được đăng ký."
    assert page.by_id("id_address").attrs["value"] == "x"  # kept
    an.refresh_from_db()
    assert an.phone == "0912345678"


def test_the_account_page_goes_back_only_to_this_site(an):
    response = client_for(an).post(
        "/tai-khoan/", {"phone": "0912345678", "email": "", "address": "", "next": "https://example.com/"}
    )

    assert response["Location"] == "/tai-khoan/"


# --- 5. The applicant's dossier page ------------------------------------------------------------------


def test_the_dossier_page_shows_what_was_sent_the_fees_the_code_and_what_may_be_done(stay, an):
    dossier = services.start_dossier(version=stay, applicant=an)
    client = client_for(an)
    client.post(form_url(dossier), with_files(stay, {**STAY_FORM, "review": "1"}))
    client.post(f"/ho-so-cua-toi/{dossier.public_id}/xem-lai/", {"declaration": "on"})
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED and dossier.code

    page = Page(client.get(f"/ho-so-cua-toi/{dossier.public_id}/").content.decode())

    page.check()
    answers = page.by_id("answers-title").parent
    for shown in (
        "Họ, chữ đệm và tên Nguyễn Văn An",
        "Địa chỉ thường trú Số 8 đường Tân Trào, Phường Minh Xuân",
        f"Tạm trú đến ngày {datetime.date.fromisoformat(NEXT_MONTH):%d/%m/%Y}",
        "Ngày, tháng, năm sinh 01/05/1990",
    ):
        assert shown in answers.text
    files = page.by_id("files-title").parent
    for document in stay.documents.filter(required=True):
        assert document.name in files.text
    assert len(files.find_all("a")) == 2
    fees = page.by_id("fees-title").parent
    assert "Lệ phí đăng ký tạm trú" in fees.text and "15.000 đ" in fees.text
    assert "Phí cấp bản sao 2 bản sao 5.000 đ 10.000 đ" in fees.text
    assert "Tổng cộng 25.000 đ" in fees.text
    assert dossier.code in page.by_id("lookup-url").attrs["value"]
    assert page.by_id("lookup-url").attrs["value"].endswith(f"/tra-cuu/{dossier.code}")
    actions = page.by_id("actions-title").parent
    assert [a.text for a in actions.find_all("a")] == ["Rút hồ sơ"]  # rules.offer: withdraw, not edit


def test_a_drafts_page_offers_to_continue_or_delete_it(stay, an):
    dossier = services.start_dossier(version=stay, applicant=an)

    page = Page(client_for(an).get(f"/ho-so-cua-toi/{dossier.public_id}/").content.decode())

    actions = page.by_id("actions-title").parent
    assert [a.text for a in actions.find_all("a")] == ["Tiếp tục khai hồ sơ", "Xóa bản nháp"]
    assert not page.has_id("lookup-url")


def test_a_dossier_asked_to_supplement_offers_to_add_to_it(office):  # noqa: F811
    dossier = received(office)
    services.request_supplement(dossier, actor=office.specialist, items=["Giấy chứng sinh bản rõ nét"])

    page = Page(client_for(office.citizen).get(f"/ho-so-cua-toi/{dossier.public_id}/").content.decode())

    actions = page.by_id("actions-title").parent
    assert [a.text for a in actions.find_all("a")] == ["Bổ sung hồ sơ", "Rút hồ sơ"]


def test_the_form_shows_the_date_rule_beside_the_field(stay, an):
    dossier = services.start_dossier(version=stay, applicant=an)

    response = client_for(an).post(form_url(dossier), {**STAY_FORM, "f_stay_until": LAST_YEAR, "save": "1"})

    page = Page(response.content.decode())
    control = page.by_id("f_stay_until")
    assert page.description_of(control) == "Tạm trú đến ngày không được trước ngày hôm nay."
