"""A dossier as the national portal's items (INTEGRATIONS.md §1): every field the data has, dates as
yyyyMMddHHmmss in Vietnam time, statuses 1–10."""

import datetime
import re
import zoneinfo

from motcua.dossiers import services
from motcua.dossiers.constants import Status
from motcua.dossiers.tests.factories import submitted
from motcua.integrations.national.mapping import dossier_item, national_date, progress_item

DATE = re.compile(r"^\d{14}$")
VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _returned(office):
    dossier = submitted(office)
    services.request_supplement(dossier, actor=office.reception, items=["Bản sao giấy chứng sinh"])
    services.resubmit(dossier, actor=office.citizen)
    services.receive(dossier, actor=office.reception)
    services.forward(dossier, actor=office.specialist, note="Hồ sơ hợp lệ")
    services.attach_result(dossier, actor=office.leader)
    services.approve(dossier, actor=office.leader)
    services.return_result(dossier, actor=office.reception)
    dossier.refresh_from_db()
    return dossier


def test_dates_are_vietnam_time_to_the_second():
    utc = datetime.datetime(2026, 3, 12, 17, 5, 9, tzinfo=datetime.UTC)

    assert national_date(utc) == "20260313000509"  # UTC+7: already the next day in Vietnam
    assert national_date(datetime.date(2026, 3, 12)) == "20260312000000"
    assert national_date(None) == ""


def test_the_dongbohosomc_item_of_a_returned_dossier(office):
    dossier = _returned(office)

    item = dossier_item(dossier)

    assert item["MaHoSo"] == dossier.code and item["SoBienNhan"] == dossier.code
    assert item["MaTTHC"] == "1.001193" and item["TenTTHC"] == "Đăng ký khai sinh"
    assert item["MaLinhVuc"] == dossier.procedure_version.field.code and item["TenLinhVuc"] == "Hộ tịch"
    assert item["ChuHoSo"] == "Nguyễn Văn An" and item["LoaiDoiTuong"] == "1"
    assert item["Email"] == "an@example.vn" and item["SoDienThoai"] == dossier.applicant_phone
    assert item["TrichYeuHoSo"] == "Đăng ký khai sinh – Nguyễn Văn An"
    assert item["TrangThaiHoSo"] == str(Status.RETURNED) == "10"
    for name, value in [
        ("NgayNopHoSo", dossier.submitted_at),
        ("NgayTiepNhan", dossier.received_at),
        ("NgayHenTra", dossier.due_at),
        ("NgayTra", dossier.returned_at),
        ("NgayKetThucXuLy", dossier.finished_at),
    ]:
        assert DATE.match(item[name]), name
        assert item[name] == value.astimezone(VIETNAM).strftime("%Y%m%d%H%M%S"), name
    assert item["NgayTuChoi"] == ""
    assert item["HinhThuc"] == "2" and item["KenhThucHien"] == "2"  # online result, online submission
    assert item["ThongTinTra"].startswith("Kết quả điện tử")
    assert item["DonViXuLy"] == "Ủy ban nhân dân phường Minh Xuân"
    assert item["DuocThanhToanTrucTuyen"] == "0"
    assert [f["TenPhiLePhi"] for f in item["DanhSachLePhi"]] == ["Phí cấp bản sao"]
    fee = item["DanhSachLePhi"][0]
    assert fee["Gia"] == 8000 and fee["LoaiPhiLePhi"] == "1" and fee["HinhThucThu"] == "1"
    assert len(item["TaiLieuNop"]) == 2
    for document in item["TaiLieuNop"]:
        assert document["IsDeleted"] == "False" and document["DuocSoHoa"] == "1"
        assert document["TepDinhKemId"] and document["MaThanhPhanHoSo"]
        assert document["DuongDanTaiTepTin"].endswith(
            f"/can-bo/ho-so/{dossier.code}/tep/{document['TepDinhKemId']}/"
        )
    (supplement,) = item["DanhSachHoSoBoSung"]
    assert supplement["NoiDungBoSung"] == "Bản sao giấy chứng sinh" and DATE.match(supplement["NgayBoSung"])
    (result,) = item["DanhSachGiayToKetQua"]
    assert result["GiayToId"] and result["DuongDanTepTinKetQua"].startswith("http")


def test_the_owner_is_identified_by_their_number(office):
    dossier = submitted(office)
    dossier.applicant_identity = "008090000123"
    dossier.subject_identity = ""

    assert dossier_item(dossier)["DinhDanhCHS"] == [{"LoaiDinhDanh": "1", "SoDinhDanh": "008090000123"}]
    dossier.subject_identity = "0101234567"
    assert dossier_item(dossier)["DinhDanhCHS"] == [{"LoaiDinhDanh": "2", "SoDinhDanh": "0101234567"}]


def test_a_refused_dossier_carries_the_day_of_refusal(office):
    dossier = submitted(office)
    services.refuse(dossier, actor=office.reception, reasons="Không thuộc thẩm quyền")
    dossier.refresh_from_db()

    item = dossier_item(dossier)

    assert item["TrangThaiHoSo"] == "3" and item["SoBienNhan"] == ""
    assert item["NgayTuChoi"] == national_date(dossier.closed_at) != ""


def test_each_action_as_a_capnhattiendohosomc_item(office):
    dossier = _returned(office)
    actions = list(dossier.actions.order_by("id"))

    items = [progress_item(dossier, action) for action in actions]

    assert [i["TrangThai"] for i in items] == ["1", "5", "1", "4", "4", "4", "9", "10"]
    assert [i["TrangThai"] for i in items] == [str(a.status_after) for a in actions]
    forward = next(i for i, a in zip(items, actions, strict=True) if a.type == "forward")
    assert forward["MaHoSo"] == dossier.code
    assert forward["NguoiXuLy"] == office.specialist.full_name
    assert forward["ChucDanh"] == "Chuyên viên xử lý"
    assert forward["PhongBanXuLy"] == "Ủy ban nhân dân phường Minh Xuân"
    assert forward["NoiDungXuLy"] == "Chuyển bước xử lý: Hồ sơ hợp lệ"
    assert DATE.match(forward["NgayKetThucTheoQuyDinh"])
    for item in items:
        for name in ("ThoiDiemXuLy", "NgayBatDau"):
            assert DATE.match(item[name]), (item, name)
        assert item["NgayKetThucTheoQuyDinh"] == "" or DATE.match(item["NgayKetThucTheoQuyDinh"])
    assert items[0]["NguoiXuLy"] == "Nguyễn Văn An" and items[0]["ChucDanh"] == "Người nộp hồ sơ"
