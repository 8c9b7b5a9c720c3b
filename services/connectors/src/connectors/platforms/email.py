"""Email through Mailgun inbound routes: signature, message mapping and RFC 5322 threading.

Reference: PLATFORMS.md section 5. Mailgun signs `timestamp + token` (hex HMAC-SHA256, webhook signing key);
stale timestamps and reused tokens are refused by the route. A thread is named after its root message: the
first id in `References`, else `In-Reply-To`, else the message's own `Message-ID`. Replies carry
`In-Reply-To: <parent>` and `References: <parent's references> <parent>` so the citizen's mail client threads
them, and the citizen's answer comes back into the same conversation. The subject is the `subject` field, else
the `Subject` in `message-headers`; routes that forward the raw message (`body-mime`) are read with the standard
library's `email` package (`email_mime.py`) for headers, text and attachments.
"""

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from civic_contracts import Attachment, Author, Channel, InboundMessage, MessageKind

from connectors.formdata import Form
from connectors.platforms import PayloadError
from connectors.platforms.email_mime import read_mime

_MSG_ID = re.compile(r"<([^<>\s]+)>")


def sign(timestamp: str, token: str, signing_key: str) -> str:
    return hmac.new(signing_key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()


def signature_valid(timestamp: str | None, token: str | None, signature: str | None, signing_key: str) -> bool:
    if not timestamp or not token or not signature:
        return False
    return hmac.compare_digest(sign(timestamp, token, signing_key).encode(), signature.strip().lower().encode())


def fresh(timestamp: str, now: datetime, max_age_seconds: int) -> bool:
    """The signature was made within `max_age_seconds` of now (either way: clocks drift)."""
    try:
        return abs(now.timestamp() - float(timestamp)) <= max_age_seconds
    except ValueError:
        return False


def message_ids(value: str | None) -> list[str]:
    """Message ids in a header value (`<a@b> <c@d>`, folded or with comments), without angle brackets."""
    return _MSG_ID.findall(value or "")


@dataclass(frozen=True)
class EmailHeaders:
    """What a reply needs to know about the message it answers."""

    message_id: str
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    subject: str
    sender: str
    mailbox: str

    def thread_root(self) -> str:
        return (self.references or self.in_reply_to or (self.message_id,))[0]


def reply_headers(parent: EmailHeaders, subject: str | None = None) -> dict[str, str]:
    """`In-Reply-To`, `References` and `Subject` of a reply to `parent` (RFC 5322 section 3.6.4)."""
    chain = list(parent.references) or (list(parent.in_reply_to) if len(parent.in_reply_to) == 1 else [])
    chain.append(parent.message_id)
    original = subject or parent.subject or ""
    if not re.match(r"^\s*re:", original, re.IGNORECASE):
        original = f"Re: {original}".strip()
    return {
        "In-Reply-To": f"<{parent.message_id}>",
        "References": " ".join(f"<{i}>" for i in chain),
        "Subject": original,
    }


def _headers(form: Form) -> dict[str, str]:
    """MIME headers of the message (first value per name, lower-cased names)."""
    found: dict[str, str] = {}
    raw = form.first("message-headers")
    if raw:
        try:
            pairs = json.loads(raw)
        except ValueError as exc:
            raise PayloadError(f"message-headers is not JSON: {exc}") from exc
        if not isinstance(pairs, list):
            raise PayloadError("message-headers is not a list of [name, value] pairs")
        for pair in pairs:
            if isinstance(pair, list) and len(pair) == 2:
                found.setdefault(str(pair[0]).lower(), str(pair[1]))
    for name in ("message-id", "in-reply-to", "references", "date"):
        for field_name, values in form.fields.items():
            if field_name.lower() == name and values:
                found.setdefault(name, values[0])
    return found


def _sent_at(date: str | None, timestamp: str | None, now: datetime) -> datetime:
    try:
        parsed = parsedate_to_datetime(date) if date else None
    except (TypeError, ValueError):
        parsed = None
    if parsed is not None and parsed.tzinfo is not None:
        return parsed.astimezone(UTC)
    try:
        return datetime.fromtimestamp(float(timestamp), tz=UTC) if timestamp else now
    except ValueError:
        return now


def parse(form: Form, *, raw: str, now: datetime | None = None) -> tuple[InboundMessage, EmailHeaders]:
    """The citizen's email in a verified Mailgun delivery, and the headers a reply will need."""
    now = now or datetime.now(UTC)
    headers = _headers(form)
    mime = read_mime(form.first("body-mime")) if form.first("body-mime") else None
    for header, value in (mime.headers if mime else {}).items():
        headers.setdefault(header, value)
    recipients = [a.lower() for _, a in getaddresses([form.first("recipient") or headers.get("to") or ""]) if a]
    name, sender = parseaddr(form.first("from") or headers.get("from") or form.first("sender") or "")
    if not recipients or not sender:
        raise PayloadError("email without a recipient or a sender address")
    mailbox, sender = recipients[0], sender.lower()
    subject = (form.first("subject") or headers.get("subject") or "").strip()
    body = (form.first("stripped-text") or "").strip() or (form.first("body-plain") or "").strip() or \
        (mime.text if mime else "")
    own = message_ids(headers.get("message-id"))
    if own:
        message_id = own[0]
    else:  # RFC 5322 only says SHOULD: name it after its content so a redelivery gets the same id
        basis = "\n".join((sender, mailbox, subject, headers.get("date", ""), body))
        message_id = f"{hashlib.sha256(basis.encode()).hexdigest()[:32]}@civic-inbox.invalid"
    info = EmailHeaders(
        message_id=message_id,
        in_reply_to=tuple(message_ids(headers.get("in-reply-to"))),
        references=tuple(message_ids(headers.get("references"))),
        subject=subject,
        sender=sender,
        mailbox=mailbox,
    )
    parent = info.in_reply_to[-1] if info.in_reply_to else (info.references[-1] if info.references else None)
    message = InboundMessage(
        id=f"email:{mailbox}:{message_id}",
        channel=Channel.EMAIL,
        account_id=mailbox,
        platform_message_id=message_id,
        conversation_key=f"email:{mailbox}:{info.thread_root()}",
        kind=MessageKind.EMAIL,
        author=Author(platform_id=sender, name=name or None),
        text=f"{subject}\n\n{body}".strip() if subject else body,
        sent_at=_sent_at(headers.get("date"), form.first("timestamp"), now),
        received_at=now,
        in_reply_to=parent,
        attachments=[*(Attachment(type=f.content_type, name=f.filename) for f in form.files),
                     *(mime.attachments if mime else [])],
        raw_payload=raw,
    )
    return message, info
