from motcua.agencies.models.agencies import Agency
from motcua.agencies.models.units import AdministrativeUnit

__all__ = ["AdministrativeUnit", "Agency"]
