"""The staff pages of forms 06 and 07: the control slip of a dossier and a unit's dossier register, with
their downloads, for those who may see them and no one else."""

import csv
import datetime
import io

from django.utils import timezone
from openpyxl import load_workbook

from motcua.accounts.constants import Role
from motcua.accounts.services import grant_role
from motcua.accounts.tests.factories import StaffFactory
from motcua.backoffice import register_views
from motcua.backoffice.tests.pages import check_page
from motcua.dossiers import register, services
from motcua.dossiers.tests.factories import received, submitted

REGISTER = "/can-bo/so-theo-doi/"


def slip_url(dossier) -> str:
    return f"/can-bo/ho-so/{dossier.code}/phieu-kiem-soat.pdf"


# -- form 06 -------------------------------------------------------------------------------------------


def test_the_dossier_page_offers_the_control_slip_and_it_is_a_fresh_pdf(office, as_user):
    dossier = received(office)
    page = as_user(office.specialist).get(f"/can-bo/ho-so/{dossier.code}/")
    assert slip_url(dossier) in page.content.decode()

    services.forward(dossier, actor=office.specialist)
    response = as_user(office.leader).get(slip_url(dossier))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="mau-06-{dossier.code}.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF")
    # Nothing is stored: the slip is not among the dossier's files.
    assert not dossier.attachments.filter(original_name__startswith="mau-06").exists()


def test_a_dossier_not_yet_received_offers_no_slip(office, as_user):
    dossier = submitted(office)
    page = as_user(office.reception).get(f"/can-bo/ho-so/{dossier.public_id}/")
    assert "phieu-kiem-soat.pdf" not in page.content.decode()


def test_the_control_slip_is_for_those_who_may_see_the_dossier(office, client, as_user):
    dossier = received(office)

    anonymous = client.get(slip_url(dossier))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/dang-nhap")
    assert as_user(office.citizen).get(slip_url(dossier)).status_code == 403
    assert as_user(office.outsider).get(slip_url(dossier)).status_code == 404
    by_public_id = f"/can-bo/ho-so/{dossier.public_id}/phieu-kiem-soat.pdf"
    assert as_user(office.reception).get(by_public_id).status_code == 200


# -- form 07 -------------------------------------------------------------------------------------------


def test_the_register_shows_this_months_dossiers_by_default(office, as_user):
    dossier = received(office)

    response = as_user(office.reception).get(REGISTER)

    assert response.status_code == 200
    html = response.content.decode()
    check_page(html)
    assert dossier.code in html
    assert "Sổ theo dõi hồ sơ" in html
    month = register.Period.month_of(timezone.localdate())
    assert f'value="{month.first.isoformat()}"' in html and f'value="{month.last.isoformat()}"' in html
    assert "/can-bo/so-theo-doi/tai-ve.xlsx?" in html


def test_the_register_is_for_the_units_reception_and_leaders(office, client, as_user):
    received(office)

    anonymous = client.get(REGISTER)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/dang-nhap")
    assert as_user(office.citizen).get(REGISTER).status_code == 403
    assert as_user(office.citizen).get(REGISTER + "tai-ve.csv").status_code == 403
    refused = as_user(office.specialist).get(REGISTER)
    assert refused.status_code == 403
    assert "không phụ trách đơn vị tiếp nhận nào" in refused.content.decode()
    assert as_user(office.leader).get(REGISTER).status_code == 200


def test_an_officer_of_another_unit_gets_nothing_from_this_units_register(office, as_user):
    dossier = received(office)

    response = as_user(office.outsider).get(REGISTER, {"agency": office.agency.code})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Đơn vị tiếp nhận:" in html
    assert dossier.code not in html
    export = as_user(office.outsider).get(REGISTER + "tai-ve.csv", {"agency": office.agency.code})
    assert export.status_code == 400 and dossier.code not in export.content.decode()


def test_a_province_admin_reads_any_units_register(office, as_user):
    dossier = received(office)
    admin = StaffFactory(full_name="Quản trị tỉnh")
    grant_role(admin, office.other_agency, Role.PROVINCE_ADMIN)

    response = as_user(admin).get(REGISTER, {"agency": office.agency.code})

    assert response.status_code == 200 and dossier.code in response.content.decode()


def test_a_bad_period_is_refused_with_a_message_naming_the_field(office, as_user):
    officer = as_user(office.reception)

    too_long = officer.get(REGISTER, {"start": "2025-01-01", "end": "2026-06-30"})
    assert too_long.status_code == 400
    assert "Đến ngày: khoảng thời gian dài nhất là 366 ngày (một năm)." in too_long.content.decode()

    backwards = officer.get(REGISTER, {"start": "2026-04-02", "end": "2026-04-01"})
    assert backwards.status_code == 400 and "Đến ngày:" in backwards.content.decode()

    not_a_date = officer.get(REGISTER, {"start": "hôm qua", "end": "2026-04-01"})
    assert not_a_date.status_code == 400 and "Từ ngày:" in not_a_date.content.decode()

    export = officer.get(REGISTER + "tai-ve.xlsx", {"start": "2025-01-01", "end": "2026-06-30"})
    assert export.status_code == 400 and "Đến ngày:" in export.content.decode()


def test_one_day_given_means_its_month(office, as_user):
    dossier = received(office)
    today = timezone.localdate()

    response = as_user(office.reception).get(REGISTER, {"end": today.isoformat()})

    assert response.status_code == 200 and dossier.code in response.content.decode()
    assert f'value="{today.replace(day=1).isoformat()}"' in response.content.decode()


def test_the_register_downloads_as_pdf_xlsx_and_csv(office, as_user):
    dossier = received(office)
    month = register.Period.month_of(timezone.localdate())
    query = {"agency": office.agency.code, "start": month.first.isoformat(), "end": month.last.isoformat()}
    officer = as_user(office.reception)
    name = f"so-theo-doi-{office.agency.code}-{month.first:%Y%m%d}-{month.last:%Y%m%d}"

    pdf = officer.get(REGISTER + "tai-ve.pdf", query)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == f'inline; filename="{name}.pdf"'

    xlsx = officer.get(REGISTER + "tai-ve.xlsx", query)
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"] == f'attachment; filename="{name}.xlsx"'
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["B2"].value == office.agency.name and sheet["B9"].value == dossier.code

    response = officer.get(REGISTER + "tai-ve.csv", query)
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert rows[0] == register.COLUMNS and rows[1][1] == dossier.code

    assert officer.get(REGISTER + "tai-ve.docx", query).status_code == 404


def test_a_download_too_long_for_one_file_asks_for_a_shorter_period(office, as_user, monkeypatch):
    for _ in range(2):
        received(office)
    monkeypatch.setitem(register_views.EXPORTS, "pdf", ("application/pdf", 1))

    response = as_user(office.reception).get(REGISTER + "tai-ve.pdf")

    assert response.status_code == 400
    assert "Đến ngày: có 2 hồ sơ, quá 1 dòng cho một lần tải" in response.content.decode()


def test_the_period_bounds_are_vietnams_days(office, as_user):
    dossier = received(office)
    received_on = timezone.localdate(dossier.received_at)
    next_day = received_on + datetime.timedelta(days=1)

    other_day = as_user(office.reception).get(REGISTER, {"start": next_day, "end": next_day})

    assert other_day.status_code == 200 and dossier.code not in other_day.content.decode()
