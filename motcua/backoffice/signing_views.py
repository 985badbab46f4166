"""The staff's side of a result's digital signature: ask for it again (after a certificate was added,
a refusal or an expired remote request), or check whether the remote signer confirmed."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.backoffice.views import _dossier_url, _get_dossier, staff_required
from motcua.dossiers.constants import SignatureState
from motcua.signing import conf, selectors, services


def result_signature(dossier) -> dict | None:
    """What the dossier page shows of its result's signature (None: nothing to show)."""
    results = selectors.current_results(dossier)
    if not results or not conf.enabled():
        return None
    pending = [r for r in results if r.signature_state != SignatureState.SIGNED]
    ready = dossier.status in services.READY_STATUSES
    return {
        "results": results,
        "signed": not pending,
        "waiting": any(r.signature_state == SignatureState.AWAITING_SIGNER for r in pending),
        "can_request": ready and bool(pending),
    }


@staff_required
@require_POST
def sign_result(request, ref: str):
    dossier = _get_dossier(request.user, ref)
    states = services.request_result_signature(dossier, actor=request.user)
    if states and all(state == SignatureState.SIGNED for state in states):
        messages.success(request, _("Kết quả đã được ký số."))
    else:
        messages.info(request, _("Kết quả chưa được ký số; xem trạng thái chữ ký số bên dưới."))
    return redirect(_dossier_url(dossier))
