"""The ways to submit a procedure (hình thức nộp), each with its processing time and fees."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from motcua.catalog.selectors import procedure_version
from motcua.catalog.services import start_draft
from motcua.catalog.tests.factories import BIRTH_CHANNELS, make_procedure

pytestmark = pytest.mark.django_db


def test_channels_keep_their_order_time_and_fees(agency):
    make_procedure("1.001193", "Đăng ký khai sinh", agency=agency, channels=BIRTH_CHANNELS)

    channels = list(procedure_version("1.001193").channels.all())

    assert [c.channel for c in channels] == ["online", "post", "counter"]
    assert [c.get_channel_display() for c in channels] == ["Trực tuyến", "Dịch vụ bưu chính", "Trực tiếp"]
    assert (channels[0].time, channels[0].unit, channels[0].fee_text) == (
        Decimal(1),
        "working_days",
        "Miễn phí",
    )
    assert channels[0].time_label == "1 ngày làm việc"


def test_a_channel_without_its_own_time_shows_the_procedures(agency):
    make_procedure("1.001193", "Đăng ký khai sinh", agency=agency, channels=BIRTH_CHANNELS)

    counter = procedure_version("1.001193").channels.get(channel="counter")

    assert counter.time is None
    assert counter.time_label == "3 ngày làm việc"  # the version's processing time
    with translation.override("en"):
        assert counter.time_label == "3 working days"


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"channel": "online", "time": "5", "unit": ""}, "unit"),
        ({"channel": "online", "time": None, "unit": "working_days"}, "time"),
        ({"channel": "fax", "time": None, "unit": ""}, "channel"),
        ({"channel": "post", "time": "0", "unit": "working_days"}, "time"),
    ],
)
def test_a_channel_needs_a_known_way_and_a_time_with_its_unit(agency, row, field):
    with pytest.raises(ValidationError) as error:
        make_procedure("1.001193", "Đăng ký khai sinh", agency=agency, channels=[row])

    assert field in error.value.message_dict


def test_a_new_draft_copies_the_channels_and_leaves_the_published_ones_alone(agency):
    first = make_procedure("1.001193", "Đăng ký khai sinh", agency=agency, channels=BIRTH_CHANNELS)

    draft = start_draft(first.procedure)
    draft.channels.filter(channel="post").delete()

    assert [c.channel for c in draft.channels.all()] == ["online", "counter"]
    assert [c.channel for c in first.channels.all()] == ["online", "post", "counter"]
    assert {c.pk for c in draft.channels.all()}.isdisjoint({c.pk for c in first.channels.all()})
