from django.db import models
from django.utils.translation import gettext_lazy as _


class DurationUnit(models.TextChoices):
    """How a legal duration is counted. Same values as the catalogue's time unit."""

    WORKING_DAYS = "working_days", _("ngày làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")
    WORKING_HOURS = "working_hours", _("giờ làm việc")


class CalendarPauseRule(models.TextChoices):
    """How a pause (request to supplement) moves a calendar-day deadline; the regulation does not say.

    Setting ``MOTCUA_CALENDAR_PAUSE_RULE``; the rules are spelled out in ``motcua.calendar.workdays``.
    """

    REMAINING_DAYS = "remaining_days", _("Tính tiếp số ngày còn lại từ ngày hết tạm dừng")
    WHOLE_DAYS = "whole_days", _("Cộng thời gian tạm dừng làm tròn lên ngày")


class DayKind(models.TextChoices):
    """Why a day is off, or why a day that looks off is worked."""

    WEEKEND = "weekend", _("Nghỉ cuối tuần")
    HOLIDAY = "holiday", _("Nghỉ lễ, Tết")
    OVERRIDE_OFF = "override_off", _("Ngày nghỉ do địa phương quyết định")
    MAKEUP = "makeup", _("Ngày làm bù")
    OVERRIDE_WORKING = "override_working", _("Ngày làm việc do địa phương quyết định")


# A dossier received after this time counts from the next working morning (DOMAIN: Processing rules).
DEFAULT_RECEPTION_CUTOFF = "15:00"
# The days left when a pause starts are counted again from the day it ends (CalendarPauseRule).
DEFAULT_CALENDAR_PAUSE_RULE = "remaining_days"
# Morning and afternoon office hours: 8 working hours, one legal working day.
DEFAULT_WORKING_HOURS = (("07:30", "11:30"), ("13:00", "17:00"))
