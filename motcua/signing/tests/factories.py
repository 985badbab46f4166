"""Certificates for tests, made by the session's test CA and added through the admin's own service."""

import datetime

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.core import clock
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import Office, received
from motcua.signing import services, testca
from motcua.signing.demo import Material
from motcua.signing.models import Certificate

PASSWORD = "mat-khau-p12"


def certificate_for(
    material: Material,
    *,
    user: User | None = None,
    agency: Agency | None = None,
    valid_from: datetime.datetime | None = None,
    valid_to: datetime.datetime | None = None,
    added_at: datetime.datetime | None = None,
) -> Certificate:
    name = (user.full_name if user is not None else agency.name) or "Người ký"  # type: ignore[union-attr]
    issued = testca.issue(
        material.root, name, organization="motcua", valid_from=valid_from, valid_to=valid_to
    )
    return services.import_pkcs12(
        testca.pkcs12_bytes(issued, [material.root], PASSWORD),
        PASSWORD,
        user=user,
        agency=agency,
        now=added_at,
    )


def p12(material: Material, name: str = "Người ký", **validity) -> bytes:
    return testca.pkcs12_bytes(testca.issue(material.root, name, **validity), [material.root], PASSWORD)


def approved(office: Office, *, upload=None) -> Dossier:
    """A dossier of the office taken through processing to the leader's approval (ready, status 9),
    with a generated result (or the ``upload``ed one)."""
    dossier = received(office)
    dossier_services.attach_result(dossier, actor=office.specialist, upload=upload, name="ket-qua.pdf")
    dossier_services.forward(dossier, actor=office.specialist, to_user=office.leader)
    dossier_services.approve(dossier, actor=office.leader)
    return dossier


def days(n: float) -> datetime.datetime:
    return clock.now() + datetime.timedelta(days=n)
