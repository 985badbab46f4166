"""Refreshing the catalogue from the national portal (``LayDanhSachTTHC``, ``LayThuTuc``).

``compare`` asks the portal for its list of procedures and, for each procedure of ours in force that
the person may publish, its full record, and tells what differs from our current version, field by
field (``changed``), which of ours the portal no longer publishes (``removed``) and which it publishes
that we lack (``new``, for a province administrator). ``publish`` takes the changes an administrator
chose for one procedure into a new version through the catalogue's own services (``start_draft``,
``revise_draft``, ``publish_version``), asking the same rule as the admin (``catalog.publish_version``).

Our readings of the portal's record (change them here only):
- ``TENTTHC`` begins "Thủ tục …" where the province's catalogue names the procedure without it: the
  word is dropped before comparing and taking the name.
- The processing time is the online channel's (``KENH`` 2), else the first channel's; ``DONVITINH``
  "Ngày làm việc", "Ngày", "Giờ" are working days, calendar days, working hours; without a unit our
  unit is kept.
- A section the portal leaves empty (or "Không có thông tin") is no change: the portal's silence never
  blanks a text of ours.

``import_new`` takes procedures the portal publishes and we lack as drafts, for a province administrator
to complete (the agencies that handle it, the internal process, the form) and publish in the admin:
- the level is the first of ``CAPTHUCHIEN`` a province handles ("Cấp tỉnh", "Cấp xã");
- the online mode is "partial" (the portal's record does not say whether it runs end to end);
- each ``GIAYTO`` of ``THANHPHANHOSO`` is a required document, its name cut at 500 characters with the
  whole text kept in its note;
- without a result or a processing time the portal's record cannot make a draft: it is reported, not
  guessed.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import User
from motcua.catalog import services as catalog
from motcua.catalog.constants import Level, Mode, SubmissionChannel, TimeUnit, VersionStatus
from motcua.catalog.models import ChannelOption, Procedure, ProcedureVersion
from motcua.catalog.rules import is_province_admin
from motcua.core import audit
from motcua.integrations.national.client import NationalPortalClient

UNITS = {
    "ngày làm việc": TimeUnit.WORKING_DAYS,
    "ngày": TimeUnit.CALENDAR_DAYS,
    "giờ": TimeUnit.WORKING_HOURS,
}
CHANNELS = {1: SubmissionChannel.COUNTER, 2: SubmissionChannel.ONLINE, 3: SubmissionChannel.POST}
NO_INFORMATION = {"", "không có thông tin"}
# The fields compared, in the order shown, with their labels.
LABELS = {
    "name": gettext_lazy("Tên thủ tục"),
    "field": gettext_lazy("Lĩnh vực"),
    "processing_time": gettext_lazy("Thời hạn giải quyết"),
    "applicants": gettext_lazy("Đối tượng thực hiện"),
    "description": gettext_lazy("Trình tự thực hiện"),
    "conditions": gettext_lazy("Yêu cầu, điều kiện"),
    "legal_basis": gettext_lazy("Căn cứ pháp lý"),
    "result": gettext_lazy("Kết quả thực hiện"),
    "channels": gettext_lazy("Hình thức nộp, thời hạn và phí theo từng hình thức"),
}
NEW_SHOWN = 100


@dataclass
class FieldChange:
    name: str
    ours: str
    theirs: str

    @property
    def label(self) -> str:
        return str(LABELS[self.name])


@dataclass
class ProcedureChange:
    procedure: Procedure
    version: ProcedureVersion
    changes: list[FieldChange]
    has_draft: bool

    @property
    def code(self) -> str:
        return self.procedure.code


@dataclass
class Refresh:
    checked_at: datetime.datetime
    changed: list[ProcedureChange] = field(default_factory=list)
    unchanged: int = 0
    removed: list[ProcedureVersion] = field(default_factory=list)
    new: list[dict[str, Any]] = field(default_factory=list)
    new_total: int = 0


@dataclass
class National:
    """A ``LayThuTuc`` record in our catalogue's terms (None or "": the portal says nothing)."""

    name: str
    field: str
    processing_time: Decimal | None
    time_unit: str | None
    applicants: str
    description: str
    conditions: str
    legal_basis: str
    result: str
    channels: list[dict[str, Any]]


def _clean(value: Any) -> str:
    text = re.sub(r"[ \t]+", " ", str(value or "")).strip()
    return "" if text.lower() in NO_INFORMATION else text


def _name(value: Any) -> str:
    name = _clean(value)
    if name.lower().startswith("thủ tục "):
        name = name[len("thủ tục ") :].strip()
        name = name[:1].upper() + name[1:]
    return name


def _number(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number > 0 else None


def _joined(entries: Any, *keys: str) -> str:
    lines = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict):
            parts = [_clean(entry.get(k)) for k in keys]
            line = " ".join(p for p in parts if p)
            if line:
                lines.append(line)
    return "\n".join(lines)


def read(record: dict[str, Any]) -> National:
    fields = record.get("LINHVUCTHUCHIEN") or []
    field_name = _clean(fields[0].get("TENLINHVUC")) if fields and isinstance(fields[0], dict) else ""
    channels: list[dict[str, Any]] = []
    for entry in record.get("CACHTHUCTHUCHIEN") or []:
        channel = CHANNELS.get(int(entry.get("KENH") or 0)) if str(entry.get("KENH", "")).isdigit() else None
        if channel is None:
            continue
        times = entry.get("THOIGIAN") or [{}]
        first = times[0] if isinstance(times[0], dict) else {}
        unit = UNITS.get(_clean(first.get("DONVITINH")).lower())
        time = _number(first.get("THOIGIANGIAIQUYET"))
        fees = first.get("PHILEPHI") or []
        fee_text = "; ".join(
            _clean(f.get("MOTA")) for f in fees if isinstance(f, dict) and _clean(f.get("MOTA"))
        )
        channels.append(
            {
                "channel": channel.value,
                "time": time if unit else None,
                "unit": unit.value if (unit and time) else "",
                "fee_text": fee_text,
                "description": _clean(first.get("MOTA")),
                "_time": time,
            }
        )
    preferred = next((c for c in channels if c["channel"] == SubmissionChannel.ONLINE), None)
    preferred = preferred or (channels[0] if channels else None)
    steps = []
    for case in record.get("TRINHTUTHUCHIEN") or []:
        if isinstance(case, dict):
            text = _joined(case.get("TRINHTU"), "TENTRINHTU")
            steps.append("\n".join(t for t in (_clean(case.get("TRUONGHOP")), text) if t))
    return National(
        name=_name(record.get("TENTTHC")),
        field=field_name,
        processing_time=preferred["_time"] if preferred else None,
        time_unit=preferred["unit"] or None if preferred else None,
        applicants=_clean(record.get("MOTADOITUONGTHUCHIEN")),
        description="\n".join(s for s in steps if s),
        conditions=_clean(record.get("YEUCAU")),
        legal_basis=_joined(record.get("CANCUPHAPLY"), "SOVANBAN", "TENVANBAN"),
        result=_joined(record.get("KETQUATHUCHIEN"), "TENKETQUA"),
        channels=[{k: v for k, v in c.items() if k != "_time"} for c in channels],
    )


def _same(ours: str, theirs: str) -> bool:
    return " ".join(ours.split()) == " ".join(theirs.split())


def _time_label(time: Decimal | None, unit: str | None) -> str:
    if time is None:
        return ""
    unit_label = TimeUnit(unit).label if unit else ""
    return f"{time.normalize():f} {unit_label}".strip()


def _channels_label(rows: list[dict[str, Any]]) -> str:
    lines = []
    for row in rows:
        label = str(SubmissionChannel(row["channel"]).label)
        time = _time_label(row.get("time"), row.get("unit") or None)
        lines.append(" · ".join(p for p in (label, time, row.get("fee_text", "")) if p))
    return "\n".join(lines)


def _our_channels(version: ProcedureVersion) -> list[dict[str, Any]]:
    return [
        {
            "channel": c.channel,
            "time": c.time.normalize() if c.time is not None else None,
            "unit": c.unit,
            "fee_text": " ".join(c.fee_text.split()),
            "description": " ".join(c.description.split()),
        }
        for c in ChannelOption.objects.filter(version=version).order_by("order", "id")
    ]


def differences(version: ProcedureVersion, national: National) -> list[FieldChange]:
    """What the portal says differently from ``version``, field by field."""
    found = []
    texts = {
        "name": version.name,
        "field": version.field.name,
        "applicants": version.applicants,
        "description": version.description,
        "conditions": version.conditions,
        "legal_basis": version.legal_basis,
        "result": version.result,
    }
    for name in LABELS:
        if name == "processing_time":
            if national.processing_time is None:
                continue
            unit = national.time_unit or version.time_unit
            if national.processing_time != version.processing_time.normalize() or unit != version.time_unit:
                found.append(
                    FieldChange(
                        name,
                        _time_label(version.processing_time, version.time_unit),
                        _time_label(national.processing_time, unit),
                    )
                )
        elif name == "channels":
            ours = _our_channels(version)
            theirs = [
                {**c, "time": c["time"].normalize() if c["time"] is not None else None}
                for c in national.channels
            ]
            if theirs and ours != theirs:
                found.append(FieldChange(name, _channels_label(ours), _channels_label(theirs)))
        else:
            theirs = getattr(national, name)
            if theirs and not _same(texts[name], theirs):
                found.append(FieldChange(name, texts[name], theirs))
    return found


def _publishable(user: User):
    procedures = Procedure.objects.filter(versions__is_current=True).distinct().order_by("code")
    if is_province_admin(user):
        return procedures
    agencies = user.memberships.filter(role="agency_admin").values_list("agency_id", flat=True)
    return procedures.filter(versions__is_current=True, versions__agencies__in=agencies).distinct()


def compare(user: User, *, client: NationalPortalClient | None = None) -> Refresh:
    """What the portal publishes differently for the procedures ``user`` may publish. Raises
    NationalPortalError when the portal cannot be reached."""
    client = client or NationalPortalClient.from_settings()
    listed = {str(p.get("MATTHC")): p for p in client.procedures() if isinstance(p, dict) and p.get("MATTHC")}
    refresh = Refresh(checked_at=datetime.datetime.now(datetime.UTC))
    ours = list(_publishable(user))
    versions = {
        v.procedure_id: v
        for v in ProcedureVersion.objects.filter(procedure__in=ours, is_current=True).select_related(
            "procedure", "field"
        )
    }
    drafts = set(
        ProcedureVersion.objects.filter(procedure__in=ours, status=VersionStatus.DRAFT).values_list(
            "procedure_id", flat=True
        )
    )
    for procedure in ours:
        version = versions[procedure.pk]
        if procedure.code not in listed:
            refresh.removed.append(version)
            continue
        record = client.procedure(procedure.code)
        if record is None:
            refresh.removed.append(version)
            continue
        changes = differences(version, read(record))
        if changes:
            refresh.changed.append(ProcedureChange(procedure, version, changes, procedure.pk in drafts))
        else:
            refresh.unchanged += 1
    if is_province_admin(user):
        known = set(Procedure.objects.values_list("code", flat=True))
        new = [p for code, p in sorted(listed.items()) if code not in known]
        refresh.new_total, refresh.new = len(new), new[:NEW_SHOWN]
    return refresh


def publish(
    procedure: Procedure, *, fields: list[str], actor: User, client: NationalPortalClient | None = None
) -> ProcedureVersion:
    """A new version of ``procedure`` with the portal's values of ``fields`` (names of LABELS),
    published today. Raises PermissionDenied, ValidationError (nothing chosen, a draft under way, a
    version the catalogue refuses: nothing is saved) or NationalPortalError."""
    if not actor.has_perm("catalog.publish_version", procedure):
        raise PermissionDenied
    client = client or NationalPortalClient.from_settings()
    record = client.procedure(procedure.code)  # asked outside any transaction
    if record is None:
        raise ValidationError(_("Cổng Dịch vụ công quốc gia không còn công bố thủ tục này."))
    national = read(record)
    current = procedure.versions.filter(is_current=True).select_related("field").first()
    if current is None:
        raise ValidationError(_("Thủ tục chưa có phiên bản đang áp dụng."))
    chosen = [c for c in differences(current, national) if c.name in set(fields)]
    if not chosen:
        raise ValidationError(_("Chọn ít nhất một thay đổi để công bố."))
    values: dict[str, Any] = {}
    channels = None
    for change in chosen:
        if change.name == "processing_time":
            values["processing_time"] = national.processing_time
            values["time_unit"] = national.time_unit or current.time_unit
        elif change.name == "channels":
            channels = national.channels
        else:
            values[change.name] = getattr(national, change.name)
    with transaction.atomic():
        if procedure.versions.filter(status=VersionStatus.DRAFT).exists():
            raise ValidationError(
                _("Thủ tục đang có bản nháp chưa công bố: hoàn tất hoặc xóa bản nháp đó trước khi cập nhật.")
            )
        draft = catalog.start_draft(procedure, actor=actor)
        catalog.revise_draft(
            draft, values=values, channels=channels, actor=actor, reason=str(_("Cổng Dịch vụ công quốc gia"))
        )
        version = catalog.publish_version(draft, actor=actor)
        audit.record(
            "integrations.catalogue_refreshed",
            actor=actor,
            obj=version,
            summary=str(version),
            fields=[c.name for c in chosen],
        )
    return version


LEVELS = {"cấp tỉnh": Level.PROVINCE, "cấp xã": Level.COMMUNE}


@dataclass
class Imported:
    drafts: list[ProcedureVersion] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # code → why


def _documents(record: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for case in record.get("THANHPHANHOSO") or []:
        if not isinstance(case, dict):
            continue
        for paper in case.get("GIAYTO") or []:
            name = _clean(paper.get("TENGIAYTO")) if isinstance(paper, dict) else ""
            if name:
                rows.append({"name": name[:500], "note": name if len(name) > 500 else "", "required": True})
    return rows


def _draft_values(record: dict[str, Any], national: National) -> dict[str, Any]:
    """A draft's fields from the record; raises ValidationError naming what the portal lacks."""
    levels = [
        LEVELS[_clean(v).lower()] for v in record.get("CAPTHUCHIEN") or [] if _clean(v).lower() in LEVELS
    ]
    missing = []
    if not national.name:
        missing.append(str(LABELS["name"]))
    if not national.field:
        missing.append(str(LABELS["field"]))
    if not national.result:
        missing.append(str(LABELS["result"]))
    if not national.processing_time:
        missing.append(str(LABELS["processing_time"]))
    if not levels:
        missing.append(_("cấp thực hiện"))
    if missing:
        raise ValidationError(
            _("Cổng chưa công bố: %(fields)s.") % {"fields": ", ".join(missing)}, code="incomplete"
        )
    return {
        "name": national.name[:1000],
        "field": national.field,
        "level": levels[0],
        "mode": Mode.PARTIAL,
        "processing_time": national.processing_time,
        "time_unit": national.time_unit or TimeUnit.WORKING_DAYS,
        "applicants": national.applicants,
        "description": national.description,
        "conditions": national.conditions,
        "legal_basis": national.legal_basis,
        "result": national.result,
    }


def import_new(codes: list[str], *, actor: User, client: NationalPortalClient | None = None) -> Imported:
    """Drafts of the procedures of ``codes`` that the portal publishes and the catalogue lacks (at most
    NEW_SHOWN at a time), each created in its own transaction through the catalogue's service; a
    province administrator's. Raises PermissionDenied or NationalPortalError."""
    if not is_province_admin(actor):
        raise PermissionDenied
    client = client or NationalPortalClient.from_settings()
    imported = Imported()
    for code in list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))[:NEW_SHOWN]:
        if Procedure.objects.filter(code=code).exists():
            imported.refused[code] = _("Thủ tục đã có trong danh mục của tỉnh.")
            continue
        record = client.procedure(code)  # asked outside any transaction
        if record is None:
            imported.refused[code] = _("Cổng Dịch vụ công quốc gia không công bố thủ tục này.")
            continue
        national = read(record)
        try:
            with transaction.atomic():
                draft = catalog.create_procedure(
                    code,
                    version=_draft_values(record, national),
                    documents=_documents(record),
                    channels=national.channels,
                    actor=actor,
                )
                audit.record(
                    "integrations.catalogue_imported", actor=actor, obj=draft, summary=f"{code} {draft.name}"
                )
        except ValidationError as exc:
            imported.refused[code] = "; ".join(exc.messages)
            continue
        except IntegrityError:  # another administrator imported it a moment before
            imported.refused[code] = _("Thủ tục đã có trong danh mục của tỉnh.")
            continue
        imported.drafts.append(draft)
    return imported
