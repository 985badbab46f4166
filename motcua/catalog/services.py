"""Writes for the catalogue: drafts, publication and activation of procedure versions.

A published version never changes: an edit starts a new draft copied from the latest version.
"""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.catalog.constants import FieldKind, VersionStatus
from motcua.catalog.models import (
    ChannelOption,
    Fee,
    Field,
    FormField,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
)
from motcua.core import audit
from motcua.core.text import fold

# The parts of a version. Typed loosely: mypy cannot follow bulk_create through a union of managers.
_PARTS: tuple[Any, ...] = (Fee, RequiredDocument, FormField, ProcessStep, ChannelOption)


def get_or_create_field(name: str) -> Field:
    """The field (lĩnh vực) of this name; a new one gets a slug code, made unique with a number."""
    name = name.strip()
    field = Field.objects.filter(name=name).first()
    if field:
        return field
    base = slugify(fold(name))[:70] or "linh-vuc"
    code, n = base, 1
    while Field.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return Field.objects.create(name=name, code=code)


@transaction.atomic
def create_procedure(
    code: str,
    *,
    version: Mapping[str, Any],
    agencies: Iterable[Agency] = (),
    fees: Iterable[Mapping[str, Any]] = (),
    documents: Iterable[Mapping[str, Any]] = (),
    form: Iterable[Mapping[str, Any]] = (),
    steps: Iterable[Mapping[str, Any]] = (),
    channels: Iterable[Mapping[str, Any]] = (),
    actor: Any = None,
) -> ProcedureVersion:
    """Create a procedure with its first draft version. ``version`` holds ProcedureVersion fields
    (``field`` may be a Field or a field name); the parts are lists of dicts of their model fields
    (``channels``: the ways to submit, each with its time and fees as published)."""
    procedure = Procedure(code=code)
    procedure.full_clean()
    procedure.save()
    values = dict(version)
    if isinstance(values.get("field"), str):
        values["field"] = get_or_create_field(values["field"])
    draft = ProcedureVersion(procedure=procedure, number=1, status=VersionStatus.DRAFT, **values)
    draft.full_clean(exclude=["procedure"])
    draft.save()
    draft.agencies.set(agencies)
    # The form first: a fee line names the form fields that give its quantity or claim its exemption.
    in_order: tuple[tuple[Any, Iterable[Mapping[str, Any]]], ...] = (
        (FormField, form),
        (Fee, fees),
        (RequiredDocument, documents),
        (ProcessStep, steps),
        (ChannelOption, channels),
    )
    for model, rows in in_order:
        objects = [model(version=draft, order=i, **row) for i, row in enumerate(rows, start=1)]
        for obj in objects:
            obj.full_clean(exclude=["version"])
        model.objects.bulk_create(objects)
    audit.record("procedure.created", actor=actor, obj=procedure, summary=f"{code} {draft.name}")
    return draft


@transaction.atomic
def start_draft(procedure: Procedure, *, actor: Any = None) -> ProcedureVersion:
    """The procedure's draft: the existing one, or a new copy of its latest version."""
    Procedure.objects.select_for_update().get(pk=procedure.pk)
    existing = procedure.versions.filter(status=VersionStatus.DRAFT).first()
    if existing:
        return existing
    source = procedure.versions.order_by("-number").first()
    if source is None:
        raise ValidationError(_("Thủ tục chưa có phiên bản nào."))
    number = (procedure.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    agencies = list(source.agencies.all())
    parts = {model: list(model.objects.filter(version=source)) for model in _PARTS}
    draft = source
    draft.pk = None
    draft.id = None
    draft._state.adding = True
    draft.number = number
    draft.status = VersionStatus.DRAFT
    draft.is_current = False
    draft.effective_from = None
    draft.published_at = None
    draft.published_by = None
    draft.save()
    draft.agencies.set(agencies)
    for model, rows in parts.items():
        for row in rows:
            row.pk = None
            row.id = None
            row.version = draft
        model.objects.bulk_create(rows)
    audit.record("procedure.draft_started", actor=actor, obj=draft, summary=str(draft))
    return draft


# What ``revise_draft`` may change on a draft: the version's own texts and times.
REVISABLE = (
    "name",
    "field",
    "applicants",
    "processing_time",
    "time_unit",
    "description",
    "conditions",
    "legal_basis",
    "result",
)


@transaction.atomic
def revise_draft(
    draft: ProcedureVersion,
    *,
    values: Mapping[str, Any],
    channels: Iterable[Mapping[str, Any]] | None = None,
    actor: Any = None,
    reason: str = "",
) -> ProcedureVersion:
    """Change a draft's fields of ``REVISABLE`` (``field`` may be a Field or a field name) and, when
    given, replace its ways to submit; the draft is checked as the admin checks it. A published
    version never changes: raises ValidationError."""
    draft = ProcedureVersion.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_draft:
        raise ValidationError(_("Phiên bản này đã được công bố."))
    unknown = sorted(set(values) - set(REVISABLE))
    if unknown:
        raise ValueError(f"not revisable: {', '.join(unknown)}")
    for name, value in values.items():
        if name == "field" and isinstance(value, str):
            value = get_or_create_field(value)
        setattr(draft, name, value)
    draft.full_clean(exclude=["procedure"])
    draft.save()
    if channels is not None:
        rows = [ChannelOption(version=draft, order=i, **row) for i, row in enumerate(channels, start=1)]
        for row in rows:
            row.full_clean(exclude=["version"])
        ChannelOption.objects.filter(version=draft).delete()
        ChannelOption.objects.bulk_create(rows)
    audit.record(
        "procedure.draft_revised",
        actor=actor,
        obj=draft,
        summary=str(draft),
        fields=sorted(values) + (["channels"] if channels is not None else []),
        reason=reason,
    )
    return draft


def check_publishable(version: ProcedureVersion) -> list[str]:
    """Everything that keeps a draft from being published, as messages for the administrator."""
    problems = []
    if not version.is_draft:
        problems.append(_("Phiên bản này đã được công bố."))
    if not version.agencies.exists():
        problems.append(_("Chưa chọn cơ quan thực hiện."))
    steps = list(version.steps.all())
    if not steps:
        problems.append(_("Chưa có quy trình nội bộ."))
    elif sum((s.share for s in steps), Decimal(0)) != Decimal(1):
        problems.append(_("Tổng tỷ lệ thời gian các bước phải bằng 1."))
    form = {field.key: field for field in version.form_fields.all()}
    for field in form.values():
        if field.kind == FieldKind.CHOICE and not field.choices:
            problems.append(_("Trường “%(label)s” cần danh sách lựa chọn.") % {"label": field.label})
    for fee in version.fees.all():  # the form may have changed since the fee line was saved
        for problem in fee.form_problems(form).values():
            problems.append(_("Phí “%(name)s”: %(problem)s") % {"name": fee.name, "problem": problem})
    return problems


@transaction.atomic
def publish_version(
    version: ProcedureVersion, *, effective_from: datetime.date | None = None, actor: Any = None
) -> ProcedureVersion:
    """Publish a draft. It becomes current on ``effective_from`` (today if not given); until then the
    previous version stays current. Earlier versions remain readable."""
    Procedure.objects.select_for_update().get(pk=version.procedure_id)
    version = ProcedureVersion.objects.get(pk=version.pk)
    problems = check_publishable(version)
    if problems:
        raise ValidationError(problems)
    today = timezone.localdate()
    version.effective_from = effective_from or today
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor if getattr(actor, "is_authenticated", False) else None
    version.save()
    audit.record(
        "procedure.published",
        actor=actor,
        obj=version,
        summary=str(version),
        effective_from=version.effective_from.isoformat(),
    )
    _activate(version.procedure, today)
    version.refresh_from_db(fields=["is_current"])
    return version


def _activate(procedure: Procedure, today: datetime.date) -> ProcedureVersion | None:
    """Make the newest published version in force on ``today`` the current one."""
    due = (
        procedure.versions.filter(status=VersionStatus.PUBLISHED, effective_from__lte=today)
        .order_by("-effective_from", "-number")
        .first()
    )
    if due is None or due.is_current:
        return None
    procedure.versions.filter(is_current=True).update(is_current=False)
    due.is_current = True
    due.save(update_fields=["is_current"])
    audit.record("procedure.version_in_force", obj=due, summary=str(due))
    return due


def activate_due_versions(today: datetime.date | None = None) -> int:
    """Bring into force every published version whose effective date has come; returns how many."""
    today = today or timezone.localdate()
    pending = Procedure.objects.filter(
        versions__status=VersionStatus.PUBLISHED,
        versions__effective_from__lte=today,
        versions__is_current=False,
    ).distinct()
    changed = 0
    for procedure in pending:
        with transaction.atomic():
            Procedure.objects.select_for_update().get(pk=procedure.pk)
            changed += _activate(procedure, today) is not None
    return changed
