"""The documents a dossier issued, and the verification of any PDF.

- ``GET /api/dossiers/{ref}/documents``: each issued document (receipt, supplement_request, refusal,
  apology, stop, result, payment_receipt) with its name, SHA-256, whether it is signed, and where to
  download and verify it; to whoever may see the dossier (someone else's is a 404).
- ``POST /api/verify`` (multipart ``file``, no login): what the signature of a PDF says, and whether
  the system issued it (motcua.signing.verification); limited per client address like the page
  (MOTCUA_VERIFY_RATE).

Mounted before the dossiers router (motcua/api/urls.py) so that ``/dossiers/{ref}/documents`` is
never read as another dossier path.
"""

import datetime

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile

from motcua.api.auth import BearerToken
from motcua.api.dossiers import ERRORS, _dossier, _mounted
from motcua.api.schemas import ErrorOut
from motcua.core import ratelimit
from motcua.core.http import client_address
from motcua.dossiers import documents, selectors
from motcua.dossiers.downloads import download_name
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.services import render_pending
from motcua.payments import selectors as payment_selectors
from motcua.payments.services import render_receipt_pdf
from motcua.signing import verification

router = Router(tags=["documents"])
CHUNK = 64 * 1024


class IssuedDocumentOut(Schema):
    id: int
    kind: str = Field(
        description="receipt, supplement_request, refusal, apology, stop, result or payment_receipt."
    )
    name: str
    sha256: str = Field(description="SHA-256 of the file as issued now (hex).")
    size: int
    signed: bool
    signature_state: str = Field(
        description="unsigned, pending, awaiting_signer (the remote signer to confirm), no_certificate, "
        "failed or signed."
    )
    signer: str
    signed_at: datetime.datetime | None
    issued_at: datetime.datetime
    url: str = Field(description="Download (the caller's bearer token).")
    verify_url: str | None = Field(description="The public verification page printed on the document (QR).")


class SignatureOut(Schema):
    field_name: str
    signer: str
    signed_at: datetime.datetime | None
    intact: bool
    trusted: bool
    timestamped: bool
    covers_whole_document: bool


class RegisteredOut(Schema):
    kind: str
    dossier_code: str | None
    registered_at: datetime.datetime


class VerifyOut(Schema):
    sha256: str
    readable: bool = Field(description="The file is a PDF that could be read.")
    signed: bool
    intact: bool = Field(description="Signed, and unchanged since (every signature).")
    trusted: bool = Field(
        description="The signer's certificate chains to a trusted root and was not revoked."
    )
    revoked: bool
    valid: bool = Field(description="signed, intact and trusted.")
    signer: str | None
    signed_at: datetime.datetime | None = Field(description="The time-stamp's time when there is one.")
    timestamped: bool
    registered: bool = Field(description="The file's SHA-256 is in the register of documents we issued.")
    document: RegisteredOut | None
    signatures: list[SignatureOut]
    problems: list[str]


@router.get(
    "/dossiers/{ref}/documents", auth=BearerToken(), response={200: list[IssuedDocumentOut], **ERRORS}
)
def dossier_documents(request: HttpRequest, ref: str):
    """The documents the dossier issued, oldest first."""
    dossier = _dossier(request, ref)
    found = []
    for attachment in selectors.issued_documents(dossier):
        kind = documents.issued_kind(attachment)
        if kind is None or not selectors.can_download(request.auth, attachment):
            continue
        if attachment.pending:
            render_pending(attachment)
        found.append(
            {
                "id": attachment.pk,
                "kind": kind,
                "name": download_name(attachment),
                "sha256": attachment.sha256,
                "size": attachment.size or 0,
                "signed": attachment.signed,
                "signature_state": attachment.signature_state,
                "signer": attachment.signed_by,
                "signed_at": attachment.signed_at,
                "issued_at": attachment.uploaded_at,
                "url": request.build_absolute_uri(
                    reverse("api:download_file", args=[dossier.code or dossier.public_id, attachment.pk])
                ),
                "verify_url": documents.verification_url(attachment.verification_code)
                if attachment.verification_code
                else None,
            }
        )
    for receipt in payment_selectors.receipts(dossier):
        if receipt.pending:
            render_receipt_pdf(receipt)
        found.append(
            {
                "id": receipt.pk,
                "kind": "payment_receipt",
                "name": receipt.file_name,
                "sha256": receipt.sha256,
                "size": receipt.size or 0,
                "signed": False,
                "signature_state": "unsigned",
                "signer": "",
                "signed_at": None,
                "issued_at": receipt.issued_at,
                "url": request.build_absolute_uri(
                    reverse("api:dossier_receipt", args=[dossier.code or dossier.public_id, receipt.pk])
                ),
                "verify_url": None,
            }
        )
    return found


@router.post("/verify", auth=None, response={200: VerifyOut, 422: ErrorOut, 429: ErrorOut})
def verify(request: HttpRequest, file: File[UploadedFile]):
    """Verify a PDF's digital signature: intact, trusted, signer, time, and whether we issued it."""
    wait = ratelimit.hit("verify", client_address(request) or "-", ratelimit.rate_of("MOTCUA_VERIFY_RATE"))
    if wait:
        message = ratelimit.too_many_requests_message(wait)
        response = _mounted[0].create_response(request, {"detail": message, "errors": {}}, status=429)
        response["Retry-After"] = str(wait)
        return response
    limit = settings.MOTCUA_UPLOAD_MAX_BYTES
    if file.size is not None and file.size > limit:
        message = _("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": limit // (1024 * 1024)}
        raise InvalidInput(message, errors={"file": [message]})
    data = b"".join(file.chunks(CHUNK))
    if not data.startswith(verification.PDF_MAGIC):
        message = _("Tệp không phải là tệp PDF.")
        raise InvalidInput(message, errors={"file": [message]})
    return verification.verify_bytes(data).as_json()
