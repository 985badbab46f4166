"""How the applicant receives the result: chosen at submission (online, at the counter), printed on
the receipt, and by post the tracking number the officer records when returning it."""

import pytest
from django.db import IntegrityError, transaction

from motcua.catalog.constants import Mode
from motcua.core.models import AuditEntry
from motcua.dossiers import delivery, services
from motcua.dossiers.constants import ActionType, NoticeForm, ResultDelivery, Status
from motcua.dossiers.errors import InvalidInput, WrongState
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import GOOD_FORM, pdf, submitted

ADDRESS = "Số 12 ngõ 5 đường Bình Thuận, phường Minh Xuân, tỉnh Tuyên Quang"


def _draft(office, **delivery_choice):
    dossier = services.start_dossier(version=office.version, applicant=office.citizen, another=True)
    errors = services.save_draft(dossier, actor=office.citizen, form_data=GOOD_FORM, **delivery_choice)
    for document in office.version.documents.filter(required=True):
        services.add_document(
            dossier, actor=office.citizen, upload=pdf(), name=f"{document.pk}.pdf", document=document
        )
    return dossier, errors


def _ready(office, dossier: Dossier) -> Dossier:
    services.receive(dossier, actor=office.reception)
    services.forward(dossier, actor=office.specialist)
    services.attach_result(dossier, actor=office.leader, upload=pdf(), name="ket-qua.pdf")
    services.approve(dossier, actor=office.leader)
    assert dossier.status == Status.READY
    return dossier


def _by_post(office) -> Dossier:
    dossier, errors = _draft(office, result_delivery="post", delivery_address=ADDRESS)
    assert errors == {}
    services.submit(dossier, actor=office.citizen, declaration=True)
    return dossier


# -- the choices and the default ---------------------------------------------------------------------


def test_online_is_offered_and_the_default_only_for_a_full_online_procedure_with_an_account(office):
    version = office.version
    assert version.mode == Mode.FULL_ONLINE
    assert delivery.choices_for(version, has_account=True) == ["in_person", "post", "online"]
    assert delivery.default_for(version, has_account=True) == ResultDelivery.ONLINE
    # A walk-in applicant has no account to download from.
    assert delivery.choices_for(version, has_account=False) == ["in_person", "post"]
    assert delivery.default_for(version, has_account=False) == ResultDelivery.IN_PERSON
    version.mode = Mode.PARTIAL
    assert delivery.choices_for(version, has_account=True) == ["in_person", "post"]
    assert delivery.default_for(version, has_account=True) == ResultDelivery.IN_PERSON


def test_a_new_draft_takes_the_default_and_a_submitted_dossier_keeps_the_choice(office):
    dossier = submitted(office)
    assert dossier.result_delivery == ResultDelivery.ONLINE and dossier.delivery_address == ""

    in_person, _errors = _draft(office, result_delivery="in_person", delivery_address=ADDRESS)
    services.submit(in_person, actor=office.citizen, declaration=True)
    in_person.refresh_from_db()
    # An address is kept only for the post.
    assert in_person.result_delivery == ResultDelivery.IN_PERSON and in_person.delivery_address == ""


def test_post_without_an_address_is_kept_in_the_draft_but_refused_at_submission(office):
    dossier, errors = _draft(office, result_delivery="post", delivery_address="   ")
    assert errors == {"delivery_address": ["Nhập địa chỉ nhận kết quả qua bưu chính."]}
    dossier.refresh_from_db()
    assert dossier.result_delivery == ResultDelivery.POST  # the draft keeps what was chosen

    with pytest.raises(InvalidInput) as refused:
        services.submit(dossier, actor=office.citizen, declaration=True)
    assert list(refused.value.errors) == ["delivery_address"]
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT and dossier.code is None

    services.save_draft(dossier, actor=office.citizen, form_data=GOOD_FORM, delivery_address=ADDRESS)
    services.submit(dossier, actor=office.citizen, declaration=True)
    assert dossier.status == Status.SUBMITTED and dossier.delivery_address == ADDRESS


def test_a_choice_not_offered_is_an_error_naming_the_field(office):
    office.version.mode = Mode.PARTIAL
    office.version.save()
    dossier, errors = _draft(office, result_delivery="online")
    assert list(errors) == ["result_delivery"] and "không trả kết quả điện tử" in errors["result_delivery"][0]
    _other, errors = _draft(office, result_delivery="pigeon")
    assert errors == {"result_delivery": ["Hình thức nhận kết quả không hợp lệ."]}
    dossier.refresh_from_db()
    assert dossier.result_delivery == ResultDelivery.IN_PERSON  # the default of a partial procedure


def test_the_one_go_submission_validates_the_choice(office):
    with pytest.raises(InvalidInput) as refused:
        services.submit_new(
            version=office.version,
            applicant=office.citizen,
            form_data=GOOD_FORM,
            declaration=True,
            result_delivery="post",
        )
    assert "delivery_address" in refused.value.errors
    assert not Dossier.objects.exists()


def test_counter_intake_takes_post_with_an_address_and_refuses_online(office):
    scans = lambda: [(d, f"{d.pk}.pdf", pdf()) for d in office.version.documents.filter(required=True)]  # noqa: E731
    intake = {
        "actor": office.reception,
        "agency": office.agency,
        "version": office.version,
        "applicant": {"name": "Lê Thị Hoa"},
        "form_data": GOOD_FORM,
    }
    with pytest.raises(InvalidInput) as refused:
        services.intake_at_counter(**intake, scans=scans(), result_delivery="online")
    assert "tài khoản" in refused.value.errors["result_delivery"][0]
    with pytest.raises(InvalidInput) as refused:
        services.intake_at_counter(**intake, scans=scans(), result_delivery="post")
    assert list(refused.value.errors) == ["delivery_address"]
    assert not Dossier.objects.exists()

    dossier = services.intake_at_counter(
        **intake, scans=scans(), result_delivery="post", delivery_address=ADDRESS
    )
    assert dossier.result_delivery == ResultDelivery.POST and dossier.delivery_address == ADDRESS
    walk_in = services.intake_at_counter(**intake, scans=scans())
    assert walk_in.result_delivery == ResultDelivery.IN_PERSON  # even for a full-online procedure


def test_the_database_refuses_a_submitted_post_dossier_without_an_address(office):
    dossier = _by_post(office)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk).update(delivery_address="")


# -- the receipt ----------------------------------------------------------------------------------------


def test_the_receipt_says_where_the_result_is_sent(office):
    dossier = _by_post(office)
    services.receive(dossier, actor=office.reception)
    receipt = dossier.attachments.get(notice_form=NoticeForm.RECEIPT)
    assert receipt.snapshot["context"]["collection"] == f"Qua dịch vụ bưu chính công ích, gửi đến: {ADDRESS}"
    assert receipt.snapshot["context"]["dossier"]["result_delivery"] == "post"


# -- returning the result ----------------------------------------------------------------------------


def test_return_by_post_without_a_tracking_number_is_refused_and_changes_nothing(office):
    dossier = _ready(office, _by_post(office))
    revision = dossier.revision
    for missing in ("", "   "):
        with pytest.raises(InvalidInput) as refused:
            services.return_result(dossier, actor=office.reception, tracking_number=missing)
        assert list(refused.value.errors) == ["tracking_number"]
        assert "số hiệu bưu gửi" in refused.value.errors["tracking_number"][0]
    with pytest.raises(InvalidInput, match="Số hiệu bưu gửi gồm"):
        services.return_result(dossier, actor=office.reception, tracking_number="EB 12/34")
    dossier.refresh_from_db()
    assert dossier.status == Status.READY and dossier.revision == revision
    assert dossier.postal_tracking_number == ""


def test_return_by_post_records_the_tracking_number_in_the_dossier_history_and_audit(office):
    dossier = _ready(office, _by_post(office))
    services.return_result(dossier, actor=office.reception, tracking_number=" eb123456789vn ")

    assert dossier.status == Status.RETURNED and dossier.postal_tracking_number == "EB123456789VN"
    action = dossier.actions.get(type=ActionType.RETURN_RESULT)
    assert action.data == {"tracking_number": "EB123456789VN", "result_delivery": "post"}
    entry = AuditEntry.objects.get(action="dossier.return_result", object_id=str(dossier.pk))
    assert entry.actor == office.reception
    assert entry.data["tracking_number"] == "EB123456789VN" and entry.data["result_delivery"] == "post"
    national = delivery.national_fields(dossier)
    assert national["HinhThuc"] == 1 and national["KenhThucHien"] == 2
    assert "EB123456789VN" in national["ThongTinTra"] and ADDRESS in national["ThongTinTra"]


def test_a_tracking_number_for_a_result_not_sent_by_post_is_refused(office):
    dossier = _ready(office, submitted(office))
    assert dossier.result_delivery == ResultDelivery.ONLINE
    with pytest.raises(InvalidInput) as refused:
        services.return_result(dossier, actor=office.reception, tracking_number="EB123456789VN")
    assert list(refused.value.errors) == ["tracking_number"]
    services.return_result(dossier, actor=office.reception)
    assert dossier.status == Status.RETURNED and dossier.postal_tracking_number == ""
    assert delivery.national_fields(dossier) == {
        "HinhThuc": 2,
        "KenhThucHien": 2,
        "ThongTinTra": "Kết quả điện tử (có chữ ký số) được trả trong tài khoản của người nộp.",
    }


def test_the_rules_are_asked_before_the_tracking_number(office):
    dossier = _by_post(office)  # not ready: the state is the first thing wrong
    with pytest.raises(WrongState):
        services.return_result(dossier, actor=office.reception)


def test_the_database_refuses_a_post_dossier_returned_without_a_tracking_number(office):
    dossier = _ready(office, _by_post(office))
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk).update(status=Status.RETURNED)


def test_the_applicant_downloads_the_result_of_an_online_return(office):
    from motcua.dossiers import selectors
    from motcua.dossiers.constants import AttachmentKind

    dossier = _ready(office, submitted(office))
    services.return_result(dossier, actor=office.reception)
    result = dossier.attachments.get(kind=AttachmentKind.RESULT)
    assert selectors.can_download(office.citizen, result)
    assert result in selectors.issued_documents(dossier)
    assert not selectors.can_download(office.stranger, result)


def test_a_dossier_asked_to_supplement_keeps_its_choice_until_the_new_one_is_complete(office):
    dossier = _by_post(office)
    services.request_supplement(dossier, actor=office.reception, items=["Bản sao rõ nét"])
    assert dossier.status == Status.SUPPLEMENT

    errors = services.save_draft(
        dossier, actor=office.citizen, form_data=GOOD_FORM, result_delivery="post", delivery_address=""
    )
    assert list(errors) == ["delivery_address"]
    dossier.refresh_from_db()
    assert dossier.delivery_address == ADDRESS  # never a submitted post dossier without an address

    services.save_draft(dossier, actor=office.citizen, form_data=GOOD_FORM, result_delivery="in_person")
    dossier.refresh_from_db()
    assert dossier.result_delivery == ResultDelivery.IN_PERSON and dossier.delivery_address == ""
