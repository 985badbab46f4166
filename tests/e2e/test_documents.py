"""Official documents in a real browser (issue 12): the ward's clerk drafts a decision and submits it,
the leader agrees and signs it digitally, the clerk gives it its number, issues and sends it; an
incoming letter from the Department of Justice is entered in the register by the clerk, assigned by
the leader, and answered and closed by the specialist. Every page is kept as a screenshot, and axe
finds no WCAG 2.1 A/AA violation on the pages of the journey."""

import re

import pytest
from playwright.sync_api import expect

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.documents import services
from motcua.documents.constants import Status
from motcua.documents.models import DocumentType, OfficialDocument
from motcua.signing import conf, pades
from motcua.signing import services as signing_services
from motcua.signing.tests.factories import certificate_for
from motcua.signing.tests.fixtures import REMOTE_USER
from tests.e2e.test_accessibility import axe_violations
from tests.e2e.test_dossier_journey import log_in, log_out

pytestmark = pytest.mark.browser


@pytest.fixture
def ward_site(demo_site, signing):
    """The demo site with the ward's registers and demo documents, its leader's and its own
    certificates and its seal."""
    from motcua.demo import seed
    from motcua.demo.documents import load_documents
    from motcua.signing import testca

    agencies = seed.seed_agencies()
    load_documents(agencies)
    ward = agencies["commune_minh_xuan"]
    signing_services.set_seal(ward, testca.seal_png(ward.name))
    certificate_for(signing, agency=ward)
    certificate_for(signing, user=User.objects.get(username="leader"))
    return demo_site, ward, agencies["justice"]


def act(page, shots, title, button, label, fields=None, checks=()):
    form = page.locator("section.bo-action").filter(has=page.get_by_role("heading", name=title, exact=True))
    for field_label, value in (fields or {}).items():
        form.get_by_label(field_label).fill(value)
    for check_label in checks:
        form.get_by_label(check_label).check()
    form.get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".messages")).to_be_visible()
    shots(label)


def no_axe_violation(page):
    assert axe_violations(page) == []


def test_a_decision_from_draft_to_issue_and_an_incoming_letter_assigned_and_answered(page, shots, ward_site):
    site, ward, justice = ward_site

    # The clerk drafts a decision of the ward; the form names what is missing first.
    log_in(page, site, "clerk")
    page.goto(f"{site}/can-bo/van-ban/di/")
    no_axe_violation(page)
    shots("van-ban-di")
    page.get_by_role("link", name="Soạn thảo văn bản đi").click()
    page.get_by_label("Cơ quan ban hành").select_option(label=f"{ward.name} ({ward.code})")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(
        page.locator(".error-summary").get_by_role("link", name=re.compile("Trích yếu nội dung"))
    ).to_be_visible()
    no_axe_violation(page)
    shots("du-thao-thieu-truong")
    page.get_by_label("Cơ quan ban hành").select_option(label=f"{ward.name} ({ward.code})")
    page.get_by_label("Loại văn bản").select_option(label="Quyết định")
    page.get_by_label("Trích yếu nội dung").fill(
        "Về việc kiện toàn Tổ công tác chuyển đổi số phường Minh Xuân"
    )
    page.get_by_label("Nội dung", exact=True).fill(
        "Điều 1. Kiện toàn Tổ công tác chuyển đổi số của phường.\n"
        "Điều 2. Quyết định có hiệu lực kể từ ngày ký."
    )
    page.get_by_label("Quyền hạn, chức vụ người ký").fill("TM. Ủy ban nhân dân\nChủ tịch")
    page.get_by_label("Họ tên người ký").fill("Phạm Thị Dung")
    page.get_by_label("Nơi nhận qua trục liên thông").select_option(label=f"{justice.name} ({justice.code})")
    page.get_by_label("Nơi nhận bản giấy").fill("Như Điều 2\nLưu: VT")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#document-status")).to_have_text("Dự thảo")
    shots("du-thao")
    act(page, shots, "Trình xem xét", "Trình", "trinh-xem-xet", checks=["Phạm Thị Dung"])
    log_out(page)

    # The leader agrees and signs with the key kept in the system.
    log_in(page, site, "leader")
    document = OfficialDocument.objects.get(summary__contains="Tổ công tác chuyển đổi số phường Minh Xuân")
    page.goto(f"{site}/can-bo/van-ban/{document.pk}/")
    no_axe_violation(page)
    act(page, shots, "Đồng ý nội dung", "Đồng ý", "dong-y")
    act(page, shots, "Ký văn bản", "Ký số", "ky-so")
    expect(page.locator("#document-status")).to_have_text("Đã ký, chờ phát hành")
    log_out(page)

    # The clerk gives the number, issues and sends it.
    log_in(page, site, "clerk")
    page.goto(f"{site}/can-bo/van-ban/{document.pk}/")
    act(page, shots, "Phát hành (cấp số)", "Cấp số và phát hành", "phat-hanh")
    document.refresh_from_db()
    assert re.fullmatch(r"\d\d/QĐ-UBND", document.notation)
    expect(page.get_by_role("heading", level=1)).to_contain_text(document.notation)
    act(page, shots, "Gửi văn bản", "Gửi", "gui")
    document.refresh_from_db()
    assert document.status == Status.SENT
    with document.files.get(kind="issued").file.open("rb") as handle:
        leader_signature, agency_signature = pades.verify(handle.read(), conf.trust_roots())
    assert leader_signature.trusted and agency_signature.trusted and agency_signature.covers_whole_document
    log_out(page)

    # A letter from the Department of Justice arrives on the exchange.
    incoming = services.receive_incoming(
        agency=ward,
        incoming=services.Incoming(
            document_type=DocumentType.objects.get(code="cong-van"),
            summary="Về việc đề nghị rà soát hồ sơ hộ tịch năm 2025",
            sender_name=justice.name,
            sender_organ_id=justice.code,
            sender_notation="125/STP-HCTP",
        ),
    )
    log_in(page, site, "clerk")
    page.goto(f"{site}/can-bo/van-ban/den/")
    no_axe_violation(page)
    page.get_by_role("link", name="Chưa vào sổ").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("125/STP-HCTP")
    act(page, shots, "Vào sổ văn bản đến", "Vào sổ", "vao-so")
    log_out(page)

    log_in(page, site, "leader")
    page.goto(f"{site}/can-bo/van-ban/{incoming.pk}/")
    form = page.locator("section#action-phan-cong")
    form.get_by_label("Người xử lý").select_option(label="Lê Văn Cường")
    act(page, shots, "Phân công xử lý", "Phân công", "phan-cong", fields={"Hạn xử lý": "2099-12-31"})
    no_axe_violation(page)
    log_out(page)

    log_in(page, site, "specialist")
    page.goto(f"{site}/can-bo/van-ban/den/?mine=on")
    shots("giao-cho-toi")
    page.goto(f"{site}/can-bo/van-ban/{incoming.pk}/")
    act(page, shots, "Bắt đầu xử lý", "Bắt đầu xử lý", "bat-dau")
    page.get_by_role("link", name="Trả lời bằng văn bản").click()
    no_axe_violation(page)
    page.get_by_label("Nội dung", exact=True).fill(
        "Ủy ban nhân dân phường Minh Xuân đã rà soát xong hồ sơ hộ tịch."
    )
    page.get_by_label("Quyền hạn, chức vụ người ký").fill("TM. Ủy ban nhân dân\nChủ tịch")
    page.get_by_label("Họ tên người ký").fill("Phạm Thị Dung")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("#document-status")).to_have_text("Dự thảo")
    shots("van-ban-tra-loi")
    reply = OfficialDocument.objects.get(answers=incoming)
    assert [r.agency_id for r in reply.recipients.all()] == [justice.pk]
    page.goto(f"{site}/can-bo/van-ban/{incoming.pk}/")
    act(page, shots, "Hoàn thành xử lý", "Hoàn thành", "hoan-thanh")
    incoming.refresh_from_db()
    assert incoming.status == Status.CLOSED
    assert [a.type for a in incoming.actions.order_by("id")] == [
        "receive",
        "register",
        "assign",
        "start_processing",
        "answer",
        "close",
    ]
    assert Agency.objects.filter(pk=ward.pk).exists()


def test_a_sent_decision_corrected_and_replaced_by_its_sender_the_receiver_decides(
    page, shots, ward_site, signing
):
    """The ward's clerk corrects the summary of a decision sent to the Department of Justice; the
    department's clerk sees the proposed change on the incoming document and accepts it; the ward's
    page shows the answer (15). Then the leader starts a replacement from the sent decision's page."""
    site, ward, justice = ward_site
    certificate_for(signing, agency=justice)  # the department signs its answers
    users = {u.username: u for u in User.objects.filter(username__in=["clerk", "leader"])}
    document = services.create_draft(
        actor=users["clerk"],
        agency=ward,
        draft=services.Draft(
            document_type=DocumentType.objects.get(code="quyet-dinh"),
            summary="Về việc thành lập Tổ kiểm tra liên ngành",
            body="Điều 1. Thành lập Tổ kiểm tra liên ngành.",
            signer_title="TM. Ủy ban nhân dân\nChủ tịch",
            signer_name="Phạm Thị Dung",
            agencies=[justice],
            paper_recipients=["Lưu: VT"],
        ),
    )
    services.submit_for_review(document, actor=users["clerk"], reviewers=[users["leader"]])
    services.approve_review(document, actor=users["leader"])
    services.sign(document, actor=users["leader"])
    services.issue(document, actor=users["clerk"])
    services.send(document, actor=users["clerk"])
    incoming = OfficialDocument.objects.get(agency=justice, direction="in", exchange_id=document.exchange_id)

    log_in(page, site, "clerk")
    page.goto(f"{site}/can-bo/van-ban/{document.pk}/")
    no_axe_violation(page)
    shots("van-ban-da-gui")
    act(
        page,
        shots,
        "Cập nhật thông tin văn bản đã gửi",
        "Gửi cập nhật",
        "cap-nhat",
        fields={
            "Trích yếu nội dung": "Về việc thành lập Tổ kiểm tra liên ngành năm 2026",
            "Lý do cập nhật": "Bổ sung năm vào trích yếu",
        },
    )
    page.goto(f"{site}/can-bo/van-ban/{incoming.pk}/")
    expect(page.locator("#amendments")).to_contain_text("Bổ sung năm vào trích yếu")
    expect(page.locator("#amendments")).to_contain_text("năm 2026")
    no_axe_violation(page)
    shots("de-nghi-cap-nhat")
    act(page, shots, "Đồng ý cập nhật, thay thế", "Đồng ý", "dong-y-cap-nhat")
    incoming.refresh_from_db()
    assert incoming.summary == "Về việc thành lập Tổ kiểm tra liên ngành năm 2026"
    page.goto(f"{site}/can-bo/van-ban/{document.pk}/")
    expect(page.locator("#remote-answers")).to_contain_text("15 Đồng ý thu hồi/cập nhật")
    shots("noi-nhan-dong-y")
    log_out(page)

    log_in(page, site, "leader")
    page.goto(f"{site}/can-bo/van-ban/{document.pk}/")
    act(
        page,
        shots,
        "Thay thế văn bản đã gửi",
        "Soạn văn bản thay thế",
        "thay-the",
        fields={"Lý do thay thế": "Sai thẩm quyền ký"},
    )
    expect(page.locator("#document-status")).to_have_text("Dự thảo")
    expect(page.get_by_role("link", name=document.notation)).to_be_visible()
    no_axe_violation(page)
    shots("du-thao-thay-the")


def test_the_leader_signs_with_the_remote_signer_and_confirms_on_the_phone(
    page, shots, ward_site, remote_signing
):
    """The leader's certificate is held by the remote-signing service (SmartCA-style): "Ký số" sends the
    request, the page says it waits for the confirmation, the leader confirms on the stand-in's page
    (their phone) and the page's check finds the document signed, with the same signature block."""
    site, ward, justice = ward_site
    users = {u.username: u for u in User.objects.filter(username__in=["clerk", "leader"])}
    signing_services.add_remote_certificate(user=users["leader"], remote_user_id=REMOTE_USER)
    summary = "Về việc ban hành Quy chế tiếp công dân phường Minh Xuân"
    document = services.create_draft(
        actor=users["clerk"],
        agency=ward,
        draft=services.Draft(
            document_type=DocumentType.objects.get(code="quyet-dinh"),
            summary=summary,
            body="Điều 1. Ban hành kèm theo Quyết định này Quy chế tiếp công dân.",
            signer_title="TM. Ủy ban nhân dân\nChủ tịch",
            signer_name="Phạm Thị Dung",
            agencies=[justice],
            paper_recipients=["Lưu: VT"],
        ),
    )
    services.submit_for_review(document, actor=users["clerk"], reviewers=[users["leader"]])
    services.approve_review(document, actor=users["leader"])

    log_in(page, site, "leader")
    page.goto(f"{site}/can-bo/van-ban/{document.pk}/")
    act(page, shots, "Ký văn bản", "Ký số", "ky-so-tu-xa-da-gui")
    expect(page.locator("#document-status")).to_have_text("Chờ xác nhận ký trên ứng dụng ký số")
    expect(page.locator("#remote-signature")).to_contain_text("Chờ xác nhận ký trên ứng dụng ký số")
    expect(page.locator("#action-ky-so")).to_have_count(0)  # not offered twice
    no_axe_violation(page)

    phone = page.context.new_page()
    phone.goto(remote_signing.url)
    phone.get_by_role("link", name=re.compile(summary)).first.click()
    phone.screenshot(path=str(shots.folder / "van-ban-ky-tu-xa-dien-thoai.png"), full_page=True)
    phone.get_by_role("button", name="Xác nhận ký").click()
    expect(phone.locator("#trang-thai")).to_have_text("Đã ký")
    phone.close()

    act(page, shots, "Chờ xác nhận ký số", "Kiểm tra xác nhận ký số", "ky-so-tu-xa-da-ky")
    expect(page.locator("#document-status")).to_have_text("Đã ký, chờ phát hành")
    expect(page.get_by_text("Đã ký số: Phạm Thị Dung")).to_be_visible()
    no_axe_violation(page)
    document.refresh_from_db()
    assert document.status == Status.SIGNED
    with document.files.get(kind="signed").file.open("rb") as handle:
        [signature] = pades.verify(handle.read(), conf.trust_roots())
    assert signature.intact and signature.trusted and signature.signer == "Lãnh Đạo Từ Xa"
    log_out(page)
