"""A dossier owes what its own form asks for: copies on request, exemptions claimed."""

import pytest

from motcua.catalog.tests.factories import BIRTH_FEES, BIRTH_FORM, VERIFICATION_FEE, make_procedure
from motcua.dossiers import services
from motcua.dossiers.tests.factories import pdf


@pytest.fixture
def birth(office):
    return make_procedure(
        "2.000000",
        "Đăng ký khai sinh (thử phí)",
        agency=office.agency,
        form=BIRTH_FORM,
        fees=[*BIRTH_FEES, VERIFICATION_FEE],
    )


def _submit(office, version, form):
    dossier = services.start_dossier(version=version, applicant=office.citizen, another=True)
    services.save_draft(dossier, actor=office.citizen, form_data=form)
    for document in version.documents.filter(required=True):
        services.add_document(dossier, actor=office.citizen, upload=pdf(), name="a.pdf", document=document)
    services.submit(dossier, actor=office.citizen, declaration=True)
    return dossier


@pytest.mark.parametrize(
    ("form", "fee"),
    [
        ({"copies": "", "fee_exempt": "Không"}, 50_000),  # registering is free, verification is not
        ({"copies": "2", "fee_exempt": "Không"}, 66_000),  # two copies asked for
        ({"copies": "2", "fee_exempt": "Có"}, 16_000),  # the verification fee exemption claimed
        ({"copies": "0", "fee_exempt": "Có"}, 0),
    ],
)
def test_the_fee_due_follows_the_form(office, birth, form, fee):
    dossier = _submit(office, birth, {"child_full_name": "Lò Văn A", **form})

    assert dossier.fee_due == fee


def test_submitting_in_one_go_charges_the_same(office, birth):
    birth.documents.update(required=False)
    form = {"child_full_name": "Lò Văn A", "copies": "3", "fee_exempt": "Không"}

    dossier = services.submit_new(version=birth, applicant=office.citizen, form_data=form, declaration=True)

    assert dossier.fee_due == 74_000
