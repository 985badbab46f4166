"""Sync in: dossiers submitted on the national portal come into the province (docs/decisions/0013).

A pull (``manage.py receive_national``, ``make demo`` runs it in a loop): the province asks the portal
for the dossiers submitted for it (``LayDanhSachHoSoTuDVCQG``), fetches each one's files from their
``DuongDanTaiTepTin`` (outside any transaction), and in one short transaction per dossier records an
``InboundDossier`` row under the national code and creates the dossier through
``dossiers.services.submit_from_portal`` (the files pass the upload checks; the dossier lands in the
reception queue of its agency with status 1). Then it tells the portal which it took
(``CapNhatDaNhanHoSo``), and the portal lists them no more.

Nothing is taken twice: the national code is unique, so a dossier listed again (the acknowledgement
lost, two pollers at once) finds its row, creates nothing and is acknowledged again. Nothing is lost:
a dossier is acknowledged only once its row has committed, and a portal that cannot be reached stops
the poll before anything of that dossier is written (the next poll takes it). A dossier that cannot
become one here (an unknown procedure or agency, a file the upload checks refuse) is kept as a failed
row with the reason and the portal's item, which staff see and take again once the catalogue is
right (``retake``).

Every later change of a taken dossier syncs out like any other (``sync``), under its national code
(``mapping.code_on_portal``).
"""

import datetime
import io
import logging
from collections import Counter
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureVersion, RequiredDocument
from motcua.core import audit, clock
from motcua.dossiers import services
from motcua.dossiers.constants import NATIONAL_RESULT_DELIVERY
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.uploads import max_upload_bytes
from motcua.integrations.constants import InboundState
from motcua.integrations.models import InboundDossier
from motcua.integrations.national.client import NationalPortalClient, NationalPortalError
from motcua.integrations.national.mapping import DATE_FORMAT, VIETNAM

logger = logging.getLogger(__name__)

TAKEN = "taken"
FAILED = "failed"
DUPLICATE = "duplicate"
INVALID = "invalid"
ACKNOWLEDGED = "acknowledged"

RESULT_DELIVERY_OF = {str(code): delivery for delivery, code in NATIONAL_RESULT_DELIVERY.items()}


def portal_name() -> str:
    return _("Cổng Dịch vụ công quốc gia")


class FileProblem(Exception):
    """A file of the portal's dossier that cannot be fetched (the portal answered with an error)."""


def receive(*, client: NationalPortalClient | None = None, limit: int = 50) -> Counter:
    """One poll: tell the portal what is taken and not yet told, take what it lists, tell it.
    Counts by outcome (taken, failed, duplicate, invalid, acknowledged). Raises NationalPortalError
    when the portal cannot be reached (what was taken before stays taken and is told next time)."""
    client = client or NationalPortalClient.from_settings()
    counts: Counter = Counter()
    counts[ACKNOWLEDGED] += acknowledge_pending(client)
    for item in client.submitted_dossiers(limit):
        counts[take(item, client=client)] += 1
    counts[ACKNOWLEDGED] += acknowledge_pending(client)
    return counts


def take(item: dict[str, Any], *, client: NationalPortalClient) -> str:
    """Take one dossier the portal lists; the outcome (TAKEN, FAILED, DUPLICATE, INVALID)."""
    code = str(item.get("MaHoSo") or "").strip()[:64]
    if not code:
        logger.warning("national portal listed a dossier without MaHoSo: %.300s", item)
        return INVALID
    if InboundDossier.objects.filter(national_code=code).update(acknowledged_at=None):
        return DUPLICATE  # listed again: the acknowledgement did not reach the portal; tell it again
    try:
        files = fetch_files(item, client)
    except FileProblem as exc:
        return _record(code, item, files=None, problem=str(exc))
    return _record(code, item, files=files, problem="")


def fetch_files(item: dict[str, Any], client: NationalPortalClient) -> list[tuple[dict, bytes]]:
    """The dossier's files, each with its ``TaiLieuNop`` entry; FileProblem when the portal refuses
    one, NationalPortalError when it cannot be reached."""
    limit = max_upload_bytes()
    files = []
    for entry in _documents(item):
        try:
            content = client.download(str(entry.get("DuongDanTaiTepTin") or ""), limit=limit)
        except NationalPortalError as exc:
            if exc.code is None:
                raise
            name = str(entry.get("TenTepDinhKem") or "")
            raise FileProblem(
                _("Không tải được tệp “%(name)s” từ Cổng: %(error)s") % {"name": name, "error": exc}
            ) from None
        files.append((entry, content))
    return files


def _documents(item: dict[str, Any]) -> list[dict]:
    entries = item.get("TaiLieuNop") or []
    if not isinstance(entries, list):
        return []
    return [e for e in entries if isinstance(e, dict) and str(e.get("IsDeleted", "False")) != "True"]


def _record(code: str, item: dict[str, Any], *, files: list[tuple[dict, bytes]] | None, problem: str) -> str:
    """In one transaction: the row under the national code and, when it can be, the dossier."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = InboundDossier.objects.create(
                    national_code=code, state=InboundState.FAILED, **_summary(item)
                )
        except IntegrityError:
            return DUPLICATE  # another poller took it in the meantime
        _fill(row, item, files, problem)
    return TAKEN if row.state == InboundState.TAKEN else FAILED


def _summary(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "item": item,
        "procedure_code": str(item.get("MaTTHC") or "")[:40],
        "agency_code": str(item.get("MaDonViTiepNhan") or "")[:40],
        "applicant_name": str(item.get("ChuHoSo") or "")[:255],
    }


def _fill(row: InboundDossier, item: dict[str, Any], files: list[tuple[dict, bytes]] | None, problem: str):
    """Create the row's dossier (or record why not) on the locked row, in the caller's transaction."""
    reason = problem
    if not reason:
        try:
            with transaction.atomic():
                dossier = _create_dossier(row.national_code, item, files or [])
        except InvalidInput as exc:
            reason = _reason(exc)
        except Exception as exc:  # a dossier that breaks something must not block the ones after it
            logger.exception("national dossier %s could not be taken", row.national_code)
            reason = _("Lỗi khi nhận hồ sơ: %(error)s") % {"error": exc.__class__.__name__}
        else:
            row.dossier, row.state, row.reason = dossier, InboundState.TAKEN, ""
            row.acknowledged_at = None
            row.save()
            audit.record(
                "integrations.national_inbound_taken",
                obj=dossier,
                summary=f"{row.national_code} → {dossier.code}",
            )
            return
    row.state, row.reason = InboundState.FAILED, reason[:2000]
    row.acknowledged_at = None
    row.save()
    audit.record(
        "integrations.national_inbound_failed", obj=row, summary=row.national_code, reason=row.reason
    )


def _reason(exc: InvalidInput) -> str:
    details = [m for messages in (exc.errors or {}).values() for m in messages]
    return "; ".join([exc.message, *details]) if details else exc.message


def _create_dossier(code: str, item: dict[str, Any], files: list[tuple[dict, bytes]]):
    procedure_code = str(item.get("MaTTHC") or "").strip()
    version = (
        ProcedureVersion.objects.filter(procedure__code=procedure_code, is_current=True)
        .select_related("procedure")
        .first()
    )
    if version is None:
        message = _("Thủ tục mã “%(code)s” không có trong danh mục thủ tục đang áp dụng của tỉnh.") % {
            "code": procedure_code
        }
        raise InvalidInput(message)
    agency = None
    agency_code = str(item.get("MaDonViTiepNhan") or "").strip()
    if agency_code:
        agency = Agency.objects.filter(code=agency_code, is_active=True).first()
        if agency is None:
            raise InvalidInput(_("Không có cơ quan mã “%(code)s” trong tỉnh.") % {"code": agency_code})
    documents = {str(d.pk): d for d in RequiredDocument.objects.filter(version=version)}
    by_name = {d.name.strip().lower(): d for d in documents.values()}
    uploads = []
    for entry, content in files:
        document = documents.get(str(entry.get("MaThanhPhanHoSo") or "")) or by_name.get(
            str(entry.get("TenThanhPhanHoSo") or "").strip().lower()
        )
        uploads.append((document, str(entry.get("TenTepDinhKem") or "tep"), io.BytesIO(content)))
    identifiers = item.get("DinhDanhCHS") or []
    identity = ""
    if isinstance(identifiers, list) and identifiers and isinstance(identifiers[0], dict):
        identity = str(identifiers[0].get("SoDinhDanh") or "")
    form = item.get("DuLieuToKhai")
    return services.submit_from_portal(
        version=version,
        agency=agency,
        applicant={
            "name": str(item.get("ChuHoSo") or ""),
            "identity": identity,
            "phone": str(item.get("SoDienThoai") or ""),
            "email": str(item.get("Email") or ""),
            "address": str(item.get("DiaChiChuHoSo") or ""),
        },
        form_data=form if isinstance(form, dict) else {},
        files=uploads,
        portal=portal_name(),
        reference=code,
        submitted_at=_date(item.get("NgayNopHoSo")),
        result_delivery=RESULT_DELIVERY_OF.get(str(item.get("HinhThuc", "")), ""),
        delivery_address=str(item.get("DiaChiNhanKetQua") or ""),
    )


def _date(value: Any) -> datetime.datetime | None:
    try:
        return datetime.datetime.strptime(str(value), DATE_FORMAT).replace(tzinfo=VIETNAM)
    except ValueError:
        return None


def acknowledge_pending(client: NationalPortalClient, *, batch: int = 200) -> int:
    """Tell the portal about every row not yet told (taken: ``KetQua`` "1" with our code; failed:
    "0" with the reason); how many were told."""
    told = 0
    while True:
        rows = list(
            InboundDossier.objects.filter(acknowledged_at__isnull=True)
            .select_related("dossier")
            .order_by("id")[:batch]
        )
        if not rows:
            return told
        client.acknowledge(
            [
                {
                    "MaHoSo": row.national_code,
                    "KetQua": "1" if row.state == InboundState.TAKEN else "0",
                    "MaHoSoTiepNhan": (row.dossier.code or "") if row.dossier is not None else "",
                    "GhiChu": row.reason[:500],
                }
                for row in rows
            ]
        )
        # Only rows unchanged since they were read: one taken again meanwhile is told again.
        for row in rows:
            InboundDossier.objects.filter(pk=row.pk, state=row.state, acknowledged_at__isnull=True).update(
                acknowledged_at=timezone.now()
            )
        told += len(rows)
        if len(rows) < batch:
            return told


def retake(row: InboundDossier, *, actor: Any, client: NationalPortalClient | None = None) -> InboundDossier:
    """Take a failed row again (after the catalogue or the agencies were put right): fetch its files
    from the portal again and create the dossier, or record the reason again. Raises
    NationalPortalError when the portal cannot be reached."""
    client = client or NationalPortalClient.from_settings()
    if row.state != InboundState.FAILED:
        return row
    try:
        files: list[tuple[dict, bytes]] | None = fetch_files(row.item, client)
        problem = ""
    except FileProblem as exc:
        files, problem = None, str(exc)
    with transaction.atomic():
        locked = InboundDossier.objects.select_for_update().get(pk=row.pk)
        if locked.state == InboundState.FAILED:
            locked.attempts += 1
            locked.updated_at = clock.now()
            audit.record(
                "integrations.national_inbound_retaken", actor=actor, obj=locked, summary=locked.national_code
            )
            _fill(locked, locked.item, files, problem)
    row.refresh_from_db()
    return row
