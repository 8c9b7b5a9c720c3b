"""Messaging windows, decided from the citizen's last inbound message in the conversation (no I/O).

Messenger and Instagram DMs: free replies within 24 hours; up to 7 days a person's reply may go with Meta's
HUMAN_AGENT tag; after that nothing. Private replies to a comment: within 7 days of the comment. WhatsApp:
free-form within 24 hours, otherwise only an approved template. SMS, email and public replies have none."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from connectors.outbound.errors import OutsideWindow

DAY = timedelta(hours=24)
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class MetaDelivery:
    messaging_type: str  # RESPONSE or MESSAGE_TAG
    tag: str | None = None


def _age(last_inbound: datetime | None, now: datetime) -> timedelta | None:
    return None if last_inbound is None else now - last_inbound


def meta_message(last_inbound: datetime | None, now: datetime, *, human_agent: bool) -> MetaDelivery:
    age = _age(last_inbound, now)
    if age is None:
        raise OutsideWindow("outside_window", "no message from this person is known, so the 24-hour window is closed")
    if age <= DAY:
        return MetaDelivery("RESPONSE")
    if age <= WEEK and human_agent:
        return MetaDelivery("MESSAGE_TAG", "HUMAN_AGENT")
    limit = "7 days (HUMAN_AGENT)" if human_agent else "24 hours (an automated reply may not use HUMAN_AGENT)"
    raise OutsideWindow("outside_window", f"the person last wrote {_hours(age)} ago; Meta allows replies within {limit}")


def private_reply(comment_at: datetime | None, now: datetime) -> None:
    age = _age(comment_at, now)
    if age is None or age > WEEK:
        when = "at an unknown time" if age is None else f"{_hours(age)} ago"
        raise OutsideWindow("outside_window", f"the comment was written {when}; a private reply is allowed within 7 days")


def whatsapp(last_inbound: datetime | None, now: datetime, *, template: str | None) -> str | None:
    """None: free-form text may be sent; else the template to send instead. Raises OutsideWindow."""
    age = _age(last_inbound, now)
    if age is not None and age <= DAY:
        return None
    if template:
        return template
    raise OutsideWindow("outside_window", "WhatsApp allows free-form replies within 24 hours of the person's last "
                        "message; send an approved template instead")


def _hours(age: timedelta) -> str:
    hours = age.total_seconds() / 3600
    return f"{hours:.0f} hours" if hours < 72 else f"{hours / 24:.1f} days"
