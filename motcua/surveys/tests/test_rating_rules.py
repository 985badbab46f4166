"""Who may rate a dossier and when (motcua.surveys.rules), through the service that checks it under the
row lock: only after the result is returned, only its applicant or, at the kiosk, someone who knows its
code and the last four digits of the applicant's phone or identity number; one rating, changed within
seven days of when it was first given, then read only. Time moves with the project's clock."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from motcua.core import clock
from motcua.core.models import AuditEntry
from motcua.dossiers.errors import InvalidInput, NotAllowed, WrongState
from motcua.surveys import rules, services
from motcua.surveys.constants import RatingChannel
from motcua.surveys.models import Rating
from motcua.surveys.tests.factories import ANSWERS, ready, returned


def later(days: float):
    moment = clock.now() + datetime.timedelta(days=days)
    return clock.using(lambda: moment)


def test_the_applicant_rates_a_returned_dossier(office):
    dossier = returned(office)
    assert rules.may_rate(office.citizen, dossier)
    assert office.citizen.has_perm("surveys.rate", dossier)

    saved = services.rate(dossier, ANSWERS, by=office.citizen, channel=RatingChannel.ONLINE)

    rating = Rating.objects.get(dossier=dossier)
    assert saved.created and saved.rating == rating
    assert (rating.processing_time, rating.contacts, rating.staff_attitude, rating.overall) == (5, 4, 5, 4)
    assert rating.comment == "Cán bộ tận tình." and rating.rater == office.citizen
    assert rating.channel == "online" and rating.edits == 0
    # Derived by the database: overall 4 (hài lòng) is satisfied; the sum 18 of 20 → (18-4)×100/16.
    assert rating.satisfied is True and rating.score == 87
    entry = AuditEntry.objects.get(action="surveys.rate")
    assert entry.actor == office.citizen and entry.object_id == str(dossier.pk)
    assert entry.data["answers"] == {"processing_time": 5, "contacts": 4, "staff_attitude": 5, "overall": 4}


def test_a_dossier_not_yet_returned_cannot_be_rated(office):
    dossier = ready(office)  # the result is ready, not handed over
    verdict = rules.judge(office.citizen, rules.RatingFacts(dossier, office.citizen))
    assert not verdict.allowed and "trả kết quả" in verdict.reason
    with pytest.raises(WrongState, match="trả kết quả"):
        services.rate(dossier, ANSWERS, by=office.citizen, channel=RatingChannel.ONLINE)
    assert not Rating.objects.exists()


@pytest.mark.parametrize("who", ["stranger", "reception", "leader"])
def test_only_the_applicant_rates_online(office, who):
    dossier = returned(office)
    person = getattr(office, who)
    assert not rules.may_rate(person, dossier)
    assert rules.judge(person, rules.RatingFacts(dossier, person)).reason == ""  # not theirs: no reason
    with pytest.raises(NotAllowed):
        services.rate(dossier, ANSWERS, by=person, channel=RatingChannel.ONLINE)
    assert not Rating.objects.exists()


def test_at_the_kiosk_the_code_and_the_last_digits_of_the_phone_or_identity_number(office):
    dossier = returned(office)  # phone 0912 345 678, identity 008090001234
    anonymous = AnonymousUser()
    assert rules.may_rate(anonymous, dossier, proof="5678")
    assert rules.may_rate(None, dossier, proof="1234")
    for wrong in ["", "0000", "678", "45678", "abcd", "5679"]:
        assert not rules.may_rate(anonymous, dossier, proof=wrong), wrong
    with pytest.raises(NotAllowed):
        services.rate(dossier, ANSWERS, by=None, channel=RatingChannel.KIOSK, proof="0000")

    saved = services.rate(dossier, ANSWERS, by=None, channel=RatingChannel.KIOSK, proof="5678")
    assert saved.created and saved.rating.rater is None and saved.rating.channel == "kiosk"


def test_the_kiosk_finds_a_dossier_by_its_code_and_the_second_fact_only(office, settings):
    settings.MOTCUA_RATING_PROOF_RATE = "3/d"
    dossier = returned(office)
    assert services.kiosk_dossier(dossier.code.lower(), "5678") == dossier
    # An unknown code and a wrong second fact get the same answer, on the second fact's field.
    with pytest.raises(NotAllowed) as unknown:
        services.kiosk_dossier("000.00.00.H00-260101-9999", "5678")
    with pytest.raises(NotAllowed) as wrong:
        services.kiosk_dossier(dossier.code, "1111")
    assert unknown.value.message == wrong.value.message and set(wrong.value.errors) == {"proof"}
    with pytest.raises(NotAllowed):
        services.kiosk_dossier(dossier.code, "2222")
    # A fourth try of the same code today is refused, even with the right digits: 4 digits cannot be
    # guessed 10 000 times.
    with pytest.raises(services.TooManyAttempts) as many:
        services.kiosk_dossier(dossier.code, "5678")
    assert many.value.status_code == 429 and many.value.wait > 0
    with pytest.raises(InvalidInput) as empty:
        services.kiosk_dossier("  ", "5678")
    assert set(empty.value.errors) == {"code"}


def test_one_rating_per_dossier_changed_within_seven_days_then_read_only(office):
    dossier = returned(office)
    first = services.rate(dossier, ANSWERS, by=office.citizen, channel=RatingChannel.ONLINE).rating
    given_at = first.created_at

    with later(6.9):
        changed = services.rate(
            dossier, {**ANSWERS, "overall": 2, "comment": ""}, by=office.citizen, channel=RatingChannel.API
        )
    assert not changed.created and Rating.objects.count() == 1
    rating = Rating.objects.get()
    assert rating.overall == 2 and rating.satisfied is False and rating.comment == ""
    assert rating.edits == 1 and rating.channel == "api" and rating.created_at == given_at
    assert rating.updated_at > given_at
    assert AuditEntry.objects.filter(action="surveys.change_rating").count() == 1

    with later(7.01):
        verdict = rules.judge(office.citizen, rules.RatingFacts(dossier, office.citizen))
        assert not verdict.allowed and verdict.editing and "7 ngày" in verdict.reason
        with pytest.raises(WrongState, match="7 ngày"):
            services.rate(dossier, ANSWERS, by=office.citizen, channel=RatingChannel.ONLINE)
    assert Rating.objects.get().overall == 2


def test_the_edit_window_is_a_setting(office, settings):
    settings.MOTCUA_RATING_EDIT_DAYS = 2
    dossier = returned(office)
    services.rate(dossier, ANSWERS, by=office.citizen, channel=RatingChannel.ONLINE)
    with later(2.5), pytest.raises(WrongState, match="2 ngày"):
        services.rate(dossier, ANSWERS, by=office.citizen, channel=RatingChannel.ONLINE)


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({**ANSWERS, "overall": 6}, "overall"),
        ({**ANSWERS, "contacts": 0}, "contacts"),
        ({**ANSWERS, "staff_attitude": "rất tốt"}, "staff_attitude"),
        ({k: v for k, v in ANSWERS.items() if k != "processing_time"}, "processing_time"),
        ({**ANSWERS, "overall": True}, "overall"),
        ({**ANSWERS, "comment": "x" * 2001}, "comment"),
    ],
)
def test_answers_off_the_scale_are_refused_naming_the_field(office, answers, field):
    dossier = returned(office)
    with pytest.raises(InvalidInput) as refused:
        services.rate(dossier, answers, by=office.citizen, channel=RatingChannel.ONLINE)
    assert list(refused.value.errors) == [field]
    assert not Rating.objects.exists()


def test_a_dossier_without_phone_or_identity_cannot_be_rated_at_the_kiosk(office):
    dossier = returned(office, phone="", identity="")
    dossier.applicant_identity = ""
    dossier.save(update_fields=["applicant_identity"])
    assert not rules.may_rate(None, dossier, proof="0000")
    assert not rules.may_rate(None, dossier, proof="")
    assert rules.may_rate(office.citizen, dossier)  # online it still can


def test_the_reports_count_ratings_satisfied_and_average_each_question(office):
    from motcua.surveys.selectors import satisfaction

    assert satisfaction().rated == 0 and satisfaction().share is None
    first, second = returned(office), returned(office)
    services.rate(first, ANSWERS, by=office.citizen, channel=RatingChannel.ONLINE)
    services.rate(
        second,
        {"processing_time": 2, "contacts": 1, "staff_attitude": 3, "overall": 3},
        by=office.citizen,
        channel=RatingChannel.ONLINE,
    )
    counted = satisfaction()
    assert (counted.rated, counted.satisfied, counted.share) == (2, 1, 0.5)
    assert counted.averages == {
        "processing_time": 3.5,
        "contacts": 2.5,
        "staff_attitude": 4.0,
        "overall": 3.5,
    }
    assert satisfaction(Rating.objects.filter(dossier=second)).satisfied == 0
