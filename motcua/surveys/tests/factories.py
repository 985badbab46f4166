"""Returned dossiers to rate, made by the real services on the dossiers' test office."""

from django.test import Client

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import Office, received

PHONE = "0912 345 678"  # the kiosk asks for 5678
IDENTITY = "008090001234"  # or 1234


def returned(office: Office, *, phone: str = PHONE, identity: str = IDENTITY) -> Dossier:
    """A dossier of the office's citizen taken through processing to the returned result (status 10)."""
    office.citizen.phone, office.citizen.identity_number = phone, identity
    office.citizen.save(update_fields=["phone", "identity_number"])
    dossier = ready(office)
    services.return_result(dossier, actor=office.reception)
    return dossier


def ready(office: Office) -> Dossier:
    """The result is ready (status 9), not yet returned."""
    dossier = received(office)
    services.forward(dossier, actor=office.specialist)
    services.attach_result(dossier, actor=office.leader)
    services.approve(dossier, actor=office.leader)
    return dossier


ANSWERS = {
    "processing_time": 5,
    "contacts": 4,
    "staff_attitude": 5,
    "overall": 4,
    "comment": "Cán bộ tận tình.",
}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
