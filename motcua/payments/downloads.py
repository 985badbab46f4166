"""A receipt's PDF as an HTTP response, with the headers of every dossier file
(motcua.dossiers.downloads): its type, a name we choose, nosniff, kept out of caches. A receipt not
rendered yet is rendered first, once. The views check who may see it."""

import logging

from django.http import FileResponse, Http404

from motcua.dossiers.downloads import content_disposition
from motcua.payments.models import Receipt
from motcua.payments.services import render_receipt_pdf

logger = logging.getLogger(__name__)


def receipt_response(receipt: Receipt, *, inline: bool) -> FileResponse:
    if receipt.pending:
        render_receipt_pdf(receipt)
    try:
        handle = receipt.file.open("rb")
    except FileNotFoundError:
        logger.warning("File of receipt %s is missing from storage", receipt.pk)
        raise Http404 from None
    response = FileResponse(handle, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(receipt.file_name, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
