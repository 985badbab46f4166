"""The procedure page shows each fee line with how it is charged."""

import pytest

from motcua.catalog.tests.factories import BIRTH_FEES, BIRTH_FORM, VERIFICATION_FEE, make_procedure

pytestmark = pytest.mark.django_db

FEES = [*BIRTH_FEES, VERIFICATION_FEE]


def test_the_procedure_page_says_how_each_fee_is_charged(client, agency):
    make_procedure("1.001193", "Đăng ký khai sinh", agency=agency, fees=FEES, form=BIRTH_FORM)

    english = client.get("/en/thu-tuc/1.001193/").content.decode()
    page = client.get("/thu-tuc/1.001193/").content.decode()  # last: the thread keeps the language

    assert "8.000 đ / bản sao" in page
    assert "Chỉ thu khi người nộp yêu cầu, theo số lượng yêu cầu" in page
    assert "Thu một lần cho mỗi hồ sơ" in page
    assert "Miễn phí" in page
    assert "xuất trình giấy tờ chứng minh khi nộp hồ sơ" in page
    assert "Charged only on request, per unit requested" in english
