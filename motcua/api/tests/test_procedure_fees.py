"""The API's procedure detail gives each fee line with how it is charged."""

import pytest
from django.test import Client

from motcua.catalog.tests.factories import BIRTH_FEES, BIRTH_FORM, VERIFICATION_FEE, make_procedure

FEES = [*BIRTH_FEES, VERIFICATION_FEE]

pytestmark = pytest.mark.django_db


def test_the_procedure_detail_says_how_each_fee_is_charged(agency):
    make_procedure("1.001193", "Đăng ký khai sinh", agency=agency, fees=FEES, form=BIRTH_FORM)

    detail = Client().get("/api/procedures/1.001193").json()

    copies = detail["fees"][1]
    assert {k: copies[k] for k in ("amount", "charging", "unit", "quantity_field", "exemption_field")} == {
        "amount": 8000,
        "charging": "on_request",
        "unit": "bản sao",
        "quantity_field": "copies",
        "exemption_field": "",
    }
    assert copies["charging_label"] == "Chỉ thu khi người nộp yêu cầu, theo số lượng yêu cầu"
    assert detail["fees"][2]["exemption_field"] == "fee_exempt"
    # Nothing asked for, nothing claimed: the verification fee only.
    assert detail["base_fee"] == 50_000 and "total_fee" not in detail
