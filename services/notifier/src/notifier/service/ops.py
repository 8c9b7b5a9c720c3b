"""Account alerts (`ops.alert.v1`): kept for the web app's ops page and sent once to the people who must
know: a security alert to the admins (the duty rota gets it from responder as a duty alert), a channel
problem to ops. Each alert is stored and sent once, however often it is delivered."""

from civic_contracts import OpsAlert

from notifier.domain.texts import ops_notice
from notifier.service.context import Notifier
from notifier.service.deliver import post_chat, reach


async def on_ops_alert(n: Notifier, alert: OpsAlert) -> None:
    if n.accounts and alert.account_id not in n.accounts:
        return
    document = {"_id": alert.id, **alert.model_dump(mode="python", exclude={"id"}), "received_at": n.now()}
    document["kind"], document["channel"] = alert.kind.value, alert.channel.value
    await n.store.record_ops(document)
    notice = ops_notice(document, inbox_url=n.inbox_url)
    people = [*(n.admins if alert.security else []), *n.ops]
    seen: set[str] = set()
    for contact in people:
        if contact.name in seen:
            continue
        seen.add(contact.name)
        await reach(n, claim=f"ops:{alert.id}", alert_id=alert.id, person=contact.model_dump(), notice=notice)
    await post_chat(n, claim=f"ops:{alert.id}", alert_id=alert.id, notice=notice)
