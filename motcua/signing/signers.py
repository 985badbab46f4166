"""Signer plugins: who holds the private key of a certificate, and how a signature is obtained.

Each certificate names its provider (``Certificate.provider``); the registry gives the plugin:

- ``local`` (:class:`LocalSigner`): the key is ours, encrypted in the database; the PDF is signed at
  once.
- ``smartca`` (:class:`SmartCASigner`): the key stays with a remote-signing service in the shape of
  VNPT SmartCA. ``sign`` prepares the document (pyHanko's interrupted signing), sends the hash and
  returns a waiting :class:`~motcua.signing.models.SigningRequest`; ``poll`` asks the service and,
  once the signer confirmed on their phone, completes the PDF. ``prepare`` and ``send`` are the two
  halves of ``sign``, for a caller that records the request itself and calls the service outside
  its row lock (motcua.documents: claim, call, record).

A deployment adds a provider (Viettel MySign, a PKCS#11 token...) by registering another plugin.
"""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from motcua.accounts.models import User
from motcua.core import clock
from motcua.dossiers.models import Attachment
from motcua.signing import conf, keystore, pades, smartca
from motcua.signing.constants import Provider, RequestState
from motcua.signing.models import Certificate, SigningRequest


class SignerUnavailable(Exception):
    """The signer cannot sign now (no key, the service down...): the message says why."""


@dataclass
class Job:
    """A document to sign."""

    pdf: bytes
    certificate: Certificate
    # The dossier's document being signed; None for an official document (motcua.documents), whose
    # remote signature goes through ``prepare`` and ``send``.
    attachment: Attachment | None
    signer: User | None = None
    box: pades.Box | None = None
    appearance: pades.Appearance | None = None
    reason: str = ""
    location: str = ""
    timestamp_url: str | None = None
    description: str = ""


@dataclass
class Outcome:
    """What a plugin got: the signed PDF, or a remote request still waiting, or why it failed."""

    state: str  # a RequestState value
    pdf: bytes | None = None
    request: SigningRequest | None = None
    message: str = ""


class SignerPlugin:
    name: ClassVar[str]
    # Does the signature come later (the signer confirms elsewhere)?
    asynchronous: ClassVar[bool] = False

    def sign(self, job: Job) -> Outcome:
        raise NotImplementedError

    def poll(self, request: SigningRequest, *, now: datetime.datetime | None = None) -> Outcome:
        raise NotImplementedError(f"{self.name} signs at once; there is nothing to poll.")


REGISTRY: dict[str, SignerPlugin] = {}


def register(name: str) -> Callable[[type[SignerPlugin]], type[SignerPlugin]]:
    def add(cls: type[SignerPlugin]) -> type[SignerPlugin]:
        cls.name = name
        REGISTRY[name] = cls()
        return cls

    return add


def plugin_for(certificate: Certificate) -> SignerPlugin:
    try:
        return REGISTRY[certificate.provider]
    except KeyError:
        raise SignerUnavailable(f"No signer plugin for provider {certificate.provider!r}.") from None


def chain_of(certificate: Certificate) -> tuple:
    import base64

    return tuple(pades.load_certificate(base64.b64decode(der)) for der in certificate.chain)


def credential(certificate: Certificate) -> pades.Credential:
    """The certificate, its chain and (for a local one) its decrypted private key."""
    key = None
    if certificate.encrypted_key:
        key = pades.load_private_key(keystore.decrypt_key(bytes(certificate.encrypted_key)))
    return pades.Credential(
        certificate=pades.load_certificate(bytes(certificate.certificate_der)),
        chain=chain_of(certificate),
        private_key=key,
    )


@register(Provider.LOCAL)
class LocalSigner(SignerPlugin):
    def sign(self, job: Job) -> Outcome:
        try:
            signed = pades.sign(
                job.pdf,
                credential(job.certificate),
                box=job.box,
                appearance=job.appearance,
                timestamp_url=job.timestamp_url,
                reason=job.reason,
                location=job.location,
            )
        except (pades.SignatureFailed, keystore.KeystoreError) as exc:
            return Outcome(RequestState.FAILED, message=str(exc))
        return Outcome(RequestState.SIGNED, pdf=signed)


def client() -> smartca.Client:
    sp_id, sp_password = conf.remote_credentials()
    return smartca.Client(conf.remote_url(), sp_id, sp_password)


@register(Provider.SMARTCA)
class SmartCASigner(SignerPlugin):
    asynchronous = True

    def prepare(self, job: Job) -> pades.Prepared:
        """The PDF with its placeholder and the hash the signer signs (no call to the service).
        Raises pades.SignatureFailed."""
        cred = credential(job.certificate)
        return pades.prepare_external(
            job.pdf,
            cred.certificate,
            cred.chain,
            box=job.box,
            appearance=job.appearance,
            reason=job.reason,
            location=job.location,
            timestamped=job.timestamp_url is not None,
        )

    def send(
        self,
        certificate: Certificate,
        to_be_signed: bytes,
        *,
        transaction_id: str,
        description: str,
        doc_id: str,
    ) -> smartca.Started:
        """Ask the service for the signer's signature of ``to_be_signed``. Raises SmartCAError."""
        return client().sign_hash(
            user_id=certificate.remote_user_id,
            serial_number=certificate.serial_number,
            transaction_id=transaction_id,
            description=description,
            digest=to_be_signed,
            doc_id=doc_id,
        )

    def sign(self, job: Job) -> Outcome:
        attachment = job.attachment
        if attachment is None:  # an official document: motcua.documents calls prepare and send itself
            return Outcome(RequestState.FAILED, message="A remote signature needs a dossier's document.")
        certificate = job.certificate
        try:
            prepared = self.prepare(job)
        except pades.SignatureFailed as exc:
            return Outcome(RequestState.FAILED, message=str(exc))
        transaction_id = uuid.uuid4().hex
        try:
            started = self.send(
                certificate,
                prepared.to_be_signed,
                transaction_id=transaction_id,
                description=job.description,
                doc_id=attachment.verification_code or str(attachment.pk),
            )
        except smartca.SmartCAError as exc:
            return Outcome(RequestState.FAILED, message=str(exc))
        now = clock.now()
        request = SigningRequest.objects.create(
            attachment=attachment,
            certificate=certificate,
            signer=job.signer,
            transaction_id=started.transaction_id,
            provider_reference=started.tran_code,
            prepared_pdf=prepared.pdf,
            prepared=pades.prepared_to_json(prepared),
            to_be_signed=prepared.to_be_signed.hex(),
            created_at=now,
            expires_at=now + datetime.timedelta(seconds=started.expires_in),
        )
        return Outcome(RequestState.WAITING, request=request)

    def poll(self, request: SigningRequest, *, now: datetime.datetime | None = None) -> Outcome:
        now = now or clock.now()
        try:
            status = client().status(request.transaction_id)
        except smartca.SmartCAError as exc:
            if now >= request.expires_at:
                return Outcome(RequestState.EXPIRED, request=request, message=str(exc))
            # The service may come back: the request waits until it expires.
            return Outcome(RequestState.WAITING, request=request, message=str(exc))
        if status.state == smartca.CONFIRMED and status.signature_value is not None:
            prepared = pades.prepared_from_json(bytes(request.prepared_pdf), request.prepared)
            try:
                signed = pades.finish_external(
                    prepared, status.signature_value, timestamp_url=conf.timestamp_url()
                )
            except pades.SignatureFailed as exc:
                return Outcome(RequestState.FAILED, request=request, message=str(exc))
            return Outcome(RequestState.SIGNED, pdf=signed, request=request)
        if status.state == smartca.REJECTED:
            return Outcome(RequestState.REFUSED, request=request)
        if status.state == smartca.EXPIRED or now >= request.expires_at:
            return Outcome(RequestState.EXPIRED, request=request)
        return Outcome(RequestState.WAITING, request=request)
