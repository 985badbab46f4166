"""The applicant's rating on their dossier's page (radio groups in fieldsets, an error summary, no
script needed), the rating shown with its edit link while it may be changed, and the staff's view."""

import datetime
import re

import pytest
from django.test import Client

from motcua.core import clock
from motcua.surveys import services
from motcua.surveys.constants import RatingChannel
from motcua.surveys.models import Rating
from motcua.surveys.tests.factories import ANSWERS, logged_in, ready, returned

pytestmark = pytest.mark.django_db


def _page(client, dossier, prefix="") -> str:
    response = client.get(f"{prefix}/ho-so-cua-toi/{dossier.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def _form(answers) -> dict:
    return {k: str(v) for k, v in answers.items()}


def test_the_returned_dossier_page_asks_for_a_rating(office):
    dossier = returned(office)
    page = _page(logged_in(office.citizen), dossier)
    assert '<h2 id="rating-title">Đánh giá mức độ hài lòng</h2>' in page
    assert f'action="/ho-so-cua-toi/{dossier.public_id}/danh-gia/"' in page
    # Four questions, each a fieldset whose legend is the question, five choices best first.
    assert page.count('<fieldset class="rating-question">') == 4
    for legend in [
        "Thời gian giải quyết hồ sơ",
        "Số lần phải đi lại, liên hệ với cơ quan",
        "Thái độ phục vụ của cán bộ",
        "Mức độ hài lòng chung",
    ]:
        assert f"<legend>{legend}</legend>" in page
    labels = re.findall(r'<label for="overall-(\d)">([^<]+)</label>', page)
    assert labels == [
        ("5", "Rất hài lòng"),
        ("4", "Hài lòng"),
        ("3", "Chấp nhận được"),
        ("2", "Không hài lòng"),
        ("1", "Rất không hài lòng"),
    ]
    english = _page(logged_in(office.citizen), dossier, "/en")
    assert "Satisfaction rating" in english and "Very satisfied" in english and "Staff attitude" in english


def test_no_rating_before_the_result_is_returned(office):
    dossier = ready(office)
    client = logged_in(office.citizen)
    assert "rating-title" not in _page(client, dossier)
    response = client.post(f"/ho-so-cua-toi/{dossier.public_id}/danh-gia/", _form(ANSWERS), follow=True)
    assert "Chỉ đánh giá được sau khi hồ sơ đã trả kết quả." in response.content.decode()
    assert not Rating.objects.exists()


def test_the_applicant_rates_then_sees_the_rating_and_may_change_it(office):
    dossier = returned(office)
    client = logged_in(office.citizen)
    response = client.post(f"/ho-so-cua-toi/{dossier.public_id}/danh-gia/", _form(ANSWERS))
    assert response.status_code == 302
    assert response["Location"] == f"/ho-so-cua-toi/{dossier.public_id}/#rating-title"
    rating = Rating.objects.get(dossier=dossier)
    assert rating.channel == RatingChannel.ONLINE and rating.rater == office.citizen and rating.overall == 4

    page = client.get(response["Location"]).content.decode()
    assert "Cảm ơn ông/bà đã đánh giá mức độ hài lòng." in page
    assert "<dt>Thời gian giải quyết hồ sơ</dt><dd>Rất hài lòng</dd>" in page
    assert "<dt>Mức độ hài lòng chung</dt><dd>Hài lòng</dd>" in page and "Cán bộ tận tình." in page
    assert '<fieldset class="rating-question">' not in page  # the form is on the edit page now
    assert f'href="/ho-so-cua-toi/{dossier.public_id}/danh-gia/">Sửa đánh giá</a>' in page

    edit = client.get(f"/ho-so-cua-toi/{dossier.public_id}/danh-gia/").content.decode()
    assert "<h1>Sửa đánh giá mức độ hài lòng</h1>" in edit
    assert 'id="overall-4" name="overall" value="4" required checked' in edit  # what was given
    changed = client.post(f"/ho-so-cua-toi/{dossier.public_id}/danh-gia/", _form({**ANSWERS, "overall": 1}))
    assert changed.status_code == 302
    rating.refresh_from_db()
    assert rating.overall == 1 and rating.satisfied is False and rating.edits == 1


def test_missing_answers_are_listed_in_the_error_summary_and_nothing_is_saved(office):
    dossier = returned(office)
    client = logged_in(office.citizen)
    response = client.post(
        f"/ho-so-cua-toi/{dossier.public_id}/danh-gia/",
        {"processing_time": "5", "contacts": "9", "comment": "Nhanh"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "<title>Lỗi: Đánh giá mức độ hài lòng" in page
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    assert (
        '<a href="#contacts-5">Số lần phải đi lại, liên hệ với cơ quan: Mức đánh giá phải từ 1 đến 5.</a>'
        in (summary)
    )
    assert '<a href="#staff_attitude-5">' in summary and '<a href="#overall-5">' in summary
    assert "#processing_time-5" not in summary
    # The answers given are kept, each question at fault says why beside it.
    assert 'id="processing_time-5" name="processing_time" value="5" required checked' in page
    assert 'aria-describedby="overall-error"' in page and '<p class="error" id="overall-error">' in page
    assert ">Nhanh</textarea>" in page
    assert not Rating.objects.exists()


def test_after_seven_days_the_rating_is_read_only(office):
    dossier = returned(office)
    services.rate(dossier, ANSWERS, by=office.citizen, channel=RatingChannel.ONLINE)
    client = logged_in(office.citizen)
    week_later = clock.now() + datetime.timedelta(days=7, minutes=1)
    with clock.using(lambda: week_later):
        page = _page(client, dossier)
        assert "<dt>Mức độ hài lòng chung</dt><dd>Hài lòng</dd>" in page
        assert "Sửa đánh giá</a>" not in page
        assert "Đánh giá đã gửi quá 7 ngày nên không sửa được nữa." in page
        response = client.get(f"/ho-so-cua-toi/{dossier.public_id}/danh-gia/")
        assert response.status_code == 302
        client.post(f"/ho-so-cua-toi/{dossier.public_id}/danh-gia/", _form({**ANSWERS, "overall": 1}))
    assert Rating.objects.get().overall == 4


def test_someone_elses_dossier_is_not_found(office):
    dossier = returned(office)
    client = logged_in(office.stranger)
    assert client.get(f"/ho-so-cua-toi/{dossier.public_id}/danh-gia/").status_code == 404
    assert client.post(f"/ho-so-cua-toi/{dossier.public_id}/danh-gia/", _form(ANSWERS)).status_code == 404
    assert Client().get(f"/ho-so-cua-toi/{dossier.public_id}/danh-gia/").status_code == 302  # to log in
    assert not Rating.objects.exists()


def test_the_staff_dossier_page_shows_the_rating(office):
    dossier = returned(office)
    client = logged_in(office.reception)
    page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "Chưa đánh giá" in page
    services.rate(dossier, {**ANSWERS, "overall": 2}, by=office.citizen, channel=RatingChannel.ONLINE)
    page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    section = page.split('id="rating-title"')[1].split("</section>")[0]
    assert "Không hài lòng" in section and "Cán bộ tận tình." in section
    assert "Trên Cổng dịch vụ công" in section and "Chưa hài lòng" in section


def test_an_operator_reads_ratings_in_the_admin_and_changes_nothing(office):
    from motcua.accounts.tests.factories import StaffFactory

    dossier = returned(office)
    rating = services.rate(dossier, ANSWERS, by=office.citizen, channel=RatingChannel.ONLINE).rating
    admin = logged_in(StaffFactory(is_staff=True, is_superuser=True))
    listing = admin.get("/quan-tri/surveys/rating/")
    assert listing.status_code == 200 and dossier.code in listing.content.decode()
    detail = admin.get(f"/quan-tri/surveys/rating/{rating.pk}/change/").content.decode()
    assert "Cán bộ tận tình." in detail and 'name="_save"' not in detail
    assert admin.post(f"/quan-tri/surveys/rating/{rating.pk}/delete/").status_code == 403
    assert admin.get("/quan-tri/surveys/rating/add/").status_code == 403
    # An officer with admin access sees only the ratings of dossiers they may see.
    outsider = office.outsider
    outsider.is_staff = True
    outsider.save(update_fields=["is_staff"])
    from django.contrib.auth.models import Permission

    outsider.user_permissions.add(Permission.objects.get(codename="view_rating"))
    page = logged_in(outsider).get("/quan-tri/surveys/rating/").content.decode()
    assert dossier.code not in page
    assert Rating.objects.count() == 1
