"""Alerts about the official accounts (`ops.alert.v1`, from connectors): each goes in the audit log and on the
staff-wide timeline, and a security alert (a post we did not send, an outbound burst) becomes a duty alert,
so the person on the duty rota is paged and escalation follows as for a critical message. The duty alert's
key is `security:<channel>:<account>`: there is no conversation to act on, the account is the matter."""

from civic_contracts import ConversationEventType, DutyAlert, OpsAlert, Urgency

from responder.domain.duty import escalation_chain, on_duty
from responder.service.context import Responder

E = ConversationEventType


def serves_account(r: Responder, account_id: str) -> bool:
    return not r.accounts or account_id in r.accounts


def serves_key(r: Responder, key: str) -> bool:
    """`Responder.serves`, also for the `security:<channel>:<account>` keys of security duty alerts."""
    parts = key.split(":", 2)
    if parts[0] == "security" and len(parts) == 3:
        return serves_account(r, parts[2])
    return r.serves(key)


async def on_ops_alert(r: Responder, alert: OpsAlert) -> None:
    if not serves_account(r, alert.account_id):
        return
    await r.emit(event_id=f"ops:{alert.id}", type=E.SECURITY_ALERT, summary=alert.summary, conversation_key=None,
                 data={"kind": alert.kind.value, "security": alert.security, "channel": alert.channel.value,
                       "account_id": alert.account_id, "platform_item_id": alert.platform_item_id})
    await r.audit_system(entry_id=f"ops:{alert.id}", action=f"account_alert_{alert.kind.value}", conversation=None,
                         conversation_key=None, account_id=alert.account_id, reason=alert.summary,
                         details=alert.model_dump(mode="json"))
    if not alert.security:
        return
    in_hours, people = on_duty(r.policy.duty_rota, r.now(), r.calendar)
    await r.publisher.duty_alert(DutyAlert(
        id=f"security:{alert.id}", conversation_key=f"security:{alert.channel.value}:{alert.account_id}", department=None,
        urgency=Urgency.CRITICAL, reason=f"security_{alert.kind.value}", in_business_hours=in_hours, on_duty=people,
        escalation=escalation_chain(r.policy.duty_rota, people), raised_at=r.now(),
    ))
