"""Signed acknowledgement links: `/alerts/<alert id>/ack?who=<n>&sig=<HMAC>`; only the person the link was
made for can use it, and nobody can make one without the key."""

import hashlib
import hmac
from urllib.parse import quote, urlencode


def signature(secret: str, alert_id: str, who: int) -> str:
    message = f"ack\n{alert_id}\n{who}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def ack_link(base_url: str, secret: str, alert_id: str, who: int) -> str:
    query = urlencode({"who": who, "sig": signature(secret, alert_id, who)})
    return f"{base_url.rstrip('/')}/alerts/{quote(alert_id, safe='')}/ack?{query}"


def valid(secret: str, alert_id: str, who: int, sig: str) -> bool:
    return bool(secret) and hmac.compare_digest(signature(secret, alert_id, who), sig or "")
