"""Recording what became of a duty alert (`duty.alert.progress.v1`, from the notifier): each step on the
conversation's timeline and in the audit log, once (the step's id is the event's and the entry's id), and
the alert's state on the conversation (who holds it) for the inbox."""

from civic_contracts import ConversationEventType, DutyAlertProgress, DutyAlertStep, Phrase

from responder.service.context import Responder
from responder.service.security_alerts import serves_key

E = ConversationEventType
EVENTS = {
    DutyAlertStep.NOTIFIED: E.DUTY_ALERT_NOTIFIED,
    DutyAlertStep.ESCALATED: E.DUTY_ALERT_ESCALATED,
    DutyAlertStep.ACKNOWLEDGED: E.DUTY_ALERT_ACKNOWLEDGED,
    DutyAlertStep.EXHAUSTED: E.DUTY_ALERT_EXHAUSTED,
}


def summary(step: DutyAlertProgress) -> Phrase:
    names = ", ".join(step.people) or "nobody"
    if step.step is DutyAlertStep.NOTIFIED:
        return Phrase.of("duty alert sent to %(names)s by %(media)s", names=names,
                         media=" and ".join(step.channels) or "no medium configured")
    if step.step is DutyAlertStep.ESCALATED:
        return Phrase.of("duty alert not acknowledged in time: escalated to %(names)s (level %(level)s)",
                         names=names, level=step.level)
    if step.step is DutyAlertStep.ACKNOWLEDGED:
        return Phrase.of("duty alert acknowledged by %(name)s (by %(via)s)", name=step.by, via=step.via)
    return Phrase.of("duty alert: nobody acknowledged, the fallback was alerted last")


async def on_progress(r: Responder, step: DutyAlertProgress) -> None:
    if not serves_key(r, step.conversation_key):
        return
    async with r.lock(step.conversation_key):
        conversation = await r.conversations.get(step.conversation_key)
        holders = [step.by] if step.by else step.people
        await r.emit(event_id=step.id, type=EVENTS[step.step], summary=summary(step),
                     conversation_key=step.conversation_key, conversation=conversation,
                     data={"alert_id": step.alert_id, "level": step.level, "people": "; ".join(step.people),
                           "channels": ", ".join(step.channels), "by": step.by, "via": step.via,
                           "holders": "; ".join(holders)})
        await r.audit_system(entry_id=step.id, action=f"duty_alert_{step.step.value}", conversation=conversation,
                             conversation_key=step.conversation_key, details=step.model_dump(mode="json"))
