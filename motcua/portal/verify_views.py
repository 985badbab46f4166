"""Public verification of the documents the system issues (xác thực văn bản): from the QR code printed
on a document (``/xac-thuc/<code>``), or by uploading a PDF (``/xac-thuc/``). No login. The page says
whether the file is signed, unchanged, by a trusted certificate, by whom and when, and whether it is a
document we issued; it shows nothing personal (no applicant, no content)."""

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.core.ratelimit import limited_page
from motcua.dossiers import documents
from motcua.signing import selectors, verification

CHUNK = 64 * 1024


def _read_upload(request: HttpRequest) -> tuple[bytes | None, str]:
    """The uploaded PDF's bytes, or None and the error to show on the field."""
    upload = request.FILES.get("file")
    if upload is None:
        return None, _("Chọn tệp PDF cần xác thực.")
    limit = settings.MOTCUA_UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        return None, _("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": limit // (1024 * 1024)}
    data = b"".join(upload.chunks(CHUNK))
    if not data.startswith(verification.PDF_MAGIC):
        return None, _("Tệp không phải là tệp PDF.")
    return data, ""


def _verifies(request, **kwargs) -> bool:
    return request.method == "POST"


@limited_page("verify", "MOTCUA_VERIFY_RATE", counts=_verifies)
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest):
    """Upload a PDF and see what its signature says."""
    context: dict = {"result": None, "error": ""}
    status = 200
    if request.method == "POST":
        data, error = _read_upload(request)
        if data is None:
            context["error"] = error
            status = 400
        else:
            context["result"] = verification.verify_bytes(data)
    return render(request, "portal/verify.html", context, status=status)


@limited_page("verify", "MOTCUA_VERIFY_RATE", counts=_verifies)
@require_http_methods(["GET", "POST"])
def verify_code(request: HttpRequest, code: str):
    """The document a QR code points at: its verification as we keep it, and a form to check that a
    copy is that document."""
    attachment = selectors.document_by_code(code)
    if attachment is None:
        return render(request, "portal/verify.html", {"unknown_code": code, "result": None}, status=404)
    context: dict = {
        "code": attachment.verification_code,
        "issued": attachment,
        "kind": documents.issued_kind(attachment),
        "dossier": attachment.dossier,
        "result": verification.verify_document(attachment),
        "error": "",
        "copy": None,
    }
    status = 200
    if request.method == "POST":
        data, error = _read_upload(request)
        if data is None:
            context["error"] = error
            status = 400
        else:
            context["copy"] = verification.verify_bytes(data)
            context["copy_matches"] = verification.same_document(attachment, data)
    return render(request, "portal/verify.html", context, status=status)
