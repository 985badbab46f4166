import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

# The two-tier local government took effect on this day (Resolution 202/2025/QH15).
TWO_TIER_SINCE = datetime.date(2025, 7, 1)
LEGACY_UNTIL = datetime.date(2025, 6, 30)


class UnitType(models.TextChoices):
    PROVINCE = "province", _("Tỉnh")
    MUNICIPALITY = "municipality", _("Thành phố trực thuộc trung ương")
    WARD = "ward", _("Phường")
    COMMUNE = "commune", _("Xã")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")
    TOWNSHIP = "township", _("Thị trấn")
    LEGACY_DISTRICT = "district", _("Quận, huyện, thị xã, thành phố thuộc tỉnh (cũ)")


class AgencyKind(models.TextChoices):
    PROVINCIAL_COMMITTEE = "provincial_committee", _("Ủy ban nhân dân tỉnh")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    SERVICE_CENTRE = "service_centre", _("Trung tâm Phục vụ hành chính công")
    COMMUNE_COMMITTEE = "commune_committee", _("Ủy ban nhân dân cấp xã")
    OTHER = "other", _("Đơn vị khác")
