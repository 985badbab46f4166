"""Emails that read as text wherever they are shown.

Python's email package sends a UTF-8 body as base64 when a line is longer than 78 octets, which a
Vietnamese sentence soon is (most letters take 2–3 octets): the demo console then shows base64.
RFC 5322 allows lines of 998 octets, so such a body can go as 8-bit text (SMTP's 8BITMIME, which
current servers offer); a body with a longer line keeps Python's safe encoding.
"""

from email.message import EmailMessage as MIMEMessage
from email.policy import Policy
from email.policy import default as default_policy

from django.core.mail import EmailMessage

# RFC 5322 §2.1.1: at most 998 characters on a line, without the CRLF.
MAX_LINE_OCTETS = 998


class TextEmail(EmailMessage):
    """A plain-text email whose UTF-8 body travels as text (Content-Transfer-Encoding: 8bit);
    the headers are encoded as usual (RFC 2047)."""

    def message(self, *, policy: Policy = default_policy) -> MIMEMessage:
        msg = super().message(policy=policy)
        body = str(self.body or "")
        lines = body.encode("utf-8").splitlines()
        if not msg.is_multipart() and max(map(len, lines), default=0) <= MAX_LINE_OCTETS:
            msg.set_content(body, subtype=self.content_subtype, charset="utf-8", cte="8bit")
        return msg
