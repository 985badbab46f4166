import pytest


@pytest.fixture
def other_agency(agency):
    # Built from the shared `agency` fixture: the calendar app sits below agencies and may not import it.
    return type(agency).objects.create(
        code="000.00.13.H59", name="Sở Xây dựng tỉnh Tuyên Quang", kind=agency.kind, unit=agency.unit
    )
