"""A signed result in a real browser: the leader approves, the result is signed (with the key kept in
the system, or on the remote-signing stand-in where the leader confirms as on their phone), the
one-stop unit returns it, the citizen downloads it, reads the QR code printed on it and opens the
verification page, which says it is valid. Every page is kept as a screenshot."""

import io
import re

import pytest
import zxingcpp
from playwright.sync_api import expect
from pypdf import PdfReader

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.catalog.services import create_procedure, publish_version
from motcua.dossiers import services
from motcua.signing import conf, pades
from motcua.signing import services as signing_services
from motcua.signing.tests.factories import certificate_for
from motcua.signing.tests.fixtures import REMOTE_USER
from tests.e2e.test_dossier_journey import PDF, act, log_in, log_out

pytestmark = pytest.mark.browser


@pytest.fixture
def signing_site(demo_site, signing, settings):
    """The demo site with signing configured: the leader's and the ward's certificates, the seal."""
    from motcua.signing import testca

    settings.MOTCUA_PUBLIC_URL = demo_site  # the QR codes point at this server
    ward = Agency.objects.get(name="Ủy ban nhân dân phường Minh Xuân")
    signing_services.set_seal(ward, testca.seal_png(ward.name))
    certificate_for(signing, agency=ward)
    return demo_site, ward


def _dossier_at_the_leaders_step(ward: Agency):
    """A citizen's dossier received by the ward and passed by the specialist to the leader."""
    version = publish_version(
        create_procedure(
            "1.999999",
            version={
                "name": "Cấp bản sao trích lục hộ tịch",
                "field": "Hộ tịch",
                "level": "commune",
                "mode": "full_online",
                "processing_time": "1",
                "time_unit": "working_days",
                "result": "Bản sao trích lục khai sinh",
            },
            agencies=[ward],
            documents=[{"name": "Tờ khai cấp bản sao trích lục", "form": "original", "quantity": 1}],
            form=[{"key": "full_name", "label": "Họ tên người được cấp", "kind": "text"}],
            steps=[
                {"name": "Tiếp nhận hồ sơ", "role": "reception", "share": "0.1"},
                {"name": "Kiểm tra hồ sơ", "role": "specialist", "share": "0.5"},
                {"name": "Phê duyệt, ký kết quả", "role": "leader", "share": "0.3"},
                {"name": "Trả kết quả", "role": "reception", "share": "0.1"},
            ],
        )
    )
    citizen, reception = User.objects.get(username="citizen"), User.objects.get(username="reception")
    specialist, leader = User.objects.get(username="specialist"), User.objects.get(username="leader")
    dossier = services.start_dossier(version=version, applicant=citizen, receiving_agency=ward)
    services.save_draft(dossier, actor=citizen, form_data={"full_name": "Nguyễn Văn An"})
    services.add_document(
        dossier, actor=citizen, upload=io.BytesIO(PDF), name="to-khai.pdf", document=version.documents.get()
    )
    services.submit(dossier, actor=citizen, declaration=True)
    services.receive(dossier, actor=reception)
    services.forward(dossier, actor=specialist, to_user=leader)
    return dossier, leader


def _leader_issues_the_result(page, site, shots, dossier):
    log_in(page, site, "leader")
    page.goto(f"{site}/can-bo/ho-so/{dossier.code}/")
    page.locator("section.bo-action#action-dinh-kem-ket-qua").get_by_role(
        "button", name="Tạo văn bản kết quả"
    ).click()
    expect(page.locator(".messages")).to_be_visible()
    act(page, shots, "Phê duyệt", "Phê duyệt", "approved")
    expect(page.get_by_text("Đã xử lý xong").first).to_be_visible()


def _returned_downloaded_and_verified(page, site, shots, dossier, signer_name):
    """The one-stop unit returns it; the citizen downloads it, reads its QR code, and opens the page."""
    log_in(page, site, "reception")
    page.goto(f"{site}/can-bo/ho-so/{dossier.code}/")
    act(page, shots, "Trả kết quả", "Đã trả kết quả cho người nộp", "returned")
    log_out(page)

    log_in(page, site, "citizen")
    page.goto(f"{site}/ho-so-cua-toi/")
    page.get_by_role("link", name=dossier.code).click()
    expect(page.get_by_text("Đã ký số").first).to_be_visible()
    shots("citizen-dossier")
    result_link = page.get_by_role("link", name="Kết quả giải quyết")
    response = page.request.get(site + result_link.first.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    data = response.body()
    [report] = pades.verify(data, conf.trust_roots())
    assert report.intact and report.trusted and report.timestamped

    codes = [
        found.text
        for image in PdfReader(io.BytesIO(data)).pages[-1].images
        for found in zxingcpp.read_barcodes(image.image)
    ]
    [url] = [c for c in codes if "/xac-thuc/" in c]
    assert url.startswith(site)
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Xác thực văn bản")
    expect(page.get_by_text(re.compile("^Chữ ký số hợp lệ"))).to_be_visible()
    expect(page.get_by_text(signer_name).first).to_be_visible()
    expect(page.get_by_text("Còn nguyên vẹn", exact=True)).to_be_visible()
    shots("verification-page")

    # The copy she holds is the document issued.
    copy = page.context.new_page()
    copy.goto(url)
    copy.get_by_label("Tệp PDF").set_input_files(
        files=[{"name": "ket-qua.pdf", "mimeType": "application/pdf", "buffer": data}]
    )
    copy.get_by_role("button", name="Xác thực").click()
    expect(copy.get_by_text("Tệp này đúng là văn bản có mã xác thực trên")).to_be_visible()
    copy.screenshot(path=str(shots.folder / "verification-copy.png"), full_page=True)
    copy.close()


def test_the_leader_approves_and_the_citizen_verifies_the_signed_result(page, shots, signing_site, signing):
    site, ward = signing_site
    dossier, leader = _dossier_at_the_leaders_step(ward)
    certificate_for(signing, user=leader)

    _leader_issues_the_result(page, site, shots, dossier)
    section = page.locator("section", has=page.get_by_role("heading", name="Chữ ký số của kết quả"))
    expect(section.get_by_text("Đã ký số")).to_be_visible()
    expect(section).to_contain_text(leader.full_name)
    shots("result-signed")
    log_out(page)

    _returned_downloaded_and_verified(page, site, shots, dossier, leader.full_name)


def test_the_leader_confirms_on_the_remote_signer_and_the_citizen_verifies(
    page, shots, signing_site, remote_signing
):
    site, ward = signing_site
    dossier, leader = _dossier_at_the_leaders_step(ward)
    signing_services.add_remote_certificate(user=leader, remote_user_id=REMOTE_USER)

    _leader_issues_the_result(page, site, shots, dossier)
    section = page.locator("section", has=page.get_by_role("heading", name="Chữ ký số của kết quả"))
    expect(section.get_by_text("Chờ người ký xác nhận")).to_be_visible()
    shots("waiting-for-the-signer")

    # The leader confirms on the remote-signing service (its stand-in's page, as on their phone).
    phone = page.context.new_page()
    phone.goto(remote_signing.url)
    phone.get_by_role("link", name=re.compile(dossier.code)).first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Xác nhận yêu cầu ký số")
    phone.screenshot(path=str(shots.folder / "remote-signer-request.png"), full_page=True)
    phone.get_by_role("button", name="Xác nhận ký").click()
    expect(phone.locator("#trang-thai")).to_have_text("Đã ký")
    phone.screenshot(path=str(shots.folder / "remote-signer-confirmed.png"), full_page=True)
    phone.close()

    # Back on the dossier: the worker polls in production; here the leader asks at once.
    page.get_by_role("button", name="Kiểm tra xác nhận ký số").click()
    expect(section.get_by_text("Đã ký số")).to_be_visible()
    shots("result-signed-remotely")
    log_out(page)

    _returned_downloaded_and_verified(page, site, shots, dossier, "Lãnh Đạo Từ Xa")
