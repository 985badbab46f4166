"""Agencies with their exchange keys, peers, and packages for the exchange's tests."""

import datetime
import secrets
from dataclasses import dataclass, field

from motcua.agencies.models import Agency
from motcua.agencies.tests.factories import AgencyFactory
from motcua.exchange import edxml, services, signature
from motcua.exchange.constants import Transport
from motcua.exchange.models import Peer
from motcua.signing import services as signing_services
from motcua.signing import testca

_ROOT: list[testca.Issued] = []


def test_root() -> testca.Issued:
    if not _ROOT:
        _ROOT.append(testca.make_root())
    return _ROOT[0]


@dataclass
class Keyed:
    """An agency (ours or another deployment's) and the certificate it signs its packages with."""

    code: str
    name: str
    issued: testca.Issued
    agency: Agency | None = None
    extra: dict = field(default_factory=dict)

    @property
    def pem(self) -> str:
        return self.issued.pem.decode()

    @property
    def key(self) -> signature.SigningKey:
        return signature.SigningKey(key=self.issued.key_pem, certificates=(self.issued.pem, test_root().pem))


_ISSUED: dict[str, testca.Issued] = {}


def issued_for(code: str, name: str) -> testca.Issued:
    """A certificate per agency code, made once per test session (RSA keys take a while)."""
    if code not in _ISSUED:
        _ISSUED[code] = testca.issue(test_root(), name, organization=name)
    return _ISSUED[code]


def local_agency(code: str = "000.00.00.H01", name: str = "Ủy ban nhân dân tỉnh Thử Nghiệm") -> Keyed:
    """One of our agencies, its certificate imported in motcua.signing (the exchange signs with it)."""
    agency = AgencyFactory(code=code, name=name)
    issued = issued_for(code, name)
    password = secrets.token_urlsafe(8)
    signing_services.import_pkcs12(
        testca.pkcs12_bytes(issued, [test_root()], password, friendly_name=name), password, agency=agency
    )
    return Keyed(code, name, issued, agency)


def remote_agency(
    code: str = "000.00.00.H02",
    name: str = "Ủy ban nhân dân tỉnh Bên Kia",
    *,
    peer: bool = True,
    transport: str = Transport.DIRECT,
    endpoint_url: str = "http://127.0.0.1:9",
) -> Keyed:
    """Another deployment's agency with its own key; a configured peer unless ``peer`` is False."""
    issued = issued_for(code, name)
    keyed = Keyed(code, name, issued)
    if peer:
        keyed.extra["peer"] = Peer.objects.create(
            organ_id=code,
            name=name,
            transport=transport,
            endpoint_url=endpoint_url,
            certificate_pem=keyed.pem,
        )
    return keyed


def package(
    sender: str = "000.00.00.H02",
    to: str = "000.00.00.H01",
    *,
    subject: str = "Về việc phối hợp kiểm tra liên ngành",
    number: str = "15",
    notation: str = "UBND-VP",
    attachment: bytes = b"%PDF-1.7\n% a test document\n",
    business: int = 0,
) -> edxml.Package:
    date = datetime.date(2026, 3, 12)
    code = edxml.Code(number, notation)
    return edxml.Package(
        header=edxml.MessageHeader(
            from_=edxml.Organization(sender, "Ủy ban nhân dân tỉnh Bên Kia"),
            to=[edxml.Organization(to, "Ủy ban nhân dân tỉnh Thử Nghiệm")],
            code=code,
            promulgation_info=edxml.PromulgationInfo("Bên Kia", date),
            document_type=edxml.DocumentType("2", "CV", "Công văn"),
            subject=subject,
            content="",
            signer_info=edxml.SignerInfo("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"),
            due_date=datetime.date(2026, 3, 20),
            to_places=["Như trên", "Lưu: VT"],
            document_id=edxml.document_id(sender, date, code),
        ),
        traces=[edxml.TraceHeader(sender, datetime.datetime(2026, 3, 12, 9, 30, tzinfo=edxml.VIETNAM))],
        business=edxml.Business(doc_type=edxml.BusinessType(business)),
        attachments=[edxml.Attachment("cong-van-15.pdf", "application/pdf", attachment)]
        if attachment
        else [],
    )


def signed(pkg: edxml.Package | edxml.StatusMessage, keyed: Keyed) -> bytes:
    tree = edxml.build_status(pkg) if isinstance(pkg, edxml.StatusMessage) else edxml.build_package(pkg)
    return services.seal(tree, keyed.key)
