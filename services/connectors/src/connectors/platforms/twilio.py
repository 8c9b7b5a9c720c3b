"""Twilio Programmable Messaging (SMS and WhatsApp): `X-Twilio-Signature` and inbound message mapping.

Reference: PLATFORMS.md section 4. The signature is checked exactly as the official SDK's
`twilio.request_validator.RequestValidator.validate` does (twilio 9.13.0; tests compare the two): the full
URL Twilio requested, then every parameter name (sorted) followed by each of its distinct values (sorted),
HMAC-SHA1 keyed by the Auth Token (or HMAC-SHA256 when `X-Twilio-Webhooks-Signature-Settings` says so),
base64; tried with and without the default port. JSON bodies carry `bodySHA256` in the URL instead.
"""

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

from civic_contracts import Attachment, Author, Channel, InboundMessage, MessageKind

from connectors.platforms import PayloadError

SIGNATURE_HEADER = "X-Twilio-Signature"
SETTINGS_HEADER = "X-Twilio-Webhooks-Signature-Settings"
_HASHES = {"HMAC_SHA1": hashlib.sha1, "HMAC_SHA256": hashlib.sha256}
WHATSAPP = "whatsapp:"

Params = Mapping[str, Sequence[str]]


def algorithm_of(settings_header: str | None) -> str:
    """The algorithm named in `X-Twilio-Webhooks-Signature-Settings` (absent: the legacy HMAC_SHA1)."""
    for part in (settings_header or "").split(","):
        name, separator, value = part.partition("=")
        if separator and name.strip() == "algorithm" and value.strip():
            return value.strip()
    return "HMAC_SHA1"


def compute_signature(url: str, params: Params, token: str, algorithm: str = "HMAC_SHA1") -> str:
    """The signature Twilio sends for a request to `url` carrying `params` (name -> all its values)."""
    digest = _HASHES[algorithm.upper()]
    text = url
    for name in sorted(set(params)):
        for value in sorted(set(params[name])):
            text += name + value
    return base64.b64encode(hmac.new(token.encode(), text.encode(), digest).digest()).decode().strip()


def _with_port(url: str) -> str:
    parsed = urlparse(url)
    if parsed.port:
        return parsed.geturl()
    port = 443 if parsed.scheme == "https" else 80
    return parsed._replace(netloc=f"{parsed.netloc}:{port}").geturl()


def _without_port(url: str) -> str:
    parsed = urlparse(url)
    if not parsed.port:
        return parsed.geturl()
    return parsed._replace(netloc=parsed.netloc.split(":")[0]).geturl()


def signature_valid(
    url: str, params: Params | None, signature: str | None, token: str, *, json_body: bytes | None = None,
    algorithm: str = "HMAC_SHA1",
) -> bool:
    """True when `signature` is what Twilio would send for this request (form `params`, or a JSON body)."""
    if not signature or algorithm.upper() not in _HASHES:
        return False
    params = params or {}
    body_ok = True
    query = parse_qs(urlparse(url).query)
    if json_body is not None and "bodySHA256" in query:
        body_ok = hmac.compare_digest(hashlib.sha256(json_body).hexdigest(), query["bodySHA256"][0])
        params = {}
    expected = signature.encode()
    candidates = (compute_signature(u, params, token, algorithm) for u in (_without_port(url), _with_port(url)))
    return body_ok and any(hmac.compare_digest(c.encode(), expected) for c in candidates)


def _one(params: Params, name: str) -> str | None:
    values = params.get(name)
    return values[0] if values else None


def conversation_key(channel: Channel, account: str, citizen: str) -> str:
    """One conversation per citizen number and organisation number."""
    return f"{channel.value}:{account}:{citizen}"


def parse(params: Params, *, raw: str, now: datetime | None = None) -> InboundMessage:
    """The message of one verified inbound webhook. WhatsApp is recognised by the `whatsapp:` address prefix;
    account and author ids are bare E.164 numbers. Raises PayloadError when a required field is missing."""
    now = now or datetime.now(UTC)
    sid = _one(params, "MessageSid") or _one(params, "SmsMessageSid") or _one(params, "SmsSid")
    sender, to = _one(params, "From"), _one(params, "To")
    missing = [n for n, v in (("MessageSid", sid), ("From", sender), ("To", to)) if not v]
    if missing:
        raise PayloadError(f"Twilio message without {', '.join(missing)}")
    whatsapp = sender.startswith(WHATSAPP)
    channel = Channel.WHATSAPP if whatsapp else Channel.SMS
    account, citizen = to.removeprefix(WHATSAPP), sender.removeprefix(WHATSAPP)
    try:
        count = int(_one(params, "NumMedia") or 0)
    except ValueError as exc:
        raise PayloadError(f"NumMedia is not a number: {_one(params, 'NumMedia')!r}") from exc
    attachments = [
        Attachment(type=_one(params, f"MediaContentType{i}") or "file", url=_one(params, f"MediaUrl{i}"))
        for i in range(count)
    ]
    return InboundMessage(
        id=f"{channel.value}:{account}:{sid}",
        channel=channel,
        account_id=account,
        platform_message_id=sid,
        conversation_key=conversation_key(channel, account, citizen),
        kind=MessageKind.PRIVATE_MESSAGE,
        author=Author(platform_id=citizen, name=_one(params, "ProfileName")),
        text=_one(params, "Body") or "",
        sent_at=now,  # Twilio's inbound webhook carries no send time; it calls within seconds
        received_at=now,
        in_reply_to=_one(params, "OriginalRepliedMessageSid"),
        attachments=attachments,
        raw_payload=raw,
    )
