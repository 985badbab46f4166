"""The agency admin edits what the notices print: contacts, opening hours and the head of the agency."""

from django.urls import reverse

from motcua.agencies.models import Agency
from motcua.agencies.tests.factories import AgencyFactory


def test_admin_edits_contacts_opening_hours_and_the_head(admin_client):
    agency = AgencyFactory(name="Sở Tư pháp tỉnh Tuyên Quang")
    url = reverse("admin:agencies_agency_change", args=[agency.pk])

    page = admin_client.get(url).content.decode()
    for field in ("address", "phone", "email", "opening_hours", "head_title", "head_name"):
        assert f'name="{field}"' in page, field

    response = admin_client.post(
        url,
        {
            "code": agency.code,
            "name": agency.name,
            "kind": agency.kind,
            "unit": agency.unit_id,
            "is_active": "on",
            "address": "Số 12 đường 17 tháng 8, phường Minh Xuân",
            "phone": "0207 3822 512",
            "email": "sotuphap@example.vn",
            "opening_hours": "Sáng 7:30–11:30, chiều 13:00–17:00, thứ Hai đến thứ Sáu",
            "head_title": "Giám đốc",
            "head_name": "Vũ Đức Thắng",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    agency = Agency.objects.get(pk=agency.pk)
    assert agency.opening_hours == "Sáng 7:30–11:30, chiều 13:00–17:00, thứ Hai đến thứ Sáu"
    assert (agency.head_title, agency.head_name) == ("Giám đốc", "Vũ Đức Thắng")
