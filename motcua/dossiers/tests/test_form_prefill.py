"""A new draft's form starts with the applicant's own details where a field asks for them."""

from motcua.agencies.models import AdministrativeUnit
from motcua.catalog.services import create_procedure, publish_version
from motcua.dossiers.form_data import applicant_values, split_address

AN = {
    "name": "Nguyễn Văn An",
    "identity": "008090000123",
    "phone": "0912345678",
    "email": "an@example.vn",
    "address": "Số 8 đường Tân Trào, phuong minh xuan, tỉnh Tuyên Quang",
}


def test_an_address_line_is_split_at_the_unit_it_names(office):
    units = AdministrativeUnit.objects.filter(code="02215")

    assert split_address("Số 8 đường Tân Trào, PHƯỜNG Minh Xuân, tỉnh Tuyên Quang", units) == {
        "unit": "02215",
        "detail": "Số 8 đường Tân Trào",
    }
    assert split_address("Thôn Lũng Cú, xã Lũng Cú", units) == {
        "unit": "",
        "detail": "Thôn Lũng Cú, xã Lũng Cú",
    }


def test_only_the_fields_asking_for_the_applicants_own_details_are_filled(office):
    version = publish_version(
        create_procedure(
            "1.009998",
            version={
                "name": "Hòa giải tranh chấp đất đai",
                "field": "Đất đai",
                "level": "commune",
                "mode": "full_online",
                "processing_time": "45",
                "time_unit": "calendar_days",
                "result": "Biên bản hòa giải",
            },
            agencies=[office.agency],
            form=[
                {"key": "requester_full_name", "label": "Họ, tên người yêu cầu", "kind": "text"},
                {"key": "requester_id_number", "label": "Số định danh", "kind": "identity_number"},
                {"key": "requester_address", "label": "Địa chỉ", "kind": "address"},
                {"key": "phone", "label": "Số điện thoại", "kind": "phone"},
                {"key": "other_party_full_name", "label": "Họ, tên bên còn lại", "kind": "text"},
                {"key": "email", "label": "Thư điện tử", "kind": "email", "required": False},
            ],
            steps=[{"name": "Hòa giải", "role": "specialist", "share": "1"}],
        )
    )
    units = AdministrativeUnit.objects.filter(code="02215")

    assert applicant_values(version, AN, units) == {
        "requester_full_name": "Nguyễn Văn An",
        "requester_id_number": "008090000123",
        "requester_address": {"unit": "02215", "detail": "Số 8 đường Tân Trào"},
        "phone": "0912345678",
        "email": "an@example.vn",
    }
    # A business's tax code is not a personal number, an empty detail fills nothing.
    business = {**AN, "identity": "5000123456", "email": ""}
    assert set(applicant_values(version, business, units)) == {
        "requester_full_name",
        "requester_address",
        "phone",
    }
