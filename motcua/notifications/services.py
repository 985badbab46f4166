"""Writes of the notifications app: the messages an event calls for, their sending and retries, the
inbox's "read" marks, the administrators' templates.

How a message goes out:

1. A dossier event reaches ``receivers.on_dossier_changed`` (from the outbox relay, in its
   transaction; never in the transaction of the officer's or applicant's action), which queues one
   ``tasks.dispatch`` per event (``events_for``).
2. ``dispatch`` renders the event's template for each recipient (in their language) and writes one
   ``Message`` per channel and recipient: email and SMS queued, in-app sent at once (it is the inbox
   line). ``Message.key`` makes each once, whatever repeats.
3. After the commit each queued message is a ``tasks.send_message`` task. A failure counts an attempt
   and sets the next one after MOTCUA_NOTIFY_RETRY_MINUTES (1, 5, 30, 120, 720 minutes), queued
   with ``run_after`` where the task backend can defer, else found by ``send_due`` (``manage.py
   send_notifications``); after the last the message is given up. A refusal that sending again cannot
   change (an SMS gateway's "invalid number") gives it up at once.

"Result ready" and signing. The applicant is told the result is ready when it can be taken: where
signing is configured, only once every current result is signed (the rule the one-stop unit's
"return result" obeys, rules.RESULT_SIGNED). The choice: signing publishes a dossier event of its own,
``result_signed`` (motcua.dossiers.events.RESULT_SIGNED), in the transaction that stores a signed
result, whichever way it was signed (at once, after a certificate was added, after the remote signer
confirmed). Both that event and the approval's ask ``dispatch`` for "result ready", which writes it
only if ``result_can_be_taken`` and keys it by the action that made the dossier ready, so it goes out
once, whichever comes first. Polling or waiting in a task instead would hold a worker or guess a
delay; the event costs signing one line and keeps notifications ignorant of how signing works.
"""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation

from motcua.accounts.constants import Role
from motcua.accounts.models import User
from motcua.core import audit, clock
from motcua.dossiers import documents, events, rules
from motcua.dossiers.constants import OPEN_STATUSES, ActionType, Status
from motcua.dossiers.models import Action, Dossier
from motcua.notifications import defaults, phones, rendering, sms
from motcua.notifications.constants import OFFICER_EVENTS, Channel, DeliveryStatus, Event
from motcua.notifications.mail import TextEmail
from motcua.notifications.models import LanguagePreference, Message, Template

logger = logging.getLogger(__name__)

TEXT_FIELDS = ["email_subject", "email_body", "sms_text", "inapp_title", "inapp_text"]

# -- templates ----------------------------------------------------------------------------------------


def template(event: str, language: str) -> Template:
    """The template of ``event`` in ``language``, made from the defaults the first time."""
    row, _created = Template.objects.get_or_create(
        event=event, language=language, defaults=defaults.default_texts(event, language)
    )
    return row


def ensure_templates() -> int:
    """Make the missing templates (every event in every language) from the defaults, so that the
    admin lists them all; how many were made. Run after ``migrate``."""
    made = 0
    for event in Event.values:
        for language, _name in settings.LANGUAGES:
            if not Template.objects.filter(event=event, language=language).exists():
                template(event, language)
                made += 1
    return made


def save_template(row: Template, *, actor: User | None) -> Template:
    """An administrator's edit: the next message of the event uses it."""
    row.updated_at = clock.now()
    row.updated_by = actor if actor is not None and actor.is_authenticated else None
    row.save()
    audit.record("notifications.template_changed", actor=actor, obj=row, summary=str(row))
    return row


def reset_template(row: Template, *, actor: User | None) -> Template:
    """Back to the default texts."""
    for name, value in defaults.default_texts(row.event, row.language).items():
        setattr(row, name, value)
    return save_template(row, actor=actor)


# -- which events, for whom -----------------------------------------------------------------------------

APPLICANT_EVENTS = {
    ActionType.SUBMIT: Event.SUBMITTED,
    ActionType.RECEIVE: Event.RECEIVED,
    ActionType.REQUEST_SUPPLEMENT: Event.SUPPLEMENT_REQUESTED,
    ActionType.REFUSE: Event.REFUSED,
    ActionType.REQUEST_PAYMENT: Event.PAYMENT_REQUESTED,
    ActionType.RECORD_PAYMENT: Event.PAID,
    ActionType.APOLOGIZE: Event.APOLOGY,
    ActionType.RETURN_RESULT: Event.RETURNED,
    ActionType.STOP: Event.STOPPED,
    ActionType.WITHDRAW: Event.WITHDRAWN,
}
OFFICER_EVENTS_BY_ACTION = {
    ActionType.SUBMIT: Event.OFFICER_SUBMITTED,
    ActionType.RECEIVE: Event.OFFICER_ASSIGNED,
    ActionType.FORWARD: Event.OFFICER_ASSIGNED,
    ActionType.SEND_BACK: Event.OFFICER_ASSIGNED,
    ActionType.SUPPLEMENT: Event.OFFICER_SUPPLEMENTED,
    ActionType.RECORD_PAYMENT: Event.OFFICER_PAID,
}
# The event signing publishes when a result's signature completes.
RESULT_SIGNED = events.RESULT_SIGNED
READY_ACTIONS = {ActionType.APPROVE, ActionType.MARK_READY}


def events_for(action: str, status: int | None) -> list[str]:
    """The events a dossier event calls for. "Result ready" is asked when the dossier became ready
    and again when a result's signature completes; ``dispatch`` sends it once the result can be
    taken (``result_can_be_taken``)."""
    found: list[str] = []
    if action == RESULT_SIGNED or (action in READY_ACTIONS and status == Status.READY):
        found.append(Event.RESULT_READY)
    if action in APPLICANT_EVENTS:
        found.append(APPLICANT_EVENTS[ActionType(action)])
    if action in OFFICER_EVENTS_BY_ACTION:
        found.append(OFFICER_EVENTS_BY_ACTION[ActionType(action)])
    return found


def result_can_be_taken(dossier: Dossier) -> bool:
    """Ready (status 9), and where signing is configured every current result signed: the moment
    the one-stop unit may return it (rules.RESULT_SIGNED)."""
    if dossier.status != Status.READY:
        return False
    return not documents.signed_results_required() or rules.Facts(dossier, None).result_signed


def language_of(user_id: int | None) -> str:
    if user_id is not None:
        preference = LanguagePreference.objects.filter(user_id=user_id).first()
        if preference is not None:
            return preference.language
    return settings.LANGUAGE_CODE


def _members(agency_id: int, roles: Iterable[str]) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, memberships__agency_id=agency_id, memberships__role__in=list(roles)
        ).distinct()
    )


def holders(dossier: Dossier) -> list[User]:
    """Who has the dossier in hand: the officer holding it, or else the holding unit's officers of
    the current step's role (reception before a processing step has it)."""
    if dossier.holder_user_id is not None:
        return [dossier.holder_user] if dossier.holder_user.is_active else []
    step = dossier.current_step
    return _members(dossier.holder_agency_id, [step.role if step is not None else Role.RECEPTION])


def officers_for(dossier: Dossier, event: str, action: Action | None) -> list[User]:
    """The officers an in-app message of ``event`` goes to, never the one who acted."""
    if event == Event.OFFICER_SUBMITTED:
        found = _members(dossier.receiving_agency_id, [Role.RECEPTION])
    elif event in OFFICER_EVENTS:
        found = holders(dossier)
    else:
        found = []
    actor_id = action.actor_id if action is not None else None
    return [user for user in found if user.pk != actor_id]


# -- writing the messages -------------------------------------------------------------------------------


def _dossier(dossier_id: int) -> Dossier | None:
    return (
        Dossier.objects.select_related(
            "procedure_version__procedure", "receiving_agency", "holder_agency", "holder_user", "current_step"
        )
        .filter(pk=dossier_id)
        .first()
    )


def _action(dossier: Dossier, event: str, action: str, action_id: int | None) -> Action | None:
    """The history line the event is about: the one the event names, else the latest of its type (or,
    for "result ready", the latest that made the dossier ready)."""
    actions = dossier.actions.order_by("-at", "-id")
    if event == Event.RESULT_READY:
        return actions.filter(status_after=Status.READY).exclude(status_before=Status.READY).first()
    if action_id:
        found = actions.filter(pk=action_id).first()
        if found is not None:
            return found
    return actions.filter(type=action).first() if action in ActionType.values else None


def _rendered(event: str, language: str, context: dict[str, str]) -> rendering.Rendered:
    row = template(event, language)
    stored = {name: getattr(row, name) for name in TEXT_FIELDS}
    return rendering.render_texts(
        stored, defaults.default_texts(event, language), context, label=f"{event}/{language}"
    )


def _write(
    *,
    key: str,
    dossier: Dossier | None,
    event: str,
    channel: str,
    recipient: str,
    user: User | None,
    language: str,
    subject: str,
    body: str,
    from_default: bool,
    now: datetime.datetime,
) -> Message | None:
    """Write a message once (None if written before)."""
    inapp = channel == Channel.INAPP
    message, created = Message.objects.get_or_create(
        key=key[:200],
        defaults={
            "dossier": dossier,
            "event": event,
            "channel": channel,
            "recipient": recipient[:255],
            "user": user,
            "language": language,
            "subject": subject[:255],
            "body": body,
            "from_default": from_default,
            "status": DeliveryStatus.SENT if inapp else DeliveryStatus.QUEUED,
            "attempts": 1 if inapp else 0,
            "sent_at": now if inapp else None,
            "created_at": now,
            "updated_at": now,
        },
    )
    return message if created else None


def compose(
    dossier: Dossier, event: str, *, action: Action | None = None, occasion: str = "", now=None
) -> list[Message]:
    """Write the messages of ``event`` about ``dossier``; returns those written now. ``occasion``
    tells repeated events apart in the keys (the action's id by default)."""
    now = now or clock.now()
    occasion = occasion or str(action.pk if action is not None else dossier.pk)
    written: list[Message] = []

    def write(**kwargs) -> None:
        message = _write(dossier=dossier, event=event, now=now, **kwargs)
        if message is not None:
            written.append(message)

    if event in OFFICER_EVENTS:
        for officer in officers_for(dossier, event, action):
            language = language_of(officer.pk)
            with translation.override(language):
                context = rendering.fields(dossier, event, officer=True, action=action)
                rendered = _rendered(event, language, context)
            texts = rendered.texts
            if texts["inapp_title"] or texts["inapp_text"]:
                write(
                    key=f"{event}:{occasion}:inapp:{officer.pk}",
                    channel=Channel.INAPP,
                    recipient=officer.username,
                    user=officer,
                    language=language,
                    subject=texts["inapp_title"],
                    body=texts["inapp_text"],
                    from_default=rendered.from_default,
                )
        return written

    language = language_of(dossier.applicant_id)
    with translation.override(language):
        context = rendering.fields(dossier, event, action=action)
        rendered = _rendered(event, language, context)
    texts = rendered.texts
    common = {"language": language, "from_default": rendered.from_default}
    applicant = dossier.applicant if dossier.applicant_id else None
    if dossier.applicant_email and texts["email_subject"] and texts["email_body"]:
        write(
            key=f"{event}:{occasion}:email:{dossier.applicant_email}",
            channel=Channel.EMAIL,
            recipient=dossier.applicant_email,
            user=applicant,
            subject=texts["email_subject"],
            body=texts["email_body"] + "\n",
            **common,
        )
    phone = phones.normalise(dossier.applicant_phone)
    if phone and texts["sms_text"] and sms.sender() is not None:
        write(
            key=f"{event}:{occasion}:sms:{phone}",
            channel=Channel.SMS,
            recipient=phone,
            user=applicant,
            subject="",
            body=sms.prepare(texts["sms_text"]),
            **common,
        )
    if applicant is not None and (texts["inapp_title"] or texts["inapp_text"]):
        write(
            key=f"{event}:{occasion}:inapp:{applicant.pk}",
            channel=Channel.INAPP,
            recipient=applicant.username,
            user=applicant,
            subject=texts["inapp_title"],
            body=texts["inapp_text"],
            **common,
        )
    return written


def dispatch(dossier_id: int, event: str, *, action: str = "", action_id: int | None = None) -> list[int]:
    """Write the messages of one event (the task ``tasks.dispatch``) and queue the email and SMS ones
    after the commit; their ids."""
    from motcua.notifications.tasks import send_message

    with transaction.atomic():
        dossier = _dossier(dossier_id)
        if dossier is None:
            return []
        line = _action(dossier, event, action, action_id)
        occasion = ""
        if event == Event.RESULT_READY:
            if line is None or not result_can_be_taken(dossier):
                return []
            occasion = str(line.pk)
        messages = compose(dossier, event, action=line, occasion=occasion)
        queued = [m.pk for m in messages if m.status == DeliveryStatus.QUEUED]
        for pk in queued:
            transaction.on_commit(lambda pk=pk: send_message.enqueue(pk))
    return [m.pk for m in messages]


# -- sending ----------------------------------------------------------------------------------------------


def retry_waits() -> list[datetime.timedelta]:
    minutes = getattr(settings, "MOTCUA_NOTIFY_RETRY_MINUTES", [1, 5, 30, 120, 720])
    return [datetime.timedelta(minutes=int(m)) for m in minutes]


def max_attempts() -> int:
    return len(retry_waits()) + 1


def request_id(message: Message) -> str:
    """The id an SMS gateway gets with the message: the same at every attempt (a gateway drops a
    repeat), never the same for two messages."""
    return f"motcua-{message.pk}-{message.created_at:%y%m%d%H%M%S%f}"


def _deliver(message: Message) -> str:
    """Send ``message`` on its channel; the provider's reference. Raises on failure."""
    if message.channel == Channel.EMAIL:
        TextEmail(message.subject, message.body, None, [message.recipient]).send()
        return ""
    if message.channel == Channel.SMS:
        plugin = sms.sender()
        if plugin is None:
            raise sms.SmsError("SMS is not configured (MOTCUA_SMS_BACKEND, MOTCUA_SMS_URL)")
        sent = plugin.send(
            sms.Sms(receiver=message.recipient, content=message.body, request_id=request_id(message))
        )
        return sent.reference
    return ""


def _schedule(message: Message) -> bool:
    """Queue the next attempt at ``next_attempt_at`` where the task backend can defer."""
    from motcua.notifications.tasks import send_message

    if not send_message.get_backend().supports_defer or message.next_attempt_at is None:
        return False
    when, pk = message.next_attempt_at, message.pk
    transaction.on_commit(lambda: send_message.using(run_after=when).enqueue(pk))
    return True


def send(message_id: int, *, now: datetime.datetime | None = None) -> str:
    """One attempt at sending a queued message, or a failed one whose next attempt is due; returns
    its status. A message already sent, given up or not yet due is left as it is."""
    now = now or clock.now()
    with transaction.atomic():
        row = Message.objects.select_for_update().filter(pk=message_id).first()
        if row is None:
            return ""
        due = row.status == DeliveryStatus.QUEUED or (
            row.status == DeliveryStatus.FAILED
            and (row.next_attempt_at is None or row.next_attempt_at <= now)
        )
        if not due:
            return row.status
        row.attempts += 1
        row.updated_at = now
        try:
            reference = _deliver(row)
        except Exception as exc:  # whatever the channel raises: the message waits for its next attempt
            permanent = isinstance(exc, sms.SmsError) and exc.permanent
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            waits = retry_waits()
            if permanent or row.attempts > len(waits):
                row.status, row.next_attempt_at = DeliveryStatus.GIVEN_UP, None
                logger.warning("message %s given up after %s attempts: %s", row.pk, row.attempts, exc)
            else:
                row.status = DeliveryStatus.FAILED
                row.next_attempt_at = now + waits[row.attempts - 1]
                logger.info(
                    "message %s failed (attempt %s), next at %s: %s",
                    row.pk,
                    row.attempts,
                    row.next_attempt_at,
                    exc,
                )
            row.save()
            if row.status == DeliveryStatus.FAILED:
                _schedule(row)
            return row.status
        row.status, row.sent_at, row.next_attempt_at = DeliveryStatus.SENT, now, None
        row.provider_reference = reference[:100]
        row.save()
        audit.record(
            f"notification.{row.channel}_sent",
            obj=row.dossier,
            summary=(row.subject or row.body)[:400],
            message=row.pk,
            event=row.event,
        )
        return row.status


def send_due(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Send the queued messages and the failed ones whose next attempt is due (``manage.py
    send_notifications``; what the deferred tasks do where the task backend cannot defer); how many
    were tried."""
    now = now or clock.now()
    ids = list(
        Message.objects.filter(
            Q(status=DeliveryStatus.QUEUED) | Q(status=DeliveryStatus.FAILED, next_attempt_at__lte=now)
        )
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        send(pk, now=now)
    return len(ids)


# -- officers: dossiers about to be overdue -----------------------------------------------------------------


def notify_due_soon(*, now: datetime.datetime | None = None, hours: int | None = None) -> int:
    """An in-app message to whoever holds each open dossier due within ``hours``
    (MOTCUA_NOTIFY_DUE_SOON_HOURS), once per appointment; how many messages were written."""
    now = now or clock.now()
    hours = hours if hours is not None else int(getattr(settings, "MOTCUA_NOTIFY_DUE_SOON_HOURS", 24))
    soon = Dossier.objects.filter(
        status__in=OPEN_STATUSES, due_at__gt=now, due_at__lte=now + datetime.timedelta(hours=hours)
    ).values_list("pk", flat=True)
    written = 0
    for pk in soon.iterator():
        dossier = _dossier(pk)
        if dossier is None or dossier.due_at is None:
            continue
        with transaction.atomic():
            occasion = f"{dossier.pk}@{dossier.due_at:%Y%m%d%H%M}"
            written += len(compose(dossier, Event.OFFICER_DUE_SOON, occasion=occasion, now=now))
    return written


# -- the inbox ----------------------------------------------------------------------------------------------


def mark_read(user: User, ids: Iterable[int] | None = None, *, now: datetime.datetime | None = None) -> int:
    """Mark ``user``'s in-app messages read (all of them without ``ids``); how many changed."""
    messages = Message.objects.filter(user=user, channel=Channel.INAPP, read_at__isnull=True)
    if ids is not None:
        messages = messages.filter(pk__in=list(ids))
    return messages.update(read_at=now or clock.now())
