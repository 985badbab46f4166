"""The kiosk at the counter (/danh-gia/): no login; the dossier's code and the last four digits of the
applicant's phone or identity number, then the four questions, then thanks. Rate limited per client
address like the other public forms, and per dossier code."""

import re

import pytest
from django.core import signing
from django.test import Client

from motcua.core.models import AuditEntry
from motcua.surveys import services
from motcua.surveys.constants import RatingChannel
from motcua.surveys.models import Rating
from motcua.surveys.tests.factories import ANSWERS, logged_in, ready, returned

pytestmark = pytest.mark.django_db


def _find(client, code, proof):
    return client.post("/danh-gia/", {"step": "find", "code": code, "proof": proof})


def _token(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page)[1]


def _signed(data: dict) -> str:
    """A second step as the kiosk signs it (motcua.portal.rating_views)."""
    return signing.dumps(data, salt="motcua.portal.kiosk-rating", compress=True)


def test_a_walk_in_applicant_rates_at_the_kiosk(office):
    dossier = returned(office)
    client = Client()
    first = client.get("/danh-gia/")
    assert first.status_code == 200
    page = first.content.decode()
    assert '<body class="kiosk">' in page and 'class="menu"' not in page  # no way off the kiosk
    assert '<label for="code">Mã hồ sơ</label>' in page
    assert '<label for="proof">4 chữ số cuối của số điện thoại hoặc số định danh</label>' in page

    found = _find(client, f"  {dossier.code.lower()} ", "5678")
    assert found.status_code == 200
    page = found.content.decode()
    assert dossier.code in page and dossier.procedure_version.name in page
    assert page.count('<fieldset class="rating-question">') == 4
    assert office.citizen.full_name not in page and "0912" not in page  # nothing personal shown

    done = client.post("/danh-gia/", {"step": "rate", "token": _token(page), **ANSWERS})
    assert done.status_code == 302 and done["Location"] == "/danh-gia/cam-on/"
    thanks = client.get(done["Location"]).content.decode()
    assert "Cảm ơn ông/bà đã đánh giá!" in thanks and 'href="/danh-gia/"' in thanks

    rating = Rating.objects.get(dossier=dossier)
    assert rating.channel == RatingChannel.KIOSK and rating.rater is None and rating.overall == 4
    assert AuditEntry.objects.get(action="surveys.rate").actor is None


def test_whoever_is_logged_in_on_the_tablet_the_kiosk_rates_as_nobody(office):
    dossier = returned(office)
    client = logged_in(office.reception)
    page = _find(client, dossier.code, "1234").content.decode()  # the identity number's last digits
    client.post("/danh-gia/", {"step": "rate", "token": _token(page), **ANSWERS})
    assert Rating.objects.get().rater is None
    assert _find(client, dossier.code, "0000").status_code == 403  # an officer gets no way round


def test_a_wrong_second_fact_or_an_unknown_code_gets_one_answer(office):
    dossier = returned(office)
    client = Client()
    wrong = _find(client, dossier.code, "9999")
    unknown = _find(client, "000.00.00.H00-260101-0001", "5678")
    assert wrong.status_code == unknown.status_code == 403
    for response in (wrong, unknown):
        page = response.content.decode()
        assert "<title>Lỗi: Đánh giá mức độ hài lòng" in page
        assert (
            '<a href="#proof">4 chữ số cuối của số điện thoại hoặc số định danh: '
            "Mã hồ sơ hoặc 4 chữ số cuối không khớp với hồ sơ nào.</a>" in page
        )
        assert 'aria-invalid="true"' in page and "rating-question" not in page
    missing = _find(client, "", "")
    assert missing.status_code == 422 and '<a href="#code">Mã hồ sơ: Vui lòng nhập mã hồ sơ.</a>' in (
        missing.content.decode()
    )


def test_missing_answers_at_the_kiosk_are_listed_and_the_form_kept(office):
    dossier = returned(office)
    client = Client()
    token = _token(_find(client, dossier.code, "5678").content.decode())
    response = client.post("/danh-gia/", {"step": "rate", "token": token, "overall": "5"})
    assert response.status_code == 422
    page = response.content.decode()
    assert '<a href="#processing_time-5">' in page and '<a href="#overall-5">' not in page
    assert 'id="overall-5" name="overall" value="5" required checked' in page
    assert 'name="token"' in page
    assert not Rating.objects.exists()


def test_a_forged_or_stale_kiosk_step_starts_again(office):
    dossier = returned(office)
    client = Client()
    forged = signing.dumps({"dossier": dossier.pk, "proof": "5678"}, salt="another purpose")
    response = client.post("/danh-gia/", {"step": "rate", "token": forged, **ANSWERS})
    assert response.status_code == 400
    assert "Phiên đánh giá đã hết hạn; vui lòng nhập lại mã hồ sơ." in response.content.decode()
    # A token for the right dossier with a wrong second fact is refused by the rule itself.
    response = client.post(
        "/danh-gia/", {"step": "rate", "token": _signed({"dossier": dossier.pk, "proof": "0000"}), **ANSWERS}
    )
    assert response.status_code == 409 and not Rating.objects.exists()


def test_a_dossier_not_returned_yet_cannot_be_rated_at_the_kiosk(office):
    dossier = ready(office)
    office.citizen.phone = "0912345678"
    dossier.applicant_phone = "0912345678"
    dossier.save(update_fields=["applicant_phone"])
    response = _find(Client(), dossier.code, "5678")
    assert response.status_code == 409
    page = response.content.decode()
    assert "Chỉ đánh giá được sau khi hồ sơ đã trả kết quả." in page and "rating-question" not in page


def test_the_kiosk_shows_a_rating_given_online_to_change_it(office):
    dossier = returned(office)
    services.rate(dossier, {**ANSWERS, "overall": 3}, by=office.citizen, channel=RatingChannel.ONLINE)
    client = Client()
    page = _find(client, dossier.code, "5678").content.decode()
    assert "Hồ sơ này đã được đánh giá." in page
    assert 'id="overall-3" name="overall" value="3" required checked' in page
    client.post("/danh-gia/", {"step": "rate", "token": _token(page), **{**ANSWERS, "overall": 5}})
    rating = Rating.objects.get()
    assert rating.overall == 5 and rating.edits == 1 and rating.rater == office.citizen


def test_the_kiosk_is_rate_limited_per_client_address(office, settings):
    settings.MOTCUA_RATING_RATE = "3/h"
    dossier = returned(office)
    client = Client()
    for _ in range(3):
        assert _find(client, dossier.code, "1111").status_code == 403
    response = _find(client, dossier.code, "5678")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert client.get("/danh-gia/").status_code == 200  # reading the page is not counted


def test_one_code_is_tried_a_few_times_a_day_from_anywhere(office, settings):
    settings.MOTCUA_RATING_PROOF_RATE = "2/d"
    dossier = returned(office)
    for address in ("10.0.0.1", "10.0.0.2"):
        assert (
            Client(REMOTE_ADDR=address)
            .post("/danh-gia/", {"step": "find", "code": dossier.code, "proof": "0000"})
            .status_code
            == 403
        )
    response = Client(REMOTE_ADDR="10.0.0.3").post(
        "/danh-gia/", {"step": "find", "code": dossier.code, "proof": "5678"}
    )
    assert response.status_code == 429
    assert "Mã hồ sơ này đã được thử quá nhiều lần." in response.content.decode()
