import datetime

import factory

from motcua.agencies.constants import AgencyKind, UnitType
from motcua.agencies.models import AdministrativeUnit, Agency


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit
        django_get_or_create = ["code", "valid_from"]

    code = factory.Sequence(lambda n: f"{n + 90000:05d}")
    name = factory.Sequence(lambda n: f"Phường Thử Nghiệm {n}")
    type = UnitType.WARD
    valid_from = datetime.date(2025, 7, 1)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"000.00.{n % 100:02d}.H{n // 100 + 10:02d}")
    name = factory.Sequence(lambda n: f"Cơ quan thử nghiệm {n}")
    kind = AgencyKind.DEPARTMENT
    unit = factory.SubFactory(UnitFactory, type=UnitType.PROVINCE)
