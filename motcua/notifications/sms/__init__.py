"""SMS plugins: a small interface, chosen by the setting MOTCUA_SMS_BACKEND (a dotted path to a class,
like Django's EMAIL_BACKEND); blank turns SMS off.

A plugin sends one message (receiver 84xxxxxxxxx, content, our request id, which a gateway uses to
drop a repeated request) and says what the gateway answered, or raises SmsError: ``permanent`` when
sending again cannot help (a number the gateway refuses), so the message is given up at once; otherwise
the message is tried again later (motcua.notifications.services). Plugins never touch the database.

- ``brandname.BrandnameSender``: a brandname gateway's shape {brandname, receiver, content,
  request_id} → result code (INTEGRATIONS.md §7);
- ``brandname.LgspSender``: a provincial LGSP's ``SendSms`` {content, sender, receiver,
  applicationTitle} → ``result: "SUCCESSFUL"``.

``manage.py sms_standin`` runs a local stand-in that speaks both (motcua.notifications.sms.standin).
"""

import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Sms:
    receiver: str  # 84xxxxxxxxx
    content: str
    request_id: str


@dataclass(frozen=True)
class Sent:
    """The gateway took the message: its result code and its own id for it."""

    code: str
    reference: str = ""


class SmsError(Exception):
    """The gateway could not be reached, or refused the message (``code``: its result code)."""

    def __init__(self, message: str, *, code: str = "", permanent: bool = False):
        super().__init__(message)
        self.code = code
        self.permanent = permanent


class SmsSender(ABC):
    """One SMS gateway's protocol."""

    @property
    def configured(self) -> bool:
        """Whether the site has what the gateway needs (its address): without it no SMS is sent."""
        return True

    @abstractmethod
    def send(self, sms: Sms) -> Sent:
        """Send ``sms``; raises SmsError."""


def sender() -> SmsSender | None:
    """The configured SMS plugin, or None when SMS is off."""
    path = getattr(settings, "MOTCUA_SMS_BACKEND", "")
    if not path:
        return None
    plugin = import_string(path)()
    return plugin if plugin.configured else None


def max_chars() -> int:
    return int(getattr(settings, "MOTCUA_SMS_MAX_CHARS", 320))


def unaccented(text: str) -> str:
    """``text`` without Vietnamese diacritics, case kept ("Hồ sơ Đã" → "Ho so Da"): brandname
    messages go as 7-bit text, 160 characters a part instead of 70."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def prepare(text: str) -> str:
    """The content of an SMS: one line, unaccented unless MOTCUA_SMS_UNACCENTED is off, cut to
    MOTCUA_SMS_MAX_CHARS at a word."""
    text = " ".join(text.split())
    if getattr(settings, "MOTCUA_SMS_UNACCENTED", True):
        text = unaccented(text)
    limit = max_chars()
    if len(text) > limit:
        cut = text[: limit - 3]
        if " " in cut[limit // 2 :]:
            cut = cut[: cut.rindex(" ")]
        text = cut.rstrip(" ,.;:") + "..."
    return text
