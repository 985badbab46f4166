"""The staff report pages: who may read which unit, bad periods, the drill-down, the exports carry the
numbers of the page (motcua.reports.selectors), the targets page, the public headline page."""

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.accounts.models import User
from motcua.core.models import AuditEntry
from motcua.dossiers.selectors import visible_to
from motcua.reports import exports, selectors
from motcua.reports.models import Target
from motcua.reports.periods import Period
from motcua.reports.units import unit_from_key

pytestmark = pytest.mark.django_db

URL = "/can-bo/bao-cao/"
PROVINCE, COMMUNE, OTHER_COMMUNE, JUSTICE, CONSTRUCTION = (
    "dvhc-08",
    "dvhc-02215",
    "dvhc-02212",
    "000.00.12.H59",
    "000.00.13.H59",
)


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo province with 60 dossiers, loaded once for the module inside a transaction that is
    rolled back at its end (each test runs in a savepoint of it)."""
    storages = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path_factory.mktemp("files"))},
        },
    }
    tasks = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    with override_settings(STORAGES=storages, TASKS=tasks), django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--dossiers=60", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_data, db):
    return demo_data


def logged_in(client, username: str):
    client.force_login(User.objects.get(username=username))
    return client


def quarter_query(unit: str) -> tuple[dict[str, str], Period]:
    """The previous quarter (the demo's history lies in the past year)."""
    today = timezone.localdate()
    period = Period.quarter(today.year, (today.month - 1) // 3 + 1).previous()
    year, quarter = period.start.year, (period.start.month - 1) // 3 + 1
    return {"unit": unit, "kind": "quarter", "year": str(year), "quarter": str(quarter)}, period


# -- access ------------------------------------------------------------------------------------------


def test_a_commune_leader_reads_their_commune_and_the_province_but_no_other_unit(client, demo):
    logged_in(client, "leader")  # leader of the Justice department and of Minh Xuân ward
    for key in (COMMUNE, JUSTICE, "000.01.01.H59", PROVINCE):
        assert client.get(URL, {"unit": key}).status_code == 200, key
    for key in (OTHER_COMMUNE, CONSTRUCTION, "000.02.01.H59"):
        response = client.get(URL, {"unit": key})
        assert response.status_code == 403, key
        assert "không được xem báo cáo của đơn vị này" in response.content.decode()
    # The unit picker offers exactly what access.may_read allows.
    page = client.get(URL).content.decode()
    assert f'value="{COMMUNE}"' in page and f'value="{OTHER_COMMUNE}"' not in page
    assert f'value="{CONSTRUCTION}"' not in page


def test_exports_and_drill_down_refuse_a_unit_the_person_may_not_read(client, demo):
    logged_in(client, "leader")
    query, _period = quarter_query(CONSTRUCTION)
    assert client.get(reverse("backoffice:report_export", args=["xlsx"]), query).status_code == 403
    assert client.get(reverse("backoffice:report_dossiers"), {**query, "code": "received"}).status_code == 403


def test_citizens_and_visitors_do_not_get_the_staff_dashboard(client, demo):
    assert client.get(URL).status_code == 302  # to the login page
    logged_in(client, "citizen")
    assert client.get(URL).status_code == 403


def test_a_province_administrator_may_pick_every_unit(client, demo):
    logged_in(client, "admin")
    page = client.get(URL).content.decode()
    for key in (PROVINCE, COMMUNE, OTHER_COMMUNE, JUSTICE, CONSTRUCTION):
        assert f'value="{key}"' in page, key


# -- bad input ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"kind": "custom", "start": "2026-05-01", "end": "2026-04-01"}, "Đến ngày: Ngày kết thúc phải sau"),
        ({"kind": "custom", "start": "2026-13-01", "end": "2026-04-01"}, "Từ ngày:"),
        ({"kind": "custom", "start": "2026-01-01"}, "Đến ngày: Hãy nhập ngày kết thúc"),
        ({"kind": "month", "month": "13"}, "Tháng:"),
        ({"kind": "quarter", "quarter": "5"}, "Quý:"),
        ({"kind": "year", "year": "abc"}, "Năm:"),
        ({"kind": "weekly"}, "Kỳ báo cáo:"),
        ({"kind": "custom", "start": "2000-01-01", "end": "2026-01-01"}, "Kỳ báo cáo tối đa 10 năm"),
        ({"unit": "no-such-unit"}, "Đơn vị:"),
    ],
)
def test_a_bad_period_or_unit_gets_a_message_naming_the_field_never_a_500(client, demo, query, message):
    logged_in(client, "admin")
    response = client.get(URL, query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_bad_drill_down_gets_a_message(client, demo):
    logged_in(client, "admin")
    query, _period = quarter_query(PROVINCE)
    for extra in ({"code": "procedures_total"}, {"code": "nonsense"}, {"code": "received", "part": "x"}):
        response = client.get(reverse("backoffice:report_dossiers"), {**query, **extra})
        assert response.status_code == 400, extra
        assert "không có danh sách hồ sơ" in response.content.decode()


# -- the page and its numbers ------------------------------------------------------------------------


def test_the_dashboard_shows_the_selectors_figures_and_links_them_to_their_dossiers(client, demo):
    logged_in(client, "admin")
    query, period = quarter_query(PROVINCE)
    response = client.get(URL, query)
    assert response.status_code == 200
    page = response.content.decode()
    unit = unit_from_key(PROVINCE)
    figures = {f.code: f for f in selectors.indicators(unit, period)}
    board = response.context["board"]
    assert {r.code: r.figure.numerator for r in board.rows} == {c: f.numerator for c, f in figures.items()}
    assert board.score.total == selectors.score(unit, period).total
    assert "code=done_late" in page and 'id="fig-done_late"' in page
    for name in ("Chỉ số chính", "Diễn biến 12 tháng", "Theo lĩnh vực", "Xếp hạng", "Chỉ tiêu năm"):
        assert name in page
    # Every chart has its numbers as a table, open until the script folds it.
    assert page.count('<details class="rp-data" open>') == 2
    assert "chart.umd.min.js" in page and "report-charts" in page


def test_the_drill_down_lists_exactly_the_dossiers_behind_the_number(client, demo):
    logged_in(client, "admin")
    query, period = quarter_query(PROVINCE)
    unit = unit_from_key(PROVINCE)
    figure = next(f for f in selectors.indicators(unit, period) if f.code == "received")
    assert figure.numerator > 0
    response = client.get(reverse("backoffice:report_dossiers"), {**query, "code": "received"})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == figure.numerator
    expected = list(selectors.dossiers_behind(unit, period, "received").values_list("pk", flat=True))
    listed = [row["dossier"].pk for row in response.context["rows"]]
    assert listed == expected[: len(listed)]


def test_the_drill_down_links_only_the_dossiers_the_officer_may_open(client, demo):
    logged_in(client, "leader")
    query, _period = quarter_query(PROVINCE)
    response = client.get(reverse("backoffice:report_dossiers"), {**query, "code": "received"})
    assert response.status_code == 200
    leader = User.objects.get(username="leader")
    visible = set(visible_to(leader).values_list("pk", flat=True))
    rows = response.context["rows"]
    assert rows
    for row in rows:
        assert row["openable"] == (row["dossier"].pk in visible)
    assert any(not row["openable"] for row in rows) or len(visible) >= len(rows)


# -- exports -----------------------------------------------------------------------------------------


def test_the_xlsx_carries_the_numbers_of_the_page(client, demo):
    logged_in(client, "admin")
    query, period = quarter_query(PROVINCE)
    response = client.get(reverse("backoffice:report_export", args=["xlsx"]), query)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Chi so"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    heading = {r[0]: r[1] for r in rows[1:6]}
    assert "Tỉnh Tuyên Quang" in heading["Đơn vị"]
    assert period.start.strftime("%d/%m/%Y") in heading["Kỳ báo cáo"]
    assert "Người ký" in heading and heading["Lập lúc"]
    header = rows.index(tuple(exports.INDICATOR_COLUMNS))
    table = {r[1]: r for r in rows[header + 1 :]}
    unit = unit_from_key(PROVINCE)
    for f in selectors.indicators(unit, period):
        assert table[f.code][3] == pytest.approx(float(f.numerator)), f.code
        assert table[f.code][4] == f.denominator, f.code
        assert (table[f.code][5] is None) == (f.value is None), f.code
        if f.value is not None:
            assert table[f.code][5] == pytest.approx(float(f.value)), f.code
    # Values, never formulas.
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
    score = {r[1]: r for r in book["Diem 766"].iter_rows(values_only=True) if r and r[1]}
    total = selectors.score(unit, period)
    for group in total.groups:
        assert score[group.code][7] == pytest.approx(float(group.points))
    # The time component (2.2) in days, as the page shows it, not in seconds.
    timing = next(c for g in total.groups for c in g.components if c.code == "2.2")
    assert score["2.2"][2].endswith("(ngày)")
    assert score["2.2"][3] == pytest.approx(timing.numerator / 86400, abs=0.05)
    assert score["2.2"][4] == pytest.approx(timing.denominator / 86400, abs=0.05)


def test_the_csv_is_utf8_with_a_byte_order_mark_and_the_same_numbers(client, demo):
    logged_in(client, "admin")
    query, period = quarter_query(COMMUNE)
    response = client.get(reverse("backoffice:report_export", args=["csv"]), query)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Đơn vị", "Từ ngày", "Đến ngày", "Nhóm"]
    by_code = {r[4]: r for r in rows[1:]}
    for f in selectors.indicators(unit_from_key(COMMUNE), period):
        assert float(by_code[f.code][6]) == pytest.approx(float(f.numerator)), f.code


def test_the_pdf_is_a_report_to_the_level_above(client, demo):
    logged_in(client, "admin")
    query, _period = quarter_query(JUSTICE)
    response = client.get(reverse("backoffice:report_export", args=["pdf"]), query)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ TƯ PHÁP TỈNH TUYÊN QUANG",
        "Số:",
        "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "Kính gửi: Ủy ban nhân dân tỉnh Tuyên Quang",
        "Vũ Đức Thắng",  # the head of the department signs
    ):
        assert expected in text, expected


# -- targets -----------------------------------------------------------------------------------------


def test_a_province_administrator_sets_a_target_and_the_dashboard_shows_it_behind(client, demo):
    logged_in(client, "admin")
    year = timezone.localdate().year
    url = reverse("backoffice:report_targets")
    response = client.post(
        url, {"year": year, "unit": COMMUNE, "indicator": "online_share", "value": "150", "note": ""}
    )
    assert response.status_code == 400
    assert "Mục tiêu: Mục tiêu của một tỷ lệ không quá 100" in response.content.decode()
    response = client.post(
        url, {"year": year, "unit": COMMUNE, "indicator": "online_share", "value": "abc", "note": ""}
    )
    assert response.status_code == 400 and "Mục tiêu: Mục tiêu phải là một số" in response.content.decode()
    response = client.post(
        url, {"year": year, "unit": COMMUNE, "indicator": "online_share", "value": "99,5", "note": "QĐ 766"}
    )
    assert response.status_code == 302
    target = Target.objects.get(year=year, unit_key=COMMUNE, indicator="online_share")
    assert float(target.value) == 99.5
    assert AuditEntry.objects.filter(action="report_target.set", object_id=str(target.pk)).exists()
    # Set again: the same row changes.
    client.post(url, {"year": year, "unit": COMMUNE, "indicator": "online_share", "value": "100", "note": ""})
    assert Target.objects.filter(year=year, unit_key=COMMUNE, indicator="online_share").count() == 1
    today = timezone.localdate()
    page = client.get(URL, {"unit": PROVINCE, "kind": "year", "year": str(today.year)})
    progress = page.context["board"].targets
    assert [(t.unit.key, t.indicator) for t in progress] == [(COMMUNE, "online_share")]
    assert "Chưa đạt" in page.content.decode() or not progress[0].behind
    client.post(url, {"year": year, "remove": str(target.pk)})
    assert not Target.objects.filter(pk=target.pk).exists()


def test_only_province_administrators_set_targets(client, demo):
    logged_in(client, "leader")
    assert client.get(reverse("backoffice:report_targets")).status_code == 403
    assert (
        client.post(
            reverse("backoffice:report_targets"),
            {"year": 2026, "unit": COMMUNE, "indicator": "online_share", "value": "30"},
        ).status_code
        == 403
    )
    assert not Target.objects.exists()


# -- the public page ---------------------------------------------------------------------------------


def test_anyone_reads_the_province_headline_figures(client, demo):
    response = client.get(reverse("portal:figures"))
    assert response.status_code == 200
    today = timezone.localdate()
    _unit, figures = selectors.headline(Period(datetime.date(today.year, 1, 1), today))
    assert [f.numerator for f in response.context["figures"]] == [f.numerator for f in figures]
    assert reverse("portal:figures") in client.get("/").content.decode()
    assert client.get(reverse("portal:figures"), {"nam": "1999"}).status_code == 400
