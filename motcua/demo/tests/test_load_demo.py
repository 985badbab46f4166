import io

import pytest
from django.core.management import call_command

from motcua.accounts.models import User
from motcua.accounts.services import log_in
from motcua.agencies.models import Agency
from motcua.catalog.models import Field, ProcedureVersion
from motcua.catalog.selectors import search_procedures
from motcua.demo import seed
from motcua.demo.seed import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_and_again_without_change():
    call_command("load_demo", "--dossiers=0", stdout=io.StringIO())
    counts = (Agency.objects.count(), User.objects.count(), ProcedureVersion.objects.count())
    call_command("load_demo", "--dossiers=0", stdout=io.StringIO())

    assert counts == (Agency.objects.count(), User.objects.count(), ProcedureVersion.objects.count())
    assert Agency.objects.count() >= 8
    current = ProcedureVersion.objects.current()
    assert current.count() >= 40
    assert Field.objects.filter(versions__is_current=True).distinct().count() >= 8
    assert current.filter(mode="full_online").exists() and current.filter(mode="partial").exists()
    for username in ["citizen", "business", "reception", "specialist", "leader", "agencyadmin", "admin"]:
        assert log_in(None, username, DEMO_PASSWORD).username == username
    assert search_procedures("dang ki khai sinh")[0].name == "Đăng ký khai sinh"
    assert not any(v.name.isascii() for v in current)


def test_every_demo_procedure_says_how_to_submit_as_the_national_catalogue_does():
    seed.load_procedures(seed.seed_agencies())
    current = ProcedureVersion.objects.current().prefetch_related("channels")

    assert all(v.channels.all() for v in current)
    birth = current.get(procedure__code="1.001193")
    assert [(c.channel, c.time_label, c.fee_text) for c in birth.channels.all()] == [
        ("online", "1 ngày làm việc", "Miễn phí"),
        ("post", "1 ngày làm việc", "Miễn phí"),
        ("counter", "1 ngày làm việc", "Miễn phí"),
    ]
    # Residence registration costs less online than at the counter.
    residence = {c.channel: c.fee_text for c in current.get(procedure__code="1.004222").channels.all()}
    assert residence == {"online": "10.000 đồng", "counter": "20.000 đồng"}
