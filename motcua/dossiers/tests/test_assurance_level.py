"""A procedure may require a minimum level of assurance of the applicant's electronic identity to be
submitted online (ProcedureVersion.min_assurance_level, rules.ASSURED on the submission): a loud
condition, so the portal shows why the dossier cannot be sent yet."""

import pytest

from motcua.dossiers import rules, services
from motcua.dossiers.constants import ActionType, Status
from motcua.dossiers.errors import WrongState
from motcua.dossiers.tests.factories import GOOD_FORM, pdf

pytestmark = pytest.mark.django_db

MESSAGE = "Thủ tục này yêu cầu tài khoản định danh điện tử mức 2 để nộp trực tuyến"


def _draft(office):
    dossier = services.start_dossier(version=office.version, applicant=office.citizen, another=True)
    services.save_draft(dossier, actor=office.citizen, form_data=GOOD_FORM)
    for document in office.version.documents.filter(required=True):
        services.add_document(dossier, actor=office.citizen, upload=pdf(), name="a.pdf", document=document)
    return dossier


def _require(office, level: int) -> None:
    office.version.min_assurance_level = level
    office.version.save(update_fields=["min_assurance_level"])


def _verify(user, level: int) -> None:
    user.identity_assurance = level
    user.save(update_fields=["identity_assurance"])


@pytest.mark.parametrize("level", [0, 1])
def test_an_applicant_below_the_level_cannot_submit(office, level):
    _require(office, 2)
    _verify(office.citizen, level)
    dossier = _draft(office)
    verdict = rules.judge(ActionType.SUBMIT, office.citizen, rules.Facts(dossier, office.citizen))
    assert not verdict.allowed and MESSAGE in verdict.reason  # shown, with the reason
    with pytest.raises(WrongState, match=MESSAGE):
        services.submit(dossier, actor=office.citizen, declaration=True)
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT and dossier.code is None


def test_an_applicant_at_the_level_submits(office):
    _require(office, 2)
    _verify(office.citizen, 2)
    dossier = _draft(office)
    services.submit(dossier, actor=office.citizen, declaration=True)
    assert dossier.status == Status.SUBMITTED


def test_level_one_is_enough_where_one_is_asked(office):
    _require(office, 1)
    _verify(office.citizen, 1)
    dossier = _draft(office)
    services.submit(dossier, actor=office.citizen, declaration=True)
    assert dossier.status == Status.SUBMITTED


def test_a_procedure_without_a_level_takes_any_account(office):
    dossier = _draft(office)
    services.submit(dossier, actor=office.citizen, declaration=True)
    assert dossier.status == Status.SUBMITTED


def test_a_number_without_verification_does_not_count(office):
    """The level belongs to the verified number: an account that lost its number (its verified owner
    took it) has no level left, whatever it had."""
    _require(office, 1)
    _verify(office.citizen, 2)
    office.citizen.identity_number = None
    office.citizen.save(update_fields=["identity_number"])
    dossier = _draft(office)
    with pytest.raises(WrongState):
        services.submit(dossier, actor=office.citizen, declaration=True)


def test_the_one_go_submission_checks_it_too(office):
    _require(office, 2)
    with pytest.raises(WrongState, match=MESSAGE):
        services.submit_new(
            version=office.version, applicant=office.citizen, form_data=GOOD_FORM, declaration=True
        )


def test_the_review_page_shows_why_and_offers_the_national_identity(client, office, settings):
    settings.MOTCUA_IDENTITY_PROVIDERS = ["vneid"]
    _require(office, 2)
    dossier = _draft(office)
    client.force_login(office.citizen)
    page = client.get(f"/ho-so-cua-toi/{dossier.public_id}/xem-lai/").content.decode()
    assert MESSAGE in page
    assert f'href="/dang-nhap/dinh-danh/vneid/?next=/ho-so-cua-toi/{dossier.public_id}/xem-lai/"' in page
    answer = client.post(
        f"/ho-so-cua-toi/{dossier.public_id}/xem-lai/", {"declaration": "on", "revision": dossier.revision}
    )
    assert answer.status_code == 409 and MESSAGE in answer.content.decode()


def test_the_procedure_page_says_so(client, office):
    _require(office, 2)
    page = client.get(f"/thu-tuc/{office.version.procedure.code}/").content.decode()
    assert "Đăng nhập bằng tài khoản định danh điện tử (VNeID) mức 2" in page
