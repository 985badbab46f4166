from django.db import models
from django.utils.translation import gettext_lazy as _


class DurationUnit(models.TextChoices):
    """How a legal duration is counted. Same values as the catalogue's time unit."""

    WORKING_DAYS = "working_days", _("ngày làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")
    WORKING_HOURS = "working_hours", _("giờ làm việc")


class DayKind(models.TextChoices):
    """Why a day is off, or why a day that looks off is worked."""

    WEEKEND = "weekend", _("Nghỉ cuối tuần")
    HOLIDAY = "holiday", _("Nghỉ lễ, Tết")
    OVERRIDE_OFF = "override_off", _("Ngày nghỉ do địa phương quyết định")
    MAKEUP = "makeup", _("Ngày làm bù")
    OVERRIDE_WORKING = "override_working", _("Ngày làm việc do địa phương quyết định")


# A dossier received after this time counts from the next working morning (DOMAIN: Processing rules).
DEFAULT_RECEPTION_CUTOFF = "15:00"
# Morning and afternoon office hours: 8 working hours, one legal working day.
DEFAULT_WORKING_HOURS = (("07:30", "11:30"), ("13:00", "17:00"))
