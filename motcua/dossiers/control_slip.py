"""The process control slip (phiếu kiểm soát quá trình giải quyết hồ sơ, form 06 of Circular 03/2025
Appendix I): every hand-over of a received dossier, read from its history.

Nothing is stored: the slip changes as the dossier moves, so it is rebuilt from the actions each time it
is printed. :func:`handovers` reads the database; :func:`build_handovers` is the pure rule, given the
dossier's actions (oldest first), its steps and the names of the people an action names.

One row per hand-over, as the paper form has it ("1. Giao: … 2. Nhận: …"):

- reception: the one-stop unit gives the dossier to the first processing step;
- forward and approve: a step gives it to the next; send back: to the previous one;
- a consultation (xin ý kiến) goes to the consulted unit, and its answer comes back;
- a supplement request during processing goes to the applicant, the supplement comes back;
- result ready: the last step gives the dossier back to the one-stop unit;
- return: the one-stop unit gives the result to the applicant.

The result column says whether the giver handed over in time: against its step's deadline, a
consultation's deadline, or for the return the appointment given at reception.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from motcua.accounts.constants import Role
from motcua.accounts.models import User
from motcua.dossiers.constants import ActionType, Status, StepKind
from motcua.dossiers.models import Action, Dossier, Step

# The words of the form's result column (trước hạn / đúng hạn / quá hạn).
EARLY = "Trước hạn"
ON_TIME = "Đúng hạn"
LATE = "Quá hạn"

ONE_STOP_UNIT = "Bộ phận Một cửa – {agency}"
APPLICANT_UNIT = "Người nộp hồ sơ"


@dataclass(frozen=True)
class Handover:
    """One row of the slip."""

    at: datetime.datetime
    giver_unit: str
    receiver_unit: str
    giver: str = ""
    receiver: str = ""
    outcome: str = ""  # EARLY, ON_TIME, LATE, or "" where no deadline applies
    note: str = ""


def timeliness(done_at: datetime.datetime | None, due_at: datetime.datetime | None) -> str:
    """Before the deadline's day: early; later on that day up to the deadline: on time; after: late.

    Days are Vietnam's days (the deadline is an appointment on a day). No deadline: "".
    """
    if done_at is None or due_at is None:
        return ""
    if done_at > due_at:
        return LATE
    if timezone.localdate(done_at) < timezone.localdate(due_at):
        return EARLY
    return ON_TIME


def handovers(dossier: Dossier) -> list[Handover]:
    """The hand-overs of ``dossier`` so far, oldest first (none before reception)."""
    actions = list(dossier.actions.select_related("actor", "step__agency").order_by("at", "id"))
    steps = list(dossier.steps.select_related("agency", "assignee").order_by("order", "id"))
    named = {a.data.get("to_user") for a in actions if isinstance(a.data.get("to_user"), int)}
    people = {u.pk: _person(u) for u in User.objects.filter(pk__in=named)} if named else {}
    return build_handovers(dossier, actions, steps, people)


def build_handovers(
    dossier: Dossier, actions: Iterable[Action], steps: Iterable[Step], people: dict[int, str]
) -> list[Handover]:
    """The rows, from ``actions`` (oldest first), ``steps`` and ``people`` (user id → name)."""
    actions = list(actions)
    process = {s.order: s for s in steps if s.kind == StepKind.PROCESS}
    consultations = {s.pk: s for s in steps if s.kind == StepKind.CONSULTATION}
    one_stop = ONE_STOP_UNIT.format(agency=dossier.receiving_agency.name)
    rows: list[Handover] = []
    holder: Step | None = None  # the step holding the dossier; None: the one-stop unit
    received = False

    def unit(step: Step | None) -> str:
        return one_stop if step is None else _step_unit(step)

    def taken_up_by(index: int, step: Step | None) -> str:
        """Who took the dossier at ``step``: the first officer who acted there afterwards."""
        if step is None:
            return ""
        later = (a for a in actions[index + 1 :] if a.step_id == step.pk and a.actor is not None)
        first = next(later, None)
        return _person(first.actor) if first is not None else ""

    for index, action in enumerate(actions):
        actor = _person(action.actor)
        kind = action.type
        if kind == ActionType.RECEIVE:
            received = True
            # The first step is reception itself when the process starts at the counter.
            reception = (
                action.step if action.step is not None and action.step.role == Role.RECEPTION else None
            )
            target = action.step
            if reception is not None:
                target = next((process[o] for o in sorted(process) if o > reception.order), None)
            holder = target
            if target is None:
                continue
            rows.append(
                Handover(
                    at=action.at,
                    giver_unit=one_stop,
                    receiver_unit=unit(target),
                    giver=actor,
                    receiver=_named(action, people) or taken_up_by(index, target),
                    outcome=timeliness(action.at, reception.due_at) if reception is not None else "",
                    note=action.note,
                )
            )
        elif not received:
            continue
        elif kind == ActionType.MARK_READY or (
            kind == ActionType.APPROVE and action.status_after == Status.READY
        ):
            # The result is ready: it goes to the one-stop unit (approval at the last step, or marked).
            giver = action.step or holder
            rows.append(
                Handover(
                    at=action.at,
                    giver_unit=unit(giver),
                    receiver_unit=one_stop,
                    giver=actor,
                    outcome=timeliness(action.at, giver.due_at) if giver is not None else "",
                    note=_prefixed("Có kết quả", action.note),
                )
            )
            holder = None
        elif kind in (ActionType.FORWARD, ActionType.APPROVE, ActionType.SEND_BACK):
            target = process.get(action.data.get("to_step"))
            if target is None:
                continue  # approved at the last step: the dossier stays there
            giver = action.step or holder
            sent_back = kind == ActionType.SEND_BACK
            rows.append(
                Handover(
                    at=action.at,
                    giver_unit=unit(giver),
                    receiver_unit=unit(target),
                    giver=actor,
                    receiver=_named(action, people) or taken_up_by(index, target),
                    outcome="" if sent_back or giver is None else timeliness(action.at, giver.due_at),
                    note=_prefixed("Trả lại bước trước", action.note) if sent_back else action.note,
                )
            )
            holder = target
        elif kind == ActionType.CONSULT:
            consulted = consultations.get(action.data.get("consultation"))
            if consulted is None:
                continue
            rows.append(
                Handover(
                    at=action.at,
                    giver_unit=unit(holder),
                    receiver_unit=_step_unit(consulted),
                    giver=actor,
                    receiver=_person(consulted.assignee),
                    note=_prefixed("Xin ý kiến", action.note),
                )
            )
        elif kind == ActionType.REPLY_CONSULTATION:
            consulted = consultations.get(action.data.get("consultation"))
            if consulted is None:
                continue
            rows.append(
                Handover(
                    at=action.at,
                    giver_unit=_step_unit(consulted),
                    receiver_unit=unit(holder),
                    giver=actor,
                    receiver=taken_up_by(index, holder),
                    outcome=timeliness(action.at, consulted.due_at),
                    note=_prefixed("Trả lời xin ý kiến", action.note),
                )
            )
        elif kind == ActionType.REQUEST_SUPPLEMENT:
            items = "; ".join(str(i) for i in action.data.get("items") or [])
            rows.append(
                Handover(
                    at=action.at,
                    giver_unit=unit(holder),
                    receiver_unit=APPLICANT_UNIT,
                    giver=actor,
                    receiver=dossier.applicant_name,
                    note=_prefixed("Yêu cầu bổ sung", items or action.note),
                )
            )
        elif kind == ActionType.SUPPLEMENT:
            rows.append(
                Handover(
                    at=action.at,
                    giver_unit=APPLICANT_UNIT,
                    receiver_unit=unit(holder),
                    giver=dossier.applicant_name,
                    receiver=taken_up_by(index, holder),
                    note=_prefixed("Bổ sung hồ sơ", action.note),
                )
            )
        elif kind == ActionType.RETURN_RESULT:
            appointment = dossier.original_due_at or dossier.due_at
            note = action.note
            if dossier.apologized:
                note = "; ".join(p for p in ("Đã xin lỗi và hẹn lại ngày trả kết quả", note) if p)
            rows.append(
                Handover(
                    at=action.at,
                    giver_unit=one_stop,
                    receiver_unit=APPLICANT_UNIT,
                    giver=actor,
                    receiver=dossier.applicant_name,
                    outcome=timeliness(action.at, appointment),
                    note=_prefixed("Trả kết quả", note),
                )
            )
    return rows


def coordinating_agencies(dossier: Dossier, steps: Iterable[Step]) -> list[str]:
    """Agencies other than the deciding one that took part (steps elsewhere, consultations)."""
    deciding = dossier.deciding_agency_id or dossier.receiving_agency_id
    names: list[str] = []
    for step in steps:
        if step.agency_id not in (deciding, dossier.receiving_agency_id) and step.agency.name not in names:
            names.append(step.agency.name)
    return names


def _step_unit(step: Step) -> str:
    if step.kind == StepKind.CONSULTATION:
        return step.agency.name  # the step's name only repeats it ("Xin ý kiến: <agency>")
    return f"{step.agency.name} ({step.name})"


def _person(user: User | None) -> str:
    if user is None:
        return ""
    return user.full_name or user.username


def _named(action: Action, people: dict[int, str]) -> str:
    to_user = action.data.get("to_user")
    return people.get(to_user, "") if isinstance(to_user, int) else ""


def _prefixed(label: str, text: str) -> str:
    text = (text or "").strip()
    return f"{label}: {text}" if text else label
