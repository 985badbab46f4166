"""Steps of the two-deployment acceptance test, run inside one deployment by
``manage.py shell -c "from motcua.exchange.tests.deployment import step; step('name', {...})"``:
each prints one line of JSON (``RESULT {...}``) that the test reads. The deployment is the database
and media of the environment it runs in (DATABASE_URL, MOTCUA_VAR_DIR)."""

import json
from pathlib import Path

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.agencies.tests.factories import AgencyFactory
from motcua.core import clock
from motcua.documents import services as documents
from motcua.documents.constants import ActionType, Direction
from motcua.documents.models import Amendment, OfficialDocument
from motcua.documents.tests import factories as document_factories
from motcua.exchange.constants import Direction as PackageDirection
from motcua.exchange.models import Package, Peer, StatusMessage
from motcua.signing import services as signing_services


def _bureau():
    agency = Agency.objects.exclude(code__in=Peer.objects.values("organ_id")).get()
    users = {u.full_name.split(" (")[0]: u for u in User.objects.filter(memberships__agency=agency)}
    return agency, users


def seed(args: dict) -> dict:
    """One agency with its clerical staff, registers and certificate; the other deployment's agency
    as a peer (and as an agency to address documents to)."""
    bureau = document_factories.make_bureau(args["name"], "UBND", args["place"], code=args["code"])
    signing_services.import_pkcs12(Path(args["p12"]).read_bytes(), args["password"], agency=bureau.agency)
    AgencyFactory(code=args["peer_code"], name=args["peer_name"])
    Peer.objects.create(
        organ_id=args["peer_code"],
        name=args["peer_name"],
        transport=args.get("transport", "direct"),
        endpoint_url=args["peer_url"],
        certificate_pem=Path(args["peer_pem"]).read_text(),
    )
    return {"agency": bureau.agency.code}


def use_transport(args: dict) -> dict:
    Peer.objects.update(transport=args["transport"])
    return {}


def _full_bureau() -> document_factories.Bureau:
    agency, users = _bureau()
    return document_factories.Bureau(
        agency=agency,
        clerk=users["Trần Văn Thư"],
        specialist=users["Lê Chuyên Viên"],
        reviewer=users["Phạm Góp Ý"],
        leader=users["Nguyễn Lãnh Đạo"],
        outgoing=agency.document_registers.get(direction=Direction.OUTGOING),
        incoming=agency.document_registers.get(direction=Direction.INCOMING),
    )


def issue_and_send(args: dict) -> dict:
    bureau = _full_bureau()
    to = Agency.objects.get(code=args["to"])
    document = document_factories.issued(bureau, to=[to], kind="cong-van", summary=args["summary"])
    documents.send(document, actor=bureau.clerk)
    return {"id": document.pk, "notation": document.notation, "exchange_id": document.exchange_id}


def incoming(args: dict) -> dict:
    rows = OfficialDocument.objects.filter(direction=Direction.INCOMING, summary=args["summary"]).order_by(
        "id"
    )
    return {"documents": [{"id": d.pk, "status": d.status, "notation": d.sender_notation} for d in rows]}


def handle(args: dict) -> dict:
    """The receiving agency takes the document through its steps: registered, assigned, processing,
    answered, closed."""
    _agency, users = _bureau()
    clerk, leader, officer = users["Trần Văn Thư"], users["Nguyễn Lãnh Đạo"], users["Lê Chuyên Viên"]
    document = OfficialDocument.objects.get(pk=args["id"])
    documents.register_incoming(document, actor=clerk)
    documents.assign(document, actor=leader, officer=officer, due_on=clock.localdate(), note="Xử lý gấp")
    documents.start_processing(document, actor=officer)
    draft = documents.Draft(
        document_type=document_factories.doc_type("cong-van"),
        summary="Trả lời về việc phối hợp",
        body="Cơ quan chúng tôi đã phối hợp xử lý.",
        signer_title="KT. Chủ tịch\nPhó Chủ tịch",
        signer_name=leader.full_name,
        agencies=[],
        paper_recipients=[],
    )
    reply = documents.answer(document, actor=officer, draft=draft)
    documents.close(document, actor=officer, note="Đã trả lời")
    return {"reply": reply.pk}


def sender_view(args: dict) -> dict:
    """What the sender knows of its document: the status messages received, in order, and its
    recipient's delivery state."""
    document = OfficialDocument.objects.get(pk=args["id"])
    codes = list(
        StatusMessage.objects.filter(direction=PackageDirection.IN, edxml_document_id=document.exchange_id)
        .order_by("id")
        .values_list("status_code", flat=True)
    )
    history = list(
        document.actions.filter(type=ActionType.REMOTE_STATUS).order_by("id").values_list("data", flat=True)
    )
    recipient = document.recipients.get(channel="electronic")
    sent = list(
        Package.objects.filter(document=document, direction=PackageDirection.OUT).values_list(
            "state", flat=True
        )
    )
    return {
        "codes": codes,
        "history": [h.get("status_code") or h.get("state") for h in history],
        "recipient": {"state": recipient.state, "status_code": recipient.status_code},
        "packages": sent,
    }


def recall(args: dict) -> dict:
    _agency, users = _bureau()
    document = OfficialDocument.objects.get(pk=args["id"])
    documents.recall_sent(document, actor=users["Nguyễn Lãnh Đạo"], reason=args["reason"])
    return {
        "packages": list(
            Package.objects.filter(document=document, business_type=1).values_list("pk", flat=True)
        )
    }


def update(args: dict) -> dict:
    """The sender's clerk corrects the summary of a sent document (business type 2)."""
    bureau = _full_bureau()
    document = OfficialDocument.objects.get(pk=args["id"])
    documents.update_sent(
        document,
        actor=bureau.clerk,
        reason=args["reason"],
        correction=documents.Correction(summary=args["summary"], urgency=document.urgency),
    )
    return {}


def replace(args: dict) -> dict:
    """The sender's leader starts a replacement, which is reviewed, signed, issued and sent (3)."""
    bureau = _full_bureau()
    document = OfficialDocument.objects.get(pk=args["id"])
    draft = documents.start_replacement(document, actor=bureau.leader, reason=args["reason"])
    document_factories.issue_draft(bureau, draft)
    documents.send(draft, actor=bureau.clerk)
    draft.refresh_from_db()
    return {"id": draft.pk, "notation": draft.notation, "exchange_id": draft.exchange_id}


def amendments(args: dict) -> dict:
    """The receiver's pending updates and replacements of the incoming document ``id``."""
    rows = Amendment.objects.filter(document_id=args["id"], state="pending").order_by("id")
    return {
        "pending": [
            {"kind": a.kind, "reason": a.reason, "changes": a.changes, "replacement": a.replacement_id}
            for a in rows
        ]
    }


def decide(args: dict) -> dict:
    """The receiver's clerk accepts (or refuses) the pending update or replacement."""
    bureau = _full_bureau()
    document = OfficialDocument.objects.get(pk=args["id"])
    if args["accept"]:
        documents.accept_amendment(document, actor=bureau.clerk)
    else:
        documents.refuse_amendment(document, actor=bureau.clerk, note=args["note"])
    document.refresh_from_db()
    return {"status": document.status, "summary": document.summary}


STEPS = {
    f.__name__: f
    for f in (
        seed,
        use_transport,
        issue_and_send,
        incoming,
        handle,
        sender_view,
        recall,
        update,
        replace,
        amendments,
        decide,
    )
}


def step(name: str, args: dict) -> None:
    print("RESULT " + json.dumps(STEPS[name](args), ensure_ascii=False), flush=True)
