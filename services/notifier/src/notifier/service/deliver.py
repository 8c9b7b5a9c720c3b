"""Getting one notice to one person by every medium they have, each message sent at most once: a claim
(unique id per alert, level, medium and address) is taken before the send and given back if it fails, so a
redelivered alert or a retried step sends only what has not gone yet."""

import logging
from collections.abc import Awaitable, Callable
from html import escape as _esc

from notifier.adapters import SendFailed
from notifier.domain.texts import Notice
from notifier.service.context import Notifier

log = logging.getLogger(__name__)


async def _once(n: Notifier, claim_id: str, alert_id: str, send: Callable[[], Awaitable[str]]) -> bool:
    """Sends unless already sent; True when the message has gone (now or before)."""
    if not await n.store.claim(claim_id, alert_id=alert_id, at=n.now()):
        return True
    try:
        provider_id = await send()
    except Exception:
        await n.store.release(claim_id)
        raise
    await n.store.sent(claim_id, provider_id, n.now())
    return True


async def reach(n: Notifier, *, claim: str, alert_id: str, person: dict, notice: Notice) -> list[str]:
    """Sends `notice` to `person` by SMS and email; the media it went by. Raises SendFailed after trying
    every medium when one failed (the others stay sent)."""
    media, failures = [], []
    html = (f"<p><strong>{_esc(notice.title)}</strong></p><p>{_esc(notice.body)}</p>"
            f"<p><a href=\"{_esc(notice.link)}\">Open in Civic Inbox</a></p>"
            + (f"<p><a href=\"{_esc(notice.ack_link)}\">Acknowledge</a></p>" if notice.ack_link else ""))
    text = f"{notice.body}\n\nOpen: {notice.link}\n" + (f"Acknowledge: {notice.ack_link}\n" if notice.ack_link else "")
    attempts = []
    if n.sms.configured and person.get("phone"):
        attempts.append(("sms", f"{claim}:sms:{person['phone']}", lambda: n.sms.send(person["phone"], notice.sms())))
    if n.email.configured and person.get("email"):
        attempts.append(("email", f"{claim}:email:{person['email']}",
                         lambda: n.email.send(person["email"], notice.title, text, html, reference=alert_id)))
    for medium, claim_id, send in attempts:
        try:
            await _once(n, claim_id, alert_id, send)
            media.append(medium)
        except SendFailed as exc:
            log.warning("alert %s: %s to %s failed: %s", alert_id, medium, person.get("name"), exc)
            failures.append(f"{medium}: {exc}")
    if failures:
        raise SendFailed("; ".join(failures))
    return media


async def post_chat(n: Notifier, *, claim: str, alert_id: str, notice: Notice) -> bool:
    if not n.chat.configured:
        return False
    return await _once(n, f"{claim}:chat", alert_id, lambda: n.chat.post(notice))

