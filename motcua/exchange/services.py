"""Writes of the exchange: packages queued and delivered with retries, packages received and checked.

**Sending.** ``queue`` writes an outgoing Package (its bytes final: built, signed with the sending
agency's certificate, validated against the schema) in the caller's transaction: the row is the
exchange's outbox. After the commit the task ``deliver_package`` tries it through the peer's
transport; a failure waits ``MOTCUA_EXCHANGE_RETRY_MINUTES`` (a deferred task, or ``manage.py
exchange_send`` where the task backend cannot defer), a refusal by the other side (4xx) gives it up
at once, as does the last wait.

**Receiving.** ``receive`` takes the bytes of a package from any transport: the sender must be an
active peer (else ``Refused`` 403), the signature must verify against that peer's certificate, the
package must validate against the schema and name one of our agencies (else ``Refused`` 422). Each
refusal is written to the audit log. An accepted package is stored byte for byte (the same bytes
twice are received once) and handed to ``handlers`` (motcua.exchange.handlers: documents).
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from motcua.agencies.models import Agency
from motcua.core import audit, clock
from motcua.exchange import edxml, schema, signature
from motcua.exchange.constants import Direction, MessageType, PackageState, Transport
from motcua.exchange.models import Package, Peer, StatusMessage
from motcua.exchange.transports import Received, TransportError, plugin

logger = logging.getLogger(__name__)


class ExchangeError(Exception):
    """Something this side cannot do (no certificate to sign with, a recipient not on the exchange)."""


@dataclass
class Refused(Exception):
    """A package we do not accept: ``status`` is the HTTP answer (403 unknown sender, 422 otherwise)."""

    status: int
    reason: str

    def __str__(self) -> str:
        return self.reason


# -- signing -----------------------------------------------------------------------------------------------


def signing_key(agency: Agency) -> signature.SigningKey:
    """The sending agency's key: its usable local certificate in motcua.signing (the one that seals its
    notices). ExchangeError when it has none."""
    from motcua.signing import keystore, selectors
    from motcua.signing.constants import Provider

    certificate = selectors.usable_certificate(agency=agency)
    if certificate is None or certificate.provider != Provider.LOCAL or not certificate.encrypted_key:
        raise ExchangeError(selectors.why_no_certificate(agency=agency))
    import base64

    chain = [bytes(certificate.certificate_der), *(base64.b64decode(der) for der in certificate.chain)]
    return signature.SigningKey(
        key=keystore.decrypt_key(bytes(certificate.encrypted_key)),
        certificates=tuple(signature.certificate_pem(der) for der in chain),
    )


def _load_key(key: signature.SigningKey) -> signature.SigningKey:
    # The key comes as PKCS#8 DER from the keystore; signxml wants a key object or PEM.
    from cryptography.hazmat.primitives.serialization import load_der_private_key

    if isinstance(key.key, bytes) and not key.key.startswith(b"-----"):
        return signature.SigningKey(
            key=load_der_private_key(key.key, password=None), certificates=key.certificates
        )
    return key


def seal(tree, key: signature.SigningKey) -> bytes:
    """Sign a built package or status message and check it against the schema: what leaves is valid."""
    data = signature.sign(tree, _load_key(key))
    schema.validate(edxml.read_xml(data))
    return data


def organization(agency: Agency) -> edxml.Organization:
    """An agency of ours as From/To."""
    parent = agency.parent.name if getattr(agency, "parent", None) is not None else ""
    return edxml.Organization(
        organ_id=agency.code,
        organ_name=agency.name,
        organization_in_charge=parent,
        organ_add=agency.address,
        email=agency.email,
        telephone=agency.phone,
    )


# -- sending -----------------------------------------------------------------------------------------------


def active_peer(organ_id: str) -> Peer | None:
    """The active peer of another deployment with this identifier (never one of our own agencies)."""
    return Peer.objects.filter(organ_id=organ_id, active=True).exclude(transport=Transport.LOCAL).first()


def local_peer(organ_id: str) -> Peer | None:
    """One of our own agencies as the far end of a package (transports.local): its Peer row, made the
    first time, transport ``local``. None when no agency of ours has this identifier. The row holds no
    certificate: a local package is checked against the agency's own usable certificate."""
    agency = our_agencies().filter(code=organ_id).first() if organ_id else None
    if agency is None:
        return None
    peer, _created = Peer.objects.get_or_create(
        organ_id=organ_id,
        defaults={"name": agency.name[:255], "transport": Transport.LOCAL, "certificate_pem": ""},
    )
    if peer.transport != Transport.LOCAL or not peer.active:
        return None
    return peer


def peer_for(organ_id: str) -> Peer | None:
    """Where a package for ``organ_id`` goes: the peer of another deployment, else (one of our own
    agencies) the local transport; None when the agency is not on the exchange."""
    return active_peer(organ_id) or local_peer(organ_id)


def local_certificate_pem(agency: Agency) -> str:
    """The certificate our agency signs its packages with now (the one signing_key uses), as PEM."""
    from motcua.signing import selectors

    certificate = selectors.usable_certificate(agency=agency)
    if certificate is None or not certificate.certificate_der:
        return ""
    return signature.certificate_pem(bytes(certificate.certificate_der)).decode()


def queue(
    *,
    peer: Peer,
    agency: Agency | None,
    data: bytes,
    message_type: str,
    edxml_document_id: str,
    code: str = "",
    subject: str = "",
    promulgation_date: datetime.date | None = None,
    business_type: int | None = None,
    status_code: str = "",
    document=None,
    recipient=None,
) -> Package:
    """Write an outgoing package (in the caller's transaction) and send it after the commit."""
    row = Package.objects.create(
        document=document,
        recipient=recipient,
        direction=Direction.OUT,
        message_type=message_type,
        business_type=business_type,
        status_code=status_code,
        peer=peer,
        agency=agency,
        edxml_document_id=edxml_document_id,
        code=code[:100],
        subject=subject[:1000],
        promulgation_date=promulgation_date,
        raw=data,
        sha256=Package.digest(data),
        size=len(data),
        state=PackageState.QUEUED,
        created_at=clock.now(),
    )
    audit.record(
        "exchange.package_queued",
        obj=row,
        summary=f"{message_type} {code or edxml_document_id} → {peer.organ_id}",
        peer=peer.organ_id,
        sha256=row.sha256,
        business_type=business_type,
        status_code=status_code,
    )
    pk = row.pk
    transaction.on_commit(lambda: _enqueue(pk))
    return row


def _enqueue(pk: int, when: datetime.datetime | None = None) -> None:
    from motcua.exchange.tasks import deliver_package

    try:
        if when is not None:
            deliver_package.using(run_after=when).enqueue(pk)
        else:
            deliver_package.enqueue(pk)
    except Exception:  # the row stays queued: exchange_send picks it up
        logger.exception("could not queue the delivery of package %s", pk)


def retry_waits() -> list[datetime.timedelta]:
    return [
        datetime.timedelta(minutes=m) for m in getattr(settings, "MOTCUA_EXCHANGE_RETRY_MINUTES", [1, 5, 15])
    ]


# A package claimed for sending longer ago than this is taken to be lost with its worker.
SENDING_TIMEOUT = datetime.timedelta(minutes=10)


def _due(now: datetime.datetime) -> Q:
    return (
        Q(state=PackageState.QUEUED)
        | Q(state=PackageState.FAILED, next_attempt_at__isnull=True)
        | Q(state=PackageState.FAILED, next_attempt_at__lte=now)
        | Q(state=PackageState.SENDING, claimed_at__lt=now - SENDING_TIMEOUT)
    )


def deliver(package_id: int, *, now: datetime.datetime | None = None) -> str:
    """One attempt at sending a queued package, or a failed one whose next attempt is due; its state.

    The attempt is claimed by one conditional UPDATE (two workers never send the same package at
    once), and the network call is made outside any transaction: no lock is held while the other side
    answers, which may itself call us back (a status message in answer to a recall). The outcome is
    written in a transaction of its own."""
    now = now or clock.now()
    claimed = (
        Package.objects.filter(pk=package_id, direction=Direction.OUT)
        .filter(_due(now))
        .update(state=PackageState.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    row = Package.objects.select_related("peer", "agency").filter(pk=package_id).first()
    if row is None or not claimed:
        return row.state if row is not None else ""
    try:
        reference = plugin(row.peer.transport).send(
            row.peer,
            bytes(row.raw),
            message_type=row.message_type,
            sender=row.agency.code if row.agency is not None else "",
        )
    except TransportError as exc:
        return _failed(row, exc, now)
    with transaction.atomic():
        row.state, row.sent_at, row.next_attempt_at = PackageState.SENT, clock.now(), None
        row.remote_reference = reference[:100]
        row.last_error = ""
        row.save(update_fields=["state", "sent_at", "next_attempt_at", "remote_reference", "last_error"])
        audit.record(
            "exchange.package_sent", obj=row, summary=f"→ {row.peer.organ_id}", reference=reference[:100]
        )
        _tell_document(row, "sent")
    return row.state


def _failed(row: Package, exc: TransportError, now: datetime.datetime) -> str:
    with transaction.atomic():
        row.last_error = str(exc)[:2000]
        waits = retry_waits()
        if exc.permanent or row.attempts > len(waits):
            row.state, row.next_attempt_at = PackageState.GIVEN_UP, None
            logger.warning("package %s given up after %s attempts: %s", row.pk, row.attempts, exc)
            audit.record("exchange.package_given_up", obj=row, summary=str(exc)[:400], attempts=row.attempts)
            _tell_document(row, "failed", str(exc))
        else:
            row.state, row.next_attempt_at = PackageState.FAILED, now + waits[row.attempts - 1]
            logger.info(
                "package %s failed (attempt %s), next at %s: %s",
                row.pk,
                row.attempts,
                row.next_attempt_at,
                exc,
            )
            _schedule_retry(row)
        row.save(update_fields=["state", "next_attempt_at", "last_error"])
    return row.state


def _tell_document(row: Package, state: str, note: str = "") -> None:
    """A new document's package got through (or was given up): its recipient's delivery state, in the
    document's history (documents.services.record_delivery)."""
    if row.recipient_id is None or row.message_type != MessageType.EDOC or row.business_type:
        return
    from motcua.documents import services as documents
    from motcua.documents.constants import DeliveryState, Status
    from motcua.documents.models import Recipient

    recipient = Recipient.objects.select_related("document").filter(pk=row.recipient_id).first()
    if recipient is None or recipient.document.status != Status.SENT:
        return
    if state == "sent" and recipient.state == DeliveryState.PENDING:
        documents.record_delivery(recipient, state=DeliveryState.SENT)
    elif state == "failed" and recipient.state in (DeliveryState.PENDING, DeliveryState.SENT):
        documents.record_delivery(recipient, state=DeliveryState.FAILED, description=note)


def _schedule_retry(row: Package) -> None:
    from motcua.exchange.tasks import deliver_package

    if deliver_package.get_backend().supports_defer and row.next_attempt_at is not None:
        when, pk = row.next_attempt_at, row.pk
        transaction.on_commit(lambda: _enqueue(pk, when))


def deliver_due(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Try the queued packages and the failed ones whose next attempt is due (``manage.py
    exchange_send``); how many were tried."""
    now = now or clock.now()
    ids = list(
        Package.objects.filter(direction=Direction.OUT)
        .filter(_due(now))
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        deliver(pk, now=now)
    return len(ids)


# -- receiving ---------------------------------------------------------------------------------------------


def _refuse(status: int, reason: str, *, data: bytes, sender: str = "") -> Refused:
    logger.warning("edXML package refused (%s) from %r: %s", status, sender, reason)
    audit.record(
        "exchange.package_refused",
        summary=f"{sender or '?'}: {reason}"[:400],
        sender=sender,
        status=status,
        reason=reason[:1000],
        sha256=Package.digest(data),
        size=len(data),
    )
    return Refused(status, reason)


def _claimed_sender(root) -> str:
    node = root.find(
        f"{{{edxml.NS}}}edXMLEnvelope/{{{edxml.NS}}}edXMLHeader/{{{edxml.NS}}}MessageHeader/"
        f"{{{edxml.NS}}}From/{{{edxml.NS}}}OrganId"
    )
    return (node.text or "").strip() if node is not None else ""


def check(data: bytes, *, local: bool = False) -> tuple[Peer, edxml.Package | edxml.StatusMessage]:
    """The peer and the content of a package that may be received; Refused (audited) otherwise.
    ``local``: handed over by transports.local, from one of our own agencies (checked against its own
    certificate); from anywhere else a sender must be a peer of another deployment."""
    try:
        root = edxml.read_xml(data)
    except edxml.MalformedPackage as exc:
        raise _refuse(422, str(exc), data=data) from None
    sender = _claimed_sender(root)
    if not sender:
        raise _refuse(422, "edXMLHeader/MessageHeader/From/OrganId is missing.", data=data)
    peer = local_peer(sender) if local else active_peer(sender)
    if peer is None:
        raise _refuse(403, f"{sender} is not an agency we exchange with.", data=data, sender=sender)
    certificate = peer.certificate_pem
    if local:
        agency = our_agencies().get(code=sender)
        certificate = local_certificate_pem(agency)
        if not certificate:
            raise _refuse(
                422, f"{sender} has no certificate to check its signature.", data=data, sender=sender
            )
    try:
        signed = signature.verify(root, certificate)
    except signature.BadSignature as exc:
        raise _refuse(422, str(exc), data=data, sender=sender) from None
    try:
        schema.validate(signed)
        content = edxml.parse(signed)
    except edxml.MalformedPackage as exc:
        raise _refuse(422, str(exc), data=data, sender=sender) from None
    if content.sender != sender:
        raise _refuse(422, "The signed sender is not the sender.", data=data, sender=sender)
    return peer, content


def our_agencies():
    """The agencies this system works for: every agency except those configured as peers (a
    deployment keeps the agencies it writes to as agencies too)."""
    remote = Peer.objects.exclude(transport=Transport.LOCAL).values("organ_id")
    return Agency.objects.exclude(code="").exclude(code__in=remote)


def our_agency(organ_ids: list[str]) -> Agency | None:
    return our_agencies().filter(code__in=organ_ids).order_by("code").first()


@dataclass
class Receipt:
    """What ``receive`` did: the stored package, and whether it had been received before."""

    package: Package
    duplicate: bool = False


def receive(data: bytes, *, reference: str = "", local: bool = False, to: str = "") -> Receipt:
    """Receive a package (from the direct endpoint, pulled from the backbone, or handed over by the
    local transport): check it, store it as received, and apply it (a document filed, a status
    recorded). Refused when it may not be received. ``to``: the one of our agencies it was sent to
    (the local transport knows it; one package may name several of ours)."""
    peer, content = check(data, local=local)
    if isinstance(content, edxml.StatusMessage):
        recipients = [content.response_for.organ_id]
    else:
        recipients = [to.organ_id for to in content.header.to]
    agency = our_agency([to] if to and to in recipients else recipients)
    if agency is None:
        raise _refuse(
            422,
            "The package is for none of our agencies: " + ", ".join(recipients),
            data=data,
            sender=peer.organ_id,
        )
    digest = Package.digest(data)
    existing = Package.objects.filter(direction=Direction.IN, peer=peer, agency=agency, sha256=digest).first()
    if existing is not None:
        return Receipt(existing, duplicate=True)
    try:
        with transaction.atomic():
            row = _store(peer, agency, data, digest, content, reference)
            from motcua.exchange import handlers

            handlers.apply(row, content)
    except IntegrityError:
        existing = Package.objects.filter(
            direction=Direction.IN, peer=peer, agency=agency, sha256=digest
        ).first()
        if existing is None:
            raise
        return Receipt(existing, duplicate=True)
    return Receipt(row)


def _store(peer: Peer, agency: Agency, data: bytes, digest: str, content, reference: str) -> Package:
    now = clock.now()
    if isinstance(content, edxml.StatusMessage):
        row = Package.objects.create(
            direction=Direction.IN,
            message_type=MessageType.STATUS,
            status_code=str(content.status_code),
            peer=peer,
            agency=agency,
            edxml_document_id=content.response_for.document_id,
            code=content.response_for.code[:100],
            promulgation_date=content.response_for.promulgation_date,
            raw=data,
            sha256=digest,
            size=len(data),
            state=PackageState.RECEIVED,
            remote_reference=reference[:100],
            created_at=now,
        )
        StatusMessage.objects.create(
            direction=Direction.IN,
            package=row,
            peer=peer,
            edxml_document_id=row.edxml_document_id,
            status_code=row.status_code,
            description=content.description[:1000],
            staff=content.staff_info.staff[:255],
            department=content.staff_info.department[:255],
            stated_at=content.timestamp,
            recorded_at=now,
        )
    else:
        h = content.header
        row = Package.objects.create(
            direction=Direction.IN,
            message_type=MessageType.EDOC,
            business_type=int(content.business.doc_type),
            peer=peer,
            agency=agency,
            edxml_document_id=h.document_id,
            code=str(h.code)[:100],
            promulgation_date=h.promulgation_info.date,
            subject=h.subject[:1000],
            raw=data,
            sha256=digest,
            size=len(data),
            state=PackageState.RECEIVED,
            remote_reference=reference[:100],
            created_at=now,
        )
    audit.record(
        "exchange.package_received",
        obj=row,
        summary=f"{row.message_type} {row.code or row.edxml_document_id} ← {peer.organ_id}",
        peer=peer.organ_id,
        sha256=digest,
        status_code=row.status_code,
        business_type=row.business_type,
    )
    return row


def poll(*, transport: str) -> dict[str, int]:
    """Take the packages waiting for our agencies on a pull transport (the backbone): each received
    (or refused) and acknowledged. Counts by outcome."""
    carrier = plugin(transport)
    counts = {"received": 0, "duplicate": 0, "refused": 0}
    organ_ids = list(our_agencies().values_list("code", flat=True))
    for item in carrier.receive(organ_ids):
        try:
            receipt = receive(item.data, reference=item.reference)
        except Refused as exc:
            counts["refused"] += 1
            _acknowledge(carrier, item, accepted=False, note=exc.reason)
            continue
        counts["duplicate" if receipt.duplicate else "received"] += 1
        _acknowledge(carrier, item, accepted=True)
    return counts


def _acknowledge(carrier, item: Received, *, accepted: bool, note: str = "") -> None:
    try:
        carrier.acknowledge(item, accepted=accepted, note=note)
    except TransportError:
        # Listed again next time: receiving the same bytes again is a no-op.
        logger.warning("could not acknowledge %s on %s", item.reference, carrier.name)
