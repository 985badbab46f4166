"""The error summary at the top of a form (portal/_error_summary.html): every problem of the page,
each naming its field by its label and linking to it, so a person using a screen reader or a
keyboard hears what to fix and goes straight to the field."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _

from motcua.catalog.constants import FieldKind
from motcua.catalog.models import FormField, RequiredDocument
from motcua.catalog.selectors import version_parts
from motcua.dossiers import delivery
from motcua.dossiers.models import Dossier

# The error keys of dossier services that are not a field of the online form.
DECLARATION = "declaration"
DOCUMENTS = "documents"


@dataclass(frozen=True)
class Problem:
    label: str  # the field's label, as the page shows it
    message: str
    href: str  # "#id" of the field, on this page or another; "" for a problem of no one field

    @property
    def text(self) -> str:
        """What the summary says: the label, then the message (once, if the message names it)."""
        if not self.label or self.message.startswith(self.label):
            return self.message
        return _("%(label)s: %(message)s") % {"label": self.label, "message": self.message}


def field_id(field: FormField) -> str:
    """The id of a form field's input (its first input: the unit of an address)."""
    return f"f_{field.key}__unit" if field.kind == FieldKind.ADDRESS else f"f_{field.key}"


def document_slot(document: RequiredDocument) -> str:
    """The id and name of a document slot's file input, and the key of its errors."""
    return f"doc_{document.pk}"


def missing_document_errors(missing: Iterable[RequiredDocument]) -> dict[str, list[str]]:
    return {document_slot(d): [_("Chưa có tệp; giấy tờ này bắt buộc.")] for d in missing}


def delivery_inputs(dossier: Dossier) -> list[tuple[str, str, str]]:
    """(error key, label, id of the input) of the choice of how to receive the result: the choice
    links to its first option."""
    first = delivery.choices_for(dossier.procedure_version, has_account=True)[0]
    return [
        (delivery.CHOICE, _("Hình thức nhận kết quả"), f"{delivery.CHOICE}_{first.value}"),
        (delivery.ADDRESS, _("Địa chỉ nhận kết quả qua bưu chính"), delivery.ADDRESS),
    ]


def declaration_label() -> str:
    return _("Lời cam đoan")


def for_dossier(dossier: Dossier, errors: Mapping[str, list[str]], *, page: str = "") -> list[Problem]:
    """The problems of a dossier's form, its document slots and its declaration, in the page's order.
    ``page`` is the address of the page holding the form and the document slots when it is not this
    one (the review page links back to the form); the declaration is always on this page."""
    parts = version_parts(dossier.procedure_version)
    problems: list[Problem] = []
    seen: set[str] = set()
    for field in parts.form_fields:
        for message in errors.get(field.key, []):
            problems.append(Problem(field.label, message, f"{page}#{field_id(field)}"))
        seen.add(field.key)
    for document in parts.documents:
        for message in errors.get(document_slot(document), []):
            problems.append(Problem(document.name, message, f"{page}#{document_slot(document)}"))
        seen.add(document_slot(document))
    for key, label, anchor in delivery_inputs(dossier):
        for message in errors.get(key, []):
            problems.append(Problem(label, message, f"{page}#{anchor}"))
        seen.add(key)
    for message in errors.get(DECLARATION, []):
        problems.append(Problem(declaration_label(), message, f"#{DECLARATION}"))
    seen |= {DECLARATION, DOCUMENTS}  # services list missing documents under one key: shown per slot
    for key, messages in errors.items():
        if key not in seen:
            problems += [Problem("", message, "") for message in messages]
    return problems


def for_form(form: forms.Form) -> list[Problem]:
    """The problems of a Django form, in the order of its fields (each field's errors beside it)."""
    problems = [Problem("", str(message), "") for message in form.non_field_errors()]
    for bound in form:
        for message in bound.errors:
            problems.append(Problem(str(bound.label), str(message), f"#{bound.id_for_label}"))
    return problems


def for_fields(labels: Mapping[str, str], errors: Mapping[str, list[str]]) -> list[Problem]:
    """The problems of a hand-written form whose inputs have the ids of ``labels`` (id → label)."""
    problems = []
    for key, label in labels.items():
        problems += [Problem(label, message, f"#{key}") for message in errors.get(key, [])]
    for key, messages in errors.items():
        if key not in labels:
            problems += [Problem("", message, "") for message in messages]
    return problems
