"""A duty alert's life: delivered to the people on duty, escalated level by level while nobody acknowledges,
stopped by the first acknowledgement (a signed link or an SMS reply). Each step is published as a
`DutyAlertProgress`, which responder records on the conversation's timeline and in the audit log."""

import hashlib
import logging
from datetime import timedelta

from civic_contracts import DutyAlert, DutyAlertProgress, DutyAlertStep

from notifier.adapters import SendFailed
from notifier.adapters.mongo import ACKNOWLEDGED, OPEN
from notifier.domain.levels import everyone, levels_of
from notifier.domain.links import ack_link
from notifier.domain.texts import duty_notice
from notifier.service.context import Notifier
from notifier.service.deliver import post_chat, reach

log = logging.getLogger(__name__)


def short_code(alert_id: str) -> str:
    """Four digits a person types in an SMS reply; the same for the same alert, every time."""
    return f"{int(hashlib.sha256(alert_id.encode()).hexdigest(), 16) % 9000 + 1000}"


def alert_document(alert: DutyAlert, now, *, timeout_seconds: float) -> dict:
    levels = levels_of(alert)
    people = everyone(levels)
    for index, p in enumerate(people):
        p["level"] = next(i for i, level in enumerate(levels) if p["name"] in {q["name"] for q in level})
        p["who"] = index
    return {
        "_id": alert.id, "conversation_key": alert.conversation_key, "department": alert.department,
        "urgency": alert.urgency.value, "reason": alert.reason, "in_business_hours": alert.in_business_hours,
        "raised_at": alert.raised_at, "received_at": now, "levels": len(levels), "people": people, "level": 0,
        "status": OPEN, "code": short_code(alert.id), "exhausted": False, "delivering": True,
        "next_escalation_at": now + timedelta(seconds=timeout_seconds),
        "holders": [p["name"] for p in people if p["level"] == 0],
    }


async def on_alert(n: Notifier, alert: DutyAlert) -> None:
    """A new duty alert (or the same one delivered again: nothing already sent is sent twice)."""
    if not n.serves(alert.conversation_key):
        return
    document = alert_document(alert, n.now(), timeout_seconds=n.ack_timeout_seconds)
    if not document["people"]:
        log.error("duty alert %s names nobody to alert", alert.id)
        return
    if not await n.store.create(document):
        document = await n.store.get(alert.id) or document
    if document["status"] == OPEN and document["level"] == 0 and document.get("delivering"):
        await deliver_level(n, document)  # raises when a send failed: the record is retried, sends are claimed


async def deliver_level(n: Notifier, document: dict) -> None:
    """Alerts the people of the alert's current level (the level moves first, so an acknowledgement that
    comes back at once finds them alerted), then records it and publishes the step."""
    level = document["level"]
    await notify_level(n, document, level)
    await n.store.update(document["_id"], {"delivering": False, "notified_at": n.now()}, only_if={"level": level})
    await _progress(n, document, DutyAlertStep.ESCALATED if level else DutyAlertStep.NOTIFIED, level)


async def notify_level(n: Notifier, document: dict, level: int) -> tuple[list[str], list[str]]:
    """Sends the alert to every person of `level` and the team channel; (names, media)."""
    people = [p for p in document["people"] if p["level"] == level]
    names, media, failed = [], set(), None
    for p in people:
        link = ack_link(n.public_url, n.link_secret, document["_id"], p["who"])
        notice = duty_notice(document, level=level, inbox_url=n.inbox_url, ack_link=link)
        try:
            media.update(await reach(n, claim=f"{document['_id']}:{level}", alert_id=document["_id"], person=p, notice=notice))
        except SendFailed as exc:
            failed = exc
        names.append(p["name"])
    channel_notice = duty_notice(document, level=level, inbox_url=n.inbox_url, ack_link=None)
    try:
        if await post_chat(n, claim=f"{document['_id']}:{level}", alert_id=document["_id"], notice=channel_notice):
            media.add("chat")
    except SendFailed as exc:
        failed = exc
    if failed is not None:
        raise failed
    return names, sorted(media)


async def escalate_due(n: Notifier) -> int:
    """Finishes deliveries that failed half-way, then moves every overdue, unacknowledged alert to its next
    level (or marks it exhausted); how many moved."""
    for document in await n.store.delivering():
        try:
            await deliver_level(n, document)
        except SendFailed as exc:  # tried again at the next tick; what went stays sent
            log.warning("alert %s, level %s: %s", document["_id"], document["level"], exc)
    moved = 0
    for document in await n.store.overdue(n.now()):
        try:
            moved += await _escalate(n, document)
        except SendFailed as exc:
            log.warning("escalating %s: %s", document["_id"], exc)
    return moved


async def _escalate(n: Notifier, document: dict) -> int:
    level = document["level"]
    if level + 1 >= document["levels"]:
        if await n.store.update(document["_id"], {"next_escalation_at": None, "exhausted": True},
                                only_if={"status": OPEN, "level": level}):
            await _progress(n, document, DutyAlertStep.EXHAUSTED, level)
        return 0
    due = n.now() + timedelta(seconds=n.ack_timeout_seconds)
    holders = [p["name"] for p in document["people"] if p["level"] <= level + 1]
    if not await n.store.update(document["_id"], {"level": level + 1, "next_escalation_at": due, "holders": holders,
                                                  "delivering": True}, only_if={"status": OPEN, "level": level}):
        return 0
    await deliver_level(n, {**document, "level": level + 1, "holders": holders})
    return 1


async def acknowledge(n: Notifier, alert_id: str, who: int, *, via: str) -> tuple[dict | None, bool]:
    """(the alert, whether this call acknowledged it). An alert already acknowledged stays with its holder."""
    document = await n.store.get(alert_id)
    if document is None or not 0 <= who < len(document["people"]):
        return None, False
    person = document["people"][who]
    fields = {"status": ACKNOWLEDGED, "acknowledged_by": person["name"], "acknowledged_via": via,
              "acknowledged_at": n.now(), "next_escalation_at": None, "holders": [person["name"]]}
    if not await n.store.update(alert_id, fields, only_if={"status": OPEN}):
        return await n.store.get(alert_id), False
    document = {**document, **fields}
    await _progress(n, document, DutyAlertStep.ACKNOWLEDGED, document["level"], by=person["name"], via=via)
    return document, True


async def acknowledge_by_sms(n: Notifier, phone: str, code: str | None) -> tuple[dict | None, bool]:
    """The open alert this number was sent (the one with `code`, else the newest) acknowledged."""
    for document in await n.store.open_for_phone(phone):
        if code is not None and document.get("code") != code:
            continue
        who = next(p["who"] for p in document["people"] if p.get("phone") == phone)
        if document["people"][who]["level"] > document["level"]:
            continue  # not alerted yet
        return await acknowledge(n, document["_id"], who, via="sms")
    return None, False


async def _progress(n: Notifier, document: dict, step: DutyAlertStep, level: int, *, by: str | None = None,
                    via: str | None = None) -> None:
    people = [by] if by else [p["name"] for p in document["people"] if p["level"] == level]
    await n.publisher.progress(DutyAlertProgress(
        id=f"{document['_id']}:{step.value}:{level}", alert_id=document["_id"],
        conversation_key=document["conversation_key"], step=step, level=level, people=people,
        channels=[m for m in ("sms", "email", "chat") if _configured(n, m)], by=by, via=via, at=n.now(),
    ))


def _configured(n: Notifier, medium: str) -> bool:
    return {"sms": n.sms.configured, "email": n.email.configured, "chat": n.chat.configured}[medium]
