"""Everything that changes a dossier (Decree 61/2018, Decree 118/2025), by who acts: the applicant
(``applicant``), the one-stop unit (``reception``), the officers who process it (``processing``),
counter intake (``counter``) and dossiers filed on another portal (``external``).

Each action runs in one transaction (``base.acting``): it locks the dossier row, compares the
revision the caller saw, asks the table of ``motcua.dossiers.rules`` whether this person may take
this action on the dossier as it is now, appends an Action to the history, stores the derived
status, writes the audit row and publishes an event delivered only after commit. Views, the API,
the admin and commands all call these functions.
"""

from motcua.dossiers.services.applicant import (
    add_document,
    check_complete,
    claim_dossier,
    delete_draft,
    missing_documents,
    receiving_agencies,
    resubmit,
    save_draft,
    start_dossier,
    submit,
    submit_new,
    withdraw,
)
from motcua.dossiers.services.base import lookup_url, queue_renders, render_pending, renders_collected
from motcua.dossiers.services.counter import intake_at_counter
from motcua.dossiers.services.external import submit_from_portal
from motcua.dossiers.services.processing import (
    apologize,
    approve,
    attach_result,
    consult,
    forward,
    has_result,
    mark_ready,
    record_payment,
    reply_consultation,
    request_payment,
    send_back,
    stop,
)
from motcua.dossiers.services.reception import receive, refuse, request_supplement, return_result

__all__ = [
    "add_document",
    "apologize",
    "approve",
    "attach_result",
    "check_complete",
    "claim_dossier",
    "consult",
    "delete_draft",
    "forward",
    "has_result",
    "intake_at_counter",
    "lookup_url",
    "mark_ready",
    "missing_documents",
    "queue_renders",
    "receive",
    "receiving_agencies",
    "record_payment",
    "refuse",
    "render_pending",
    "renders_collected",
    "reply_consultation",
    "request_payment",
    "request_supplement",
    "resubmit",
    "return_result",
    "save_draft",
    "send_back",
    "start_dossier",
    "stop",
    "submit",
    "submit_from_portal",
    "submit_new",
    "withdraw",
]
