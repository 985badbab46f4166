"""The finisher motcua.dossiers calls on each generated document it renders (documents.FINISHERS):
notices are signed by their agency, a result by its signer once the dossier is ready
(motcua.signing.services). A finisher never breaks a render: an unexpected failure is logged and
noted on the document, which is stored unsigned."""

import logging

from django.utils import translation

from motcua.dossiers import documents
from motcua.dossiers.constants import SignatureState
from motcua.dossiers.models import Attachment
from motcua.signing import conf, services

logger = logging.getLogger(__name__)


def finish_issued_document(attachment: Attachment, pdf: bytes) -> bytes:
    kind = documents.issued_kind(attachment)
    if kind is None:
        return pdf
    if not conf.enabled():
        attachment.signature_state = SignatureState.UNSIGNED
        if kind != documents.RESULT_KIND:  # a result is registered when it is issued (status 9)
            services.register(attachment, pdf)
        return pdf
    try:
        with translation.override("vi"):
            if kind == documents.RESULT_KIND:
                return services.finish_result_render(attachment, pdf)
            return services.sign_notice(attachment, pdf)
    except Exception as exc:  # e.g. a corrupt key: the document is still issued, unsigned
        logger.exception("signing attachment %s failed", attachment.pk)
        attachment.signature_state = SignatureState.FAILED
        attachment.signature_note = f"{type(exc).__name__}: {exc}"[:300]
        return pdf
