"""How each platform signs the webhooks it sends (PLATFORMS.md section 0), so sample traffic is accepted by
the connectors exactly as the real platforms' deliveries would be."""

import base64
import hashlib
import hmac
from collections.abc import Mapping


def meta(body: bytes, app_secret: str) -> dict[str, str]:
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={digest}"}


def x(body: bytes, consumer_secret: str) -> dict[str, str]:
    digest = base64.b64encode(hmac.new(consumer_secret.encode(), body, hashlib.sha256).digest()).decode()
    return {"Content-Type": "application/json", "x-twitter-webhooks-signature": f"sha256={digest}"}


def twilio(url: str, params: Mapping[str, str], auth_token: str) -> dict[str, str]:
    """X-Twilio-Signature: the URL Twilio calls, then each parameter name and value in name order."""
    text = url + "".join(name + params[name] for name in sorted(params))
    digest = base64.b64encode(hmac.new(auth_token.encode(), text.encode(), hashlib.sha1).digest()).decode()
    return {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": digest,
            "I-Twilio-Idempotency-Token": hashlib.sha256(text.encode()).hexdigest()[:36]}


def mailgun(timestamp: str, token: str, signing_key: str) -> str:
    return hmac.new(signing_key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
