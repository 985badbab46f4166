"""What a dossier pays (motcua.catalog.fees): charge lines that follow the catalogue's wording."""

import pytest
from django.core.exceptions import ValidationError

from motcua.catalog import fees
from motcua.catalog.constants import MAX_FEE_QUANTITY, FeeCharging
from motcua.catalog.models import Fee, FormField
from motcua.catalog.services import publish_version, start_draft
from motcua.catalog.tests.factories import BIRTH_FEES, BIRTH_FORM, make_procedure

BIRTH_FEE = Fee(
    name="Lệ phí đăng ký khai sinh",
    amount=0,
    description="Miễn lệ phí đăng ký khai sinh đúng hạn.",
    exemptions="Người thuộc hộ nghèo, người khuyết tật.",
)
COPY_FEE = Fee(
    name="Phí cấp bản sao Giấy khai sinh (nếu có yêu cầu)",
    amount=8000,
    charging=FeeCharging.ON_REQUEST,
    unit="bản sao",
    quantity_field="copies",
)
CERTIFICATE_FEE = Fee(
    name="Lệ phí cấp Giấy chứng nhận",
    amount=50_000,
    charging=FeeCharging.PER_UNIT,
    unit="Giấy chứng nhận",
    quantity_field="parcels",
)
ADOPTION_FEE = Fee(
    name="Lệ phí đăng ký nuôi con nuôi",
    amount=400_000,
    exemptions="Cô, cậu, dì, chú, bác ruột nhận cháu làm con nuôi.",
    exemption_field="fee_exempt",
)
BIRTH = [BIRTH_FEE, COPY_FEE]

FREE_BIRTH_LINE = fees.Charge(
    name="Lệ phí đăng ký khai sinh",
    unit_amount=0,
    quantity=1,
    unit="",
    amount=0,
    exempt=True,
    claimed=False,
    note="Miễn lệ phí đăng ký khai sinh đúng hạn.",
)


def copies(n: int) -> fees.Charge:
    return fees.Charge(
        name="Phí cấp bản sao Giấy khai sinh (nếu có yêu cầu)",
        unit_amount=8000,
        quantity=n,
        unit="bản sao",
        amount=8000 * n,
        exempt=False,
        claimed=False,
        note="",
        by_quantity=True,
    )


@pytest.mark.parametrize(
    ("lines", "form_data", "expected", "due"),
    [
        pytest.param(BIRTH, {}, [FREE_BIRTH_LINE], 0, id="birth-no-copies"),
        pytest.param(BIRTH, None, [FREE_BIRTH_LINE], 0, id="birth-no-form"),
        pytest.param(BIRTH, {"copies": "2"}, [FREE_BIRTH_LINE, copies(2)], 16_000, id="birth-two-copies"),
        pytest.param(BIRTH, {"copies": "0"}, [FREE_BIRTH_LINE], 0, id="birth-zero-copies"),
        pytest.param(BIRTH, {"copies": "2.0"}, [FREE_BIRTH_LINE, copies(2)], 16_000, id="whole-decimal"),
        pytest.param(BIRTH, {"copies": 3}, [FREE_BIRTH_LINE, copies(3)], 24_000, id="json-number"),
        pytest.param(BIRTH, {"copies": "hai"}, [FREE_BIRTH_LINE], 0, id="invalid-copies-count-0"),
        pytest.param(BIRTH, {"copies": "1.5"}, [FREE_BIRTH_LINE], 0, id="fraction-counts-0"),
        pytest.param(BIRTH, {"copies": "-2"}, [FREE_BIRTH_LINE], 0, id="negative-counts-0"),
        pytest.param(BIRTH, {"copies": "NaN"}, [FREE_BIRTH_LINE], 0, id="nan-counts-0"),
        pytest.param(
            BIRTH,
            {"copies": "1E+999999"},
            [FREE_BIRTH_LINE, copies(MAX_FEE_QUANTITY)],
            8000 * MAX_FEE_QUANTITY,
            id="huge-is-capped",
        ),
        pytest.param([], {"copies": "2"}, [], 0, id="no-fees"),
    ],
)
def test_charges_follow_the_catalogue(lines, form_data, expected, due):
    charges = fees.charges_for(lines, form_data)

    assert charges == expected
    assert fees.total(charges) == due


@pytest.mark.parametrize(
    ("value", "quantity"),
    [
        (None, 1),  # missing: an always-due line counts once
        ("", 1),
        ("ba", 1),
        ("-3", 1),
        ("2.5", 1),
        ("Infinity", 1),
        ("0", 0),
        ("3", 3),
        ("3,0", 3),
        (str(MAX_FEE_QUANTITY + 1), MAX_FEE_QUANTITY),
        ("100000000000000000000000000000000", MAX_FEE_QUANTITY),
    ],
)
def test_a_per_unit_line_counts_once_unless_told_otherwise(value, quantity):
    [charge] = fees.charges_for([CERTIFICATE_FEE], {"parcels": value})

    assert (charge.quantity, charge.amount) == (quantity, 50_000 * quantity)
    assert charge.unit == "Giấy chứng nhận" and charge.by_quantity
    assert not charge.exempt


@pytest.mark.parametrize(
    ("answer", "claimed"),
    [("Có", True), (" Có ", True), ("Không", False), ("", False), (None, False), ("có thể", False)],
)
def test_an_exemption_is_charged_zero_only_when_claimed(answer, claimed):
    [charge] = fees.charges_for([ADOPTION_FEE], {"fee_exempt": answer})

    assert (charge.exempt, charge.claimed) == (claimed, claimed)
    assert charge.amount == (0 if claimed else 400_000)
    assert charge.unit_amount == 400_000  # the receipt still says what was waived
    assert charge.note == (ADOPTION_FEE.exemptions if claimed else "")


def test_a_free_line_stays_free_and_says_why_even_when_an_exemption_is_claimed():
    free = Fee(name="Lệ phí", amount=0, description="Miễn phí.", exemptions="Hộ nghèo.", exemption_field="x")

    [charge] = fees.charges_for([free], {"x": "Có"})

    assert (charge.amount, charge.exempt, charge.claimed, charge.note) == (0, True, False, "Miễn phí.")


def test_an_always_line_is_charged_once_whatever_the_form_says():
    once = Fee(name="Phí chứng thực", amount=50_000, unit="giao dịch")

    [charge] = fees.charges_for([once], {"copies": "9"})

    assert (charge.quantity, charge.amount, charge.unit, charge.by_quantity) == (1, 50_000, "", False)


# -- on a stored version ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_birth_registration_costs_nothing_without_copies_and_8000_a_copy(agency):
    version = make_procedure("1.001193", "Đăng ký khai sinh", agency=agency, fees=BIRTH_FEES, form=BIRTH_FORM)

    assert fees.total(fees.charges(version, {"child_full_name": "Lò Văn A"})) == 0
    assert fees.total(fees.charges(version, {"copies": "2"})) == 16_000
    assert version.base_fee == 0


@pytest.mark.django_db
def test_a_version_without_fees_charges_nothing(agency):
    version = make_procedure("1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", agency=agency)

    assert fees.charges(version, {"copies": "3"}) == []
    assert version.base_fee == 0


@pytest.mark.django_db
def test_the_base_fee_counts_per_unit_lines_once_and_leaves_out_what_is_asked_for(agency):
    version = make_procedure(
        "1.012784",
        "Tách thửa hoặc hợp thửa đất",
        agency=agency,
        form=[{"key": "parcels", "label": "Số thửa", "kind": "number"}, *BIRTH_FORM[1:]],
        fees=[
            {
                "name": "Lệ phí cấp Giấy chứng nhận",
                "amount": 50_000,
                "charging": "per_unit",
                "unit": "Giấy chứng nhận",
                "quantity_field": "parcels",
            },
            {**BIRTH_FEES[1]},
            {
                "name": "Phí thẩm định",
                "amount": 30_000,
                "exemptions": "Hộ nghèo.",
                "exemption_field": "fee_exempt",
            },
        ],
    )

    assert version.base_fee == 80_000
    assert fees.total(fees.charges(version, {"parcels": "3", "copies": "1", "fee_exempt": "Có"})) == 158_000


# -- the catalogue refuses a fee line whose form fields do not fit ----------------------------------------


@pytest.fixture
def draft(agency):
    return make_procedure("1.001193", "Đăng ký khai sinh", agency=agency, form=BIRTH_FORM, publish=False)


def _problems(draft, **fee) -> dict[str, list[str]]:
    line = Fee(version=draft, name="Phí", amount=8000, **fee)
    with pytest.raises(ValidationError) as caught:
        line.full_clean()
    return caught.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fee", "field", "message"),
    [
        ({"charging": "on_request"}, "quantity_field", "Nhập mã trường số lượng"),
        ({"charging": "per_unit", "quantity_field": "pages"}, "quantity_field", "không có trường “pages”"),
        ({"charging": "per_unit", "quantity_field": "child_full_name"}, "quantity_field", "phải có kiểu Số"),
        ({"quantity_field": "copies"}, "quantity_field", "để trống khi thu một lần"),
        ({"exemption_field": "missing", "exemptions": "Hộ nghèo."}, "exemption_field", "không có trường"),
        ({"exemption_field": "copies", "exemptions": "Hộ nghèo."}, "exemption_field", "“Có” và “Không”"),
        ({"exemption_field": "fee_exempt"}, "exemptions", "Ghi đối tượng được miễn"),
        ({"charging": "bogus"}, "charging", ""),
    ],
)
def test_a_fee_line_must_name_fitting_form_fields(draft, fee, field, message):
    problems = _problems(draft, **fee)

    assert message in " ".join(problems[field])


@pytest.mark.django_db
def test_a_fee_line_naming_fitting_fields_is_valid(draft):
    line = Fee(
        version=draft,
        name="Phí cấp bản sao",
        amount=8000,
        charging="on_request",
        unit="bản sao",
        quantity_field="copies",
        exemptions="Hộ nghèo.",
        exemption_field="fee_exempt",
    )

    line.full_clean()


@pytest.mark.django_db
def test_a_yes_no_field_is_a_choice_of_exactly_yes_and_no(draft):
    [yes_no] = [f for f in draft.form_fields.all() if f.key == "fee_exempt"]
    other = FormField(kind="choice", choices=["Có", "Không", "Chưa rõ"])
    text = FormField(kind="text", choices=["Có", "Không"])

    assert yes_no.is_yes_no
    assert not other.is_yes_no and not text.is_yes_no
    assert not FormField(kind="choice", choices={"Có": 1}).is_yes_no


@pytest.mark.django_db
def test_publication_refuses_a_fee_whose_form_field_changed_since(agency):
    version = make_procedure("1.001193", "Đăng ký khai sinh", agency=agency, fees=BIRTH_FEES, form=BIRTH_FORM)
    draft = start_draft(version.procedure)
    draft.form_fields.filter(key="copies").update(kind="text")

    with pytest.raises(ValidationError) as caught:
        publish_version(draft)

    assert any("Phí cấp bản sao Giấy khai sinh" in m and "kiểu Số" in m for m in caught.value.messages)


@pytest.mark.django_db
def test_a_published_version_keeps_its_charges_after_a_new_draft(agency):
    version = make_procedure("1.001193", "Đăng ký khai sinh", agency=agency, fees=BIRTH_FEES, form=BIRTH_FORM)
    draft = start_draft(version.procedure)
    draft.fees.filter(charging="on_request").update(amount=10_000)

    assert fees.total(fees.charges(version, {"copies": "2"})) == 16_000
    assert fees.total(fees.charges(draft, {"copies": "2"})) == 20_000
    assert [f.quantity_field for f in draft.fees.all()] == ["", "copies"]  # copied with the draft
