"""The API's procedure detail gives the ways to submit and where to download the blank forms."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from motcua.catalog.tests.factories import BIRTH_CHANNELS, make_procedure

pytestmark = pytest.mark.django_db


def test_the_procedure_detail_lists_each_way_to_submit(agency):
    make_procedure("1.001193", "Đăng ký khai sinh", agency=agency, channels=BIRTH_CHANNELS)

    channels = Client().get("/api/procedures/1.001193").json()["channels"]

    assert [c["channel"] for c in channels] == ["online", "post", "counter"]
    assert channels[0] == {
        "channel": "online",
        "channel_label": "Trực tuyến",
        "time": "1.00",
        "unit": "working_days",
        "time_label": "1 ngày làm việc",
        "fee_text": "Miễn phí",
        "description": "",
    }
    counter = channels[2]
    assert (counter["time"], counter["unit"], counter["time_label"]) == (None, "", "3 ngày làm việc")
    english = Client().get("/api/procedures/1.001193", HTTP_ACCEPT_LANGUAGE="en").json()["channels"]
    assert [c["channel_label"] for c in english] == ["Online", "By post", "In person"]


def test_a_document_with_a_blank_form_gives_its_download_address(agency, media):
    version = make_procedure("1.001193", "Đăng ký khai sinh", agency=agency)
    document = version.documents.get()

    assert Client().get("/api/procedures/1.001193").json()["documents"][0]["template_url"] is None
    document.template.save("to-khai.pdf", ContentFile(b"%PDF-1.4\n"))
    [listed] = Client().get("/api/procedures/1.001193").json()["documents"]
    assert listed["template_url"] == f"http://testserver/thu-tuc/1.001193/mau/{document.pk}/"
    assert Client().get(listed["template_url"]).status_code == 200
