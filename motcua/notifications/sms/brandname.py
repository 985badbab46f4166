"""Two SMS gateway shapes (INTEGRATIONS.md §7), each a plugin for MOTCUA_SMS_BACKEND.

Brandname gateway (``BrandnameSender``): ``POST {MOTCUA_SMS_URL}/api/sms/send`` with HTTP Basic
authentication (MOTCUA_SMS_USERNAME, MOTCUA_SMS_PASSWORD) and the JSON body
``{"brandname", "receiver": "84xxxxxxxxx", "content", "request_id"}``; the answer
``{"code", "message", "request_id", "message_id"}``, code ``"00"`` when taken. Codes 01 (receiver
refused), 02 (content refused) and 04 (brandname not registered) are permanent; others (03
authentication, 99 system error), an HTTP error or no answer are tried again.

Provincial LGSP (``LgspSender``): ``POST {MOTCUA_SMS_URL}/SendSms`` with
``{"content", "sender", "receiver", "applicationTitle"}`` and the answer ``{"result": "SUCCESSFUL"}``.
"""

import base64
import json
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings

from motcua.notifications.sms import Sent, Sms, SmsError, SmsSender

SUCCESS = "00"
PERMANENT_CODES = frozenset({"01", "02", "04"})


def _post(url: str, payload: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    request = urllib.request.Request(  # noqa: S310  (the URL comes from the settings, http or https)
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8", "Accept": "application/json", **headers},
        method="POST",
    )
    timeout = float(getattr(settings, "MOTCUA_SMS_TIMEOUT_SECONDS", 10))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read()
    except urllib.error.HTTPError as exc:
        raise SmsError(f"{url} answered HTTP {exc.code}", code=str(exc.code)) from None
    except (OSError, ValueError) as exc:
        raise SmsError(f"{url} could not be reached: {exc}") from None
    try:
        answer = json.loads(body)
    except ValueError:
        raise SmsError(f"{url} did not answer JSON") from None
    if not isinstance(answer, dict):
        raise SmsError(f"{url} did not answer a JSON object")
    return answer


class BrandnameSender(SmsSender):
    def __init__(self) -> None:
        self.url = getattr(settings, "MOTCUA_SMS_URL", "").rstrip("/")
        self.brandname = getattr(settings, "MOTCUA_SMS_BRANDNAME", "")
        self.username = getattr(settings, "MOTCUA_SMS_USERNAME", "")
        self.password = getattr(settings, "MOTCUA_SMS_PASSWORD", "")

    @property
    def configured(self) -> bool:
        return bool(self.url and self.brandname)

    def send(self, sms: Sms) -> Sent:
        credentials = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        answer = _post(
            self.url + "/api/sms/send",
            {
                "brandname": self.brandname,
                "receiver": sms.receiver,
                "content": sms.content,
                "request_id": sms.request_id,
            },
            {"Authorization": f"Basic {credentials}"},
        )
        code = str(answer.get("code", ""))
        if code != SUCCESS:
            message = str(answer.get("message", "")) or "refused"
            raise SmsError(f"code {code}: {message}", code=code, permanent=code in PERMANENT_CODES)
        return Sent(code=code, reference=str(answer.get("message_id", "")))


class LgspSender(SmsSender):
    def __init__(self) -> None:
        self.url = getattr(settings, "MOTCUA_SMS_URL", "").rstrip("/")
        self.sender = getattr(settings, "MOTCUA_SMS_BRANDNAME", "")
        self.title = getattr(settings, "MOTCUA_SITE_NAME", "")

    @property
    def configured(self) -> bool:
        return bool(self.url)

    def send(self, sms: Sms) -> Sent:
        answer = _post(
            self.url + "/SendSms",
            {
                "content": sms.content,
                "sender": self.sender,
                "receiver": sms.receiver,
                "applicationTitle": self.title,
            },
            {},
        )
        result = str(answer.get("result", ""))
        if result != "SUCCESSFUL":
            raise SmsError(f"result {result or '?'}: {answer.get('message', '')}", code=result)
        return Sent(code=result, reference=str(answer.get("id", "")))
