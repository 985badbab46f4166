"""The little HTTP the plugins speak to their gateways: JSON posted, JSON answered, with a timeout."""

import json
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings

from motcua.payments.gateways import GatewayError


def timeout() -> float:
    return float(getattr(settings, "MOTCUA_PAYMENT_TIMEOUT_SECONDS", 10))


def post_json(url: str, payload: dict[str, Any]) -> dict[str, Any]:
    """POST ``payload`` as JSON to ``url`` and read the JSON answer; GatewayError when the gateway
    cannot be reached or answers something else than a JSON object."""
    request = urllib.request.Request(  # noqa: S310  (the URL comes from the settings, http or https)
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout()) as response:  # noqa: S310
            body = response.read()
    except urllib.error.HTTPError as exc:
        raise GatewayError(f"{url} answered HTTP {exc.code}") from None
    except (OSError, ValueError) as exc:
        raise GatewayError(f"{url} could not be reached: {exc}") from None
    try:
        answer = json.loads(body)
    except ValueError:
        raise GatewayError(f"{url} did not answer JSON") from None
    if not isinstance(answer, dict):
        raise GatewayError(f"{url} did not answer a JSON object")
    return answer
