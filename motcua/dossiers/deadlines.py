"""A dossier's deadline: how it is stored, moved by pauses, and explained (Decree 61/2018).

The counting rules are in ``motcua.calendar``; this module applies them to a dossier:

* ``Dossier.counted_from`` is when the clock started (reception, or the last resubmission when the
  procedure restarts the clock after a supplement), ``original_due_at`` the legal deadline from
  there with the closed pauses left out, and ``due_at`` the appointment given to the applicant: the
  legal deadline, or the new appointment of an apology letter (form 04), which pauses move too.
* Each process step gets its share of the legal time (``Step.due_at``).
* ``explain`` says how the dates were reached, sentence by sentence, for the pages.
"""

import datetime

from django.utils.translation import gettext as _

from motcua.calendar.selectors import compute_due, move_appointment, step_deadlines
from motcua.calendar.workdays import DueDate, MovedAppointment, format_moment
from motcua.dossiers.constants import ActionType, ClockChange, StepKind
from motcua.dossiers.models import Action, Dossier, Pause

Interval = tuple[datetime.datetime, datetime.datetime]


def _agency(dossier: Dossier) -> int:
    return dossier.deciding_agency_id or dossier.receiving_agency_id


def clock_start(dossier: Dossier) -> datetime.datetime | None:
    """When the deadline's clock started: at reception, or at the last resubmission when the procedure
    restarts the clock after a supplement."""
    restarted = (
        dossier.actions.filter(type=ActionType.SUPPLEMENT, data__clock=ClockChange.RESTARTED.value)
        .order_by("-at", "-id")
        .first()
    )
    return restarted.at if restarted is not None else dossier.received_at


def closed_pauses(dossier: Dossier, since: datetime.datetime) -> list[Interval]:
    """The finished stops of the clock after ``since`` (an open one is not counted yet)."""
    return [
        (p.started_at, p.ended_at)
        for p in dossier.pauses.filter(ended_at__isnull=False, started_at__gte=since).order_by("started_at")
        if p.ended_at is not None
    ]


def legal_deadline(dossier: Dossier) -> DueDate | None:
    """The legal deadline recomputed from the calendar, with its explanation (None before reception)."""
    start = clock_start(dossier)
    if start is None:
        return None
    version = dossier.procedure_version
    return compute_due(
        start,
        version.processing_time,
        version.time_unit,
        agency=_agency(dossier),
        pauses=closed_pauses(dossier, start),
    )


def _apology(dossier: Dossier) -> Action | None:
    return dossier.actions.filter(type=ActionType.APOLOGIZE).order_by("-at", "-id").first()


def apologized_appointment(dossier: Dossier) -> MovedAppointment | None:
    """The new appointment of the apology letter (form 04), moved by the pauses since it was given."""
    apology = _apology(dossier) if dossier.apologized else None
    if apology is None or not apology.data.get("new_due_at"):
        return None
    return move_appointment(
        datetime.datetime.fromisoformat(apology.data["new_due_at"]),
        dossier.procedure_version.time_unit,
        agency=_agency(dossier),
        pauses=closed_pauses(dossier, apology.at),
        given_at=apology.at,
    )


def schedule(dossier: Dossier, *, start: datetime.datetime) -> None:
    """(Re)compute the legal deadline and the open steps' due dates from ``start``, leaving out the
    closed pauses after it. After an apology the appointment is its new one, moved by the pauses."""
    version = dossier.procedure_version
    pauses = closed_pauses(dossier, start)
    agency = _agency(dossier)
    due = compute_due(start, version.processing_time, version.time_unit, agency=agency, pauses=pauses)
    dossier.counted_from = due.counted_from
    dossier.original_due_at = due.due_at
    moved = apologized_appointment(dossier)
    dossier.due_at = moved.moved_to if moved is not None else due.due_at
    steps = list(dossier.steps.filter(kind=StepKind.PROCESS).order_by("order"))
    if steps and sum(s.share for s in steps) == 1:
        deadlines = step_deadlines(
            start,
            version.processing_time,
            version.time_unit,
            [s.share for s in steps],
            agency=agency,
            pauses=pauses,
        )
        for step, deadline in zip(steps, deadlines, strict=True):
            if step.completed_at is None:
                step.due_at = deadline.due_at
                step.save(update_fields=["due_at"])


def pause(dossier: Dossier, *, at: datetime.datetime, reason: str) -> None:
    """Stop the clock (a supplement is requested during processing)."""
    Pause.objects.create(dossier=dossier, started_at=at, reason=reason)
    dossier.paused_since = at


def resume(dossier: Dossier, *, at: datetime.datetime) -> ClockChange:
    """The applicant completed the dossier: close the pause and resume (or restart, per procedure)
    the clock. An apologised appointment moves by the pause, like the legal deadline (it is the
    appointment the applicant was given: a restart of the legal clock does not restart it)."""
    dossier.pauses.filter(ended_at__isnull=True).update(ended_at=at)
    dossier.paused_since = None
    restart = dossier.procedure_version.supplement_restarts_clock
    schedule(dossier, start=at if restart else (clock_start(dossier) or at))
    return ClockChange.RESTARTED if restart else ClockChange.RESUMED


def explain(dossier: Dossier) -> list[str]:
    """How the dossier's dates were reached, in sentences (empty before reception)."""
    due = legal_deadline(dossier)
    if due is None:
        return []
    lines = []
    start = clock_start(dossier)
    if dossier.received_at is not None and start is not None and start != dossier.received_at:
        lines.append(
            _("Hồ sơ được bổ sung lúc %(at)s; thời hạn được tính lại từ đầu.") % {"at": format_moment(start)}
        )
    lines += due.explain()
    if dossier.paused_since is not None:
        lines.append(
            _("Đang tạm dừng tính thời hạn từ %(at)s (chờ bổ sung hồ sơ).")
            % {"at": format_moment(dossier.paused_since)}
        )
    moved = apologized_appointment(dossier)
    if moved is not None:
        lines.append(
            _("Đã gửi thư xin lỗi và hẹn lại: ngày hẹn mới %(due)s.") % {"due": format_moment(moved.moved_to)}
        )
        if moved.moved:
            lines += moved.explain()
    elif dossier.due_at and abs((dossier.due_at - due.due_at).total_seconds()) >= 60:
        lines.append(_("Hạn đang ghi trên hồ sơ: %(due)s.") % {"due": format_moment(dossier.due_at)})
    return lines
