"""The staff pages of official documents: lists, the draft form (errors name their field), the
document page offering what the rules allow, actions, assignment, answer, paper registration."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.documents import services
from motcua.documents.constants import Status
from motcua.documents.models import OfficialDocument
from motcua.documents.tests.factories import approved, days, doc_type, drafted, incoming_for
from motcua.dossiers.tests.factories import PDF


def page(client, user, url, **kwargs):
    client.force_login(user)
    return client.get(url, **kwargs)


def test_the_outgoing_list_shows_the_agency_documents_only(client, bureau, peer):
    mine = drafted(bureau)
    theirs = drafted(peer)
    response = page(client, bureau.specialist, reverse("backoffice:documents_out"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("backoffice:document", args=[mine.pk]) in html
    assert reverse("backoffice:document", args=[theirs.pk]) not in html
    assert (
        page(client, bureau.specialist, reverse("backoffice:document", args=[theirs.pk])).status_code == 404
    )


def test_the_draft_form_names_the_missing_fields(client, bureau):
    client.force_login(bureau.specialist)
    response = client.post(reverse("backoffice:document_new"), {"agency": bureau.agency.pk, "summary": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html and 'href="#id_summary"' in html and 'href="#id_document_type"' in html


def test_a_draft_is_saved_from_the_form(client, bureau, peer):
    client.force_login(bureau.specialist)
    response = client.post(
        reverse("backoffice:document_new"),
        {
            "agency": bureau.agency.pk,
            "document_type": doc_type("cong-van").pk,
            "summary": "Về việc báo cáo tình hình",
            "body": "Đề nghị quý cơ quan báo cáo.",
            "urgency": "urgent",
            "confidentiality": "normal",
            "signer_title": "Chủ tịch",
            "signer_name": "Nguyễn Lãnh Đạo",
            "agencies": [peer.agency.pk],
            "paper_recipients": "Như trên\nLưu: VT",
            "unit_abbreviation": "VP",
        },
    )
    document = OfficialDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "backoffice:document", args=[document.pk]
    )
    assert document.status == Status.DRAFT and document.recipients.count() == 3


def test_the_document_page_offers_what_the_rules_allow(client, bureau):
    document = approved(bureau)
    html = page(client, bureau.leader, reverse("backoffice:document", args=[document.pk])).content.decode()
    assert reverse("backoffice:document_action", args=[document.pk, "ky-so"]) in html
    html = page(client, bureau.clerk, reverse("backoffice:document", args=[document.pk])).content.decode()
    assert reverse("backoffice:document_action", args=[document.pk, "ky-so"]) not in html


def test_the_leader_signs_and_the_clerk_issues_from_the_page(client, bureau):
    document = approved(bureau)
    client.force_login(bureau.leader)
    url = reverse("backoffice:document_action", args=[document.pk, "ky-so"])
    assert client.post(url, {"ky-so-revision": document.revision}).status_code == 302
    document.refresh_from_db()
    client.force_login(bureau.clerk)
    response = client.post(
        reverse("backoffice:document_action", args=[document.pk, "phat-hanh"]),
        {"phat-hanh-revision": document.revision},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Status.ISSUED and document.notation == "01/QĐ-UBND"
    html = page(client, bureau.clerk, reverse("backoffice:document", args=[document.pk])).content.decode()
    assert "01/QĐ-UBND" in html
    issued_file = document.files.get(kind="issued")
    response = client.get(reverse("backoffice:document_file", args=[document.pk, issued_file.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_a_stale_page_is_told_someone_else_acted(client, bureau):
    document = approved(bureau)
    client.force_login(bureau.leader)
    response = client.post(
        reverse("backoffice:document_action", args=[document.pk, "ky-so"]),
        {"ky-so-revision": document.revision - 1},
    )
    assert response.status_code == 409 and "tải lại trang" in response.content.decode()


def test_the_leader_assigns_with_a_deadline_and_the_form_says_what_is_missing(client, bureau):
    document = incoming_for(bureau)
    services.register_incoming(document, actor=bureau.clerk)
    client.force_login(bureau.leader)
    url = reverse("backoffice:document_action", args=[document.pk, "phan-cong"])
    response = client.post(
        url, {"phan-cong-revision": document.revision, "phan-cong-officer": bureau.specialist.pk}
    )
    assert response.status_code == 400 and 'href="#id_phan-cong-due_on"' in response.content.decode()
    response = client.post(
        url,
        {
            "phan-cong-revision": document.revision,
            "phan-cong-officer": bureau.specialist.pk,
            "phan-cong-due_on": days(3).isoformat(),
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Status.ASSIGNED and document.handler == bureau.specialist


def test_overdue_incoming_documents_are_marked_in_the_list(client, bureau):
    from motcua.core import clock

    document = incoming_for(bureau)
    services.register_incoming(document, actor=bureau.clerk)
    services.assign(document, actor=bureau.leader, officer=bureau.specialist, due_on=days(0))
    OfficialDocument.objects.filter(pk=document.pk).update(due_on=days(-2))
    html = page(
        client, bureau.specialist, reverse("backoffice:documents_in") + "?overdue=on"
    ).content.decode()
    assert "bo-row-overdue" in html and "Quá hạn" in html
    assert clock.localdate()


def test_the_handler_answers_from_the_page(client, bureau, peer):
    document = incoming_for(bureau, sender=peer)
    services.register_incoming(document, actor=bureau.clerk)
    services.assign(document, actor=bureau.leader, officer=bureau.specialist, due_on=days(3))
    client.force_login(bureau.specialist)
    url = reverse("backoffice:document_answer", args=[document.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "document_type": doc_type("cong-van").pk,
            "summary": "Trả lời về việc rà soát",
            "body": "Phường đã rà soát xong.",
            "urgency": "normal",
            "confidentiality": "normal",
            "signer_title": "Chủ tịch",
            "signer_name": "Nguyễn Lãnh Đạo",
            "revision": document.revision,
        },
    )
    assert response.status_code == 302
    reply = OfficialDocument.objects.get(answers=document)
    assert [r.agency for r in reply.recipients.all()] == [peer.agency]


def test_the_clerk_registers_a_paper_document_with_its_scan(client, bureau):
    client.force_login(bureau.clerk)
    url = reverse("backoffice:document_paper")
    data = {
        "agency": bureau.agency.pk,
        "document_type": doc_type("giay-moi").pk,
        "sender_name": "Công an phường",
        "summary": "Mời họp giao ban",
        "urgency": "normal",
        "confidentiality": "normal",
    }
    bad = client.post(url, {**data, "scan": SimpleUploadedFile("x.pdf", b"not a pdf")})
    assert bad.status_code == 422 and 'href="#id_scan"' in bad.content.decode()
    response = client.post(url, {**data, "scan": SimpleUploadedFile("moi-hop.pdf", PDF)})
    assert response.status_code == 302
    assert OfficialDocument.objects.get().status == Status.REGISTERED


def test_a_specialist_cannot_open_the_paper_registration(client, bureau):
    assert page(client, bureau.specialist, reverse("backoffice:document_paper")).status_code == 403
    assert io
