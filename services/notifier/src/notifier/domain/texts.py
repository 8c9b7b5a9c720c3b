"""What a person is told. Only what the alert carries (urgency, department, reason, link): never the
citizen's words or details, which stay in the inbox behind sign-in."""

from dataclasses import dataclass
from urllib.parse import quote

REASONS = {
    "critical_message": "a critical message",
    "rerouted_critical": "a conversation rerouted as critical",
}


def _reason(reason: str) -> str:
    if reason.startswith("sla_breach"):
        return "a missed response deadline"
    if reason.startswith("security_"):
        return "a security alert about an official account"
    return REASONS.get(reason, reason.replace("_", " "))


@dataclass(frozen=True)
class Notice:
    """One alert as words, for every medium."""

    title: str
    body: str
    link: str
    ack_link: str | None
    code: str | None

    def sms(self) -> str:
        ack = f" Acknowledge: reply ACK {self.code}" if self.code else ""
        link = f" or open {self.ack_link}" if self.ack_link else ""
        return f"{self.title}. {self.body} {self.link}{ack}{link}"


def conversation_link(inbox_url: str, conversation_key: str) -> str:
    if conversation_key.startswith("security:"):
        return f"{inbox_url.rstrip('/')}/out-of-hours"
    return f"{inbox_url.rstrip('/')}/conversations/{quote(conversation_key, safe='')}"


def duty_notice(alert: dict, *, level: int, inbox_url: str, ack_link: str | None) -> Notice:
    urgency = str(alert.get("urgency") or "critical").upper()
    department = (alert.get("department") or "unrouted").replace("_", " ")
    escalated = f" (escalated, level {level})" if level else ""
    return Notice(
        title=f"{urgency} duty alert{escalated}: {department}",
        body=f"Civic Inbox has {_reason(alert.get('reason') or '')} for you to act on now.",
        link=conversation_link(inbox_url, alert["conversation_key"]), ack_link=ack_link, code=alert.get("code"),
    )


def ops_notice(alert: dict, *, inbox_url: str) -> Notice:
    prefix = "SECURITY ALERT" if alert.get("security") else "Channel alert"
    return Notice(title=f"{prefix}: {alert['channel']} {alert['account_id']}", body=alert["summary"],
                  link=f"{inbox_url.rstrip('/')}/out-of-hours", ack_link=None, code=None)
