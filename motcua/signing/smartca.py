"""A client of a remote-signing service in the shape of VNPT SmartCA (INTEGRATIONS.md §3).

- ``POST /v1/credentials/get_certificate`` {sp_id, sp_password, user_id, serial_number,
  transaction_id} → ``user_certificates`` [{cert_id, cert_status, serial_number, cert_subject,
  cert_valid_from, cert_valid_to, cert_data, chain_data}];
- ``POST /v1/signatures/sign`` {sp_id, sp_password, user_id, transaction_id, transaction_desc,
  serial_number, sign_files: [{data_to_be_signed (hex digest), doc_id, file_type "pdf", sign_type
  "hash"}]} → {transaction_id, tran_code, expired_in}; the signer confirms on their phone;
- ``POST /v1/signatures/sign/{transaction_id}/status`` → ``signatures[0].signature_value`` once
  confirmed.

Every answer is ``{"code": 0, "message": "...", "content": {...}}``; a non-zero code is an error with
its message. The status answer's ``tran_status`` (``pending``, ``confirmed``, ``rejected``,
``expired``) is our choice: the public sources show only that ``signature_value`` appears once the
signer confirms (docs/decisions/0009-signed-documents.md). Dates are ``yyyyMMddHHmmss`` in Vietnam's
time; certificates and signatures base64.
"""

import base64
import datetime
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DATE_FORMAT = "%Y%m%d%H%M%S"
TIMEOUT = 10

PENDING = "pending"
CONFIRMED = "confirmed"
REJECTED = "rejected"
EXPIRED = "expired"


class SmartCAError(Exception):
    """The service refused or could not be reached; ``str()`` says why."""


@dataclass(frozen=True)
class RemoteCertificate:
    cert_id: str
    serial_number: str
    status: str
    subject: str
    valid_from: datetime.datetime
    valid_to: datetime.datetime
    certificate: bytes  # DER
    chain: tuple[bytes, ...]  # DER, issuer first


@dataclass(frozen=True)
class Started:
    transaction_id: str
    tran_code: str
    expires_in: int  # seconds


@dataclass(frozen=True)
class Status:
    state: str  # PENDING, CONFIRMED, REJECTED, EXPIRED
    signature_value: bytes | None = None


def format_date(value: datetime.datetime) -> str:
    return value.astimezone(VN_TZ).strftime(DATE_FORMAT)


def parse_date(text: str) -> datetime.datetime:
    return datetime.datetime.strptime(text, DATE_FORMAT).replace(tzinfo=VN_TZ)


class Client:
    def __init__(self, base_url: str, sp_id: str, sp_password: str, timeout: float = TIMEOUT):
        self.base_url = base_url.rstrip("/")
        self.sp_id = sp_id
        self.sp_password = sp_password
        self.timeout = timeout

    def _post(self, path: str, body: dict) -> dict:
        data = json.dumps({"sp_id": self.sp_id, "sp_password": self.sp_password, **body}).encode()
        request = urllib.request.Request(  # noqa: S310  (the configured service's http(s) URL)
            self.base_url + path, data=data, method="POST", headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            try:
                answer = json.loads(exc.read().decode("utf-8"))
            except ValueError:
                raise SmartCAError(f"HTTP {exc.code} from the remote-signing service") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmartCAError(f"The remote-signing service cannot be reached: {exc}") from None
        except ValueError:
            raise SmartCAError("The remote-signing service answered something that is not JSON.") from None
        if not isinstance(answer, dict):
            raise SmartCAError("Unexpected answer from the remote-signing service.")
        if answer.get("code") != 0:
            raise SmartCAError(str(answer.get("message") or f"error code {answer.get('code')}"))
        return answer.get("content") or {}

    def get_certificates(
        self, user_id: str, transaction_id: str, serial_number: str = ""
    ) -> list[RemoteCertificate]:
        content = self._post(
            "/v1/credentials/get_certificate",
            {"user_id": user_id, "serial_number": serial_number, "transaction_id": transaction_id},
        )
        found = []
        for item in content.get("user_certificates") or []:
            chain_data = item.get("chain_data") or {}
            chain = [chain_data.get("ca_cert"), chain_data.get("root_cert")]
            found.append(
                RemoteCertificate(
                    cert_id=str(item["cert_id"]),
                    serial_number=str(item["serial_number"]),
                    status=str(item.get("cert_status", "")),
                    subject=str(item.get("cert_subject", "")),
                    valid_from=parse_date(item["cert_valid_from"]),
                    valid_to=parse_date(item["cert_valid_to"]),
                    certificate=base64.b64decode(item["cert_data"]),
                    chain=tuple(base64.b64decode(c) for c in chain if c),
                )
            )
        return found

    def sign_hash(
        self,
        *,
        user_id: str,
        serial_number: str,
        transaction_id: str,
        description: str,
        digest: bytes,
        doc_id: str,
    ) -> Started:
        content = self._post(
            "/v1/signatures/sign",
            {
                "user_id": user_id,
                "serial_number": serial_number,
                "transaction_id": transaction_id,
                "transaction_desc": description,
                "sign_files": [
                    {
                        "data_to_be_signed": digest.hex(),
                        "doc_id": doc_id,
                        "file_type": "pdf",
                        "sign_type": "hash",
                    }
                ],
            },
        )
        return Started(
            transaction_id=str(content.get("transaction_id") or transaction_id),
            tran_code=str(content.get("tran_code", "")),
            expires_in=int(content.get("expired_in") or 300),
        )

    def status(self, transaction_id: str) -> Status:
        content = self._post(f"/v1/signatures/sign/{transaction_id}/status", {})
        signatures = content.get("signatures") or []
        value = signatures[0].get("signature_value") if signatures else None
        if value:
            return Status(CONFIRMED, base64.b64decode(value))
        state = str(content.get("tran_status") or PENDING)
        return Status(state if state in (PENDING, REJECTED, EXPIRED) else PENDING)
