"""Demo official documents (motcua.documents) for two agencies that exchange with each other, the
Department of Justice and the Minh Xuân ward committee: their registers, and documents in every
state, outgoing and incoming, written through the services with the events muted (nothing reaches
the exchange) and without digital signatures (the demo's certificates come later, from
``signing_demo_ca``)."""

import datetime

from django.db import transaction

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.core import clock
from motcua.documents import events, services, signatures
from motcua.documents.constants import Direction, Urgency
from motcua.documents.models import DocumentType, OfficialDocument, Register
from motcua.documents.types import ensure_types

# (agency key, the abbreviation of its name in notations)
AGENCIES = (("justice", "STP"), ("commune_minh_xuan", "UBND"))

OUTGOING = [
    ("quyet-dinh", "Về việc kiện toàn Tổ công tác cải cách hành chính năm 2026", "draft"),
    ("to-trinh", "Về việc đề nghị phê duyệt kế hoạch chuyển đổi số", "in_review"),
    ("ke-hoach", "Kế hoạch tuyên truyền, phổ biến giáo dục pháp luật năm 2026", "approved"),
    ("thong-bao", "Thông báo lịch tiếp công dân tháng 6 năm 2026", "signed"),
    ("bao-cao", "Báo cáo kết quả giải quyết thủ tục hành chính quý I năm 2026", "issued"),
    ("cong-van", "Về việc phối hợp rà soát hồ sơ hộ tịch", "sent"),
]
# Phường Minh Xuân's vice-chair signs with the remote signer (motcua.signing.demo.REMOTE_ONLY_DEMO_USERS).
REMOTE_LEADER = "phochutich"
REMOTE_AGENCY = "000.01.01.H59"
INCOMING_STEPS = ["received", "registered", "assigned", "processing", "answered", "closed"]


def _type(code: str) -> DocumentType:
    return DocumentType.objects.get(code=code)


def _draft(kind: str, summary: str, agency: Agency, leader: User, to: list[Agency]) -> services.Draft:
    return services.Draft(
        document_type=_type(kind),
        summary=summary,
        body=(
            "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;\n"
            f"Theo đề nghị của bộ phận chuyên môn, {agency.name} ban hành văn bản này.\n"
            "Các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành."
        ),
        signer_title=(agency.head_title or "Thủ trưởng cơ quan"),
        signer_name=leader.full_name,
        unit_abbreviation="VP" if kind == "cong-van" else "",
        agencies=to,
        paper_recipients=["Như trên", "Lưu: VT"],
        urgency=Urgency.URGENT if kind == "cong-van" else Urgency.NORMAL,
    )


def _outgoing(agency: Agency, peer: Agency, users: dict[str, User]) -> int:
    made = 0
    for kind, summary, state in OUTGOING:
        # The ward's plan waits for its vice-chair, who signs with the remote signer (signing_demo_ca).
        remote = users.get(REMOTE_LEADER) if state == "approved" and agency.code == REMOTE_AGENCY else None
        draft = _draft(kind, summary, agency, remote or users["leader"], [peer])
        if remote is not None:
            draft.signer_title = "TM. Ủy ban nhân dân\nKT. Chủ tịch\nPhó Chủ tịch"
        document = services.create_draft(actor=users["specialist"], agency=agency, draft=draft)
        made += 1
        steps = ["draft", "in_review", "approved", "signed", "issued", "sent"]
        target = steps.index(state)
        if target >= 1:
            services.submit_for_review(document, actor=users["specialist"], reviewers=[users["leader"]])
        if target >= 2:
            services.approve_review(document, actor=users["leader"])
        if target >= 3:
            services.sign(document, actor=users["leader"])
        if target >= 4:
            services.issue(document, actor=users["clerk"])
        if target >= 5:
            services.send(document, actor=users["clerk"])
    return made


def _incoming(agency: Agency, sender: Agency, users: dict[str, User]) -> int:
    today = clock.localdate()
    made = 0
    for index, state in enumerate(INCOMING_STEPS):
        document = services.receive_incoming(
            agency=agency,
            incoming=services.Incoming(
                document_type=_type("cong-van"),
                summary=f"Về việc đề nghị cung cấp thông tin phục vụ giải quyết hồ sơ (đợt {index + 1})",
                sender_name=sender.name,
                sender_organ_id=sender.code,
                sender_notation=f"{10 + index:02d}/{'STP' if 'Tư pháp' in sender.name else 'UBND'}-VP",
                sender_date=today - datetime.timedelta(days=3),
                signer_title=sender.head_title or "Thủ trưởng cơ quan",
                signer_name=sender.head_name,
            ),
            attachments=[services.IncomingFile("cong-van.pdf", "application/pdf", b"%PDF-1.4\n%%EOF\n")],
        )
        made += 1
        target = INCOMING_STEPS.index(state)
        if target >= 1:
            services.register_incoming(document, actor=users["clerk"])
        if target >= 2:
            # One of them already late: the lists mark it overdue.
            due = (
                today - datetime.timedelta(days=1)
                if state == "assigned"
                else today + datetime.timedelta(days=5)
            )
            services.assign(
                document, actor=users["leader"], officer=users["specialist"], due_on=max(due, today)
            )
            if state == "assigned":
                OfficialDocument.objects.filter(pk=document.pk).update(due_on=due)
        if target >= 3:
            services.start_processing(document, actor=users["specialist"])
        if target >= 4:
            services.answer(
                document,
                actor=users["specialist"],
                draft=_draft(
                    "cong-van", f"Trả lời Công văn số {document.sender_notation}", agency, users["leader"], []
                ),
            )
        if target >= 5:
            services.close(document, actor=users["specialist"])
    return made


def load_documents(agencies: dict[str, Agency]) -> int:
    """Registers and demo documents for the two agencies (once: skipped when they have documents)."""
    ensure_types()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["specialist", "leader", "clerk", REMOTE_LEADER])
    }
    pair = [agencies[key] for key, _abbreviation in AGENCIES]
    for (_key, abbreviation), agency in zip(AGENCIES, pair, strict=True):
        for direction, name in (
            (Direction.OUTGOING, "Sổ văn bản đi"),
            (Direction.INCOMING, "Sổ văn bản đến"),
        ):
            Register.objects.get_or_create(
                agency=agency,
                direction=direction,
                name=name,
                defaults={"agency_abbreviation": abbreviation if direction == Direction.OUTGOING else ""},
            )
    if (
        OfficialDocument.objects.filter(agency__in=pair).exists()
        or len({"specialist", "leader", "clerk"} & set(users)) < 3
    ):
        return 0
    made = 0
    with transaction.atomic(), events.muted(), signatures.off():
        for agency, peer in ((pair[0], pair[1]), (pair[1], pair[0])):
            made += _outgoing(agency, peer, users)
            made += _incoming(agency, peer, users)
    return made
