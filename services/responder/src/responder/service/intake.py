"""What a citizen's message and its triage result do: thread it, reopen an answered conversation, link a
handover's private thread, plan the SLA clocks, alert the duty rota for critical messages, count abuse, keep
banned authors away from people, and assign by the department's policy."""

from civic_contracts import ConversationEventType, DutyAlert, InboundMessage, Phrase, TriageResult

from responder.adapters.mongo_moderation import author_key
from responder.domain import sla
from responder.domain.delivery import find_case_reference, normalise_contact
from responder.domain.duty import escalation_chain, on_duty
from responder.domain.states import status_on_citizen_message
from responder.service import revisions
from responder.service.context import Responder, changes

E = ConversationEventType
PRIVATE_KINDS = ("private_message", "email")


DECISION = ("department", "urgency", "abuse", "language", "needs_review", "classifier_version", "pii")  # pii: an edit's new spans


async def on_message(r: Responder, message: InboundMessage) -> None:
    if r.recalls(f"m:{message.id}") == hash(message.text) or not r.serves(message.conversation_key):
        return  # a duplicate delivery (in this batch or before), or another organisation's account
    async with r.lock(message.conversation_key):
        await _on_message(r, message)


async def _on_message(r: Responder, message: InboundMessage) -> None:
    stored = await r.conversations.insert_message(message)  # None: it is new (the common case: one write)
    if stored is not None:
        if stored.get("intake_done") or await r.ledger.event(f"{message.id}:received"):
            if stored.get("text") != message.text:  # delivered again with other text: kept as a version
                await revisions.redelivered(r, stored, message)
            r.remember(f"m:{message.id}", hash(message.text))
            return  # handled before, its events safe: a redelivery
        await r.conversations.update_message(message)
    conversation = await r.conversations.store_message(message, counted=bool((stored or {}).get("counted")))
    if stored and stored.get("triage"):
        # Its triage result arrived first and waited on the message: route the conversation now.
        result = TriageResult.model_validate(stored["triage"])
        if not await _applied(r, result):
            await _apply_triage(r, result)
            conversation = await r.conversations.get(message.conversation_key) or conversation
    key = message.conversation_key
    if await _banned(r, author_key(message.channel.value, message.author.platform_id)):
        if not conversation.get("routing_blocked"):
            conversation = await r.conversations.update_fields(key, {"routing_blocked": True}) or conversation
    marks = [conversation.get(f) for f in ("answered_at", "resolved_at", "closed_at") if conversation.get(f)]
    answered_at = max(marks) if marks else None
    reopen_to = status_on_citizen_message(conversation)
    changed = False
    if reopen_to is not None and (answered_at is None or message.sent_at > answered_at):
        changed = await _reopen(r, conversation, message, reopen_to)
    elif conversation.get("reopened_by") == message.id:
        await _reopened(r, conversation, message)  # reopened by this message before a restart: emit again
    if message.kind.value in PRIVATE_KINDS:
        changed = await _link_handover(r, message) or changed
    if changed:
        conversation = await r.conversations.get(key) or conversation
    if (conversation.get("department") and not conversation.get("sla") and conversation.get("first_message_at")
            and not conversation.get("not_a_request")):  # not a request: no clocks run
        conversation = await _plan_sla(r, conversation,
                                       start=conversation.get("work_since") or conversation["first_message_at"])
    # Its timeline entry is the mark that this message was handled (written once the event is safe).
    await r.emit(event_id=f"{message.id}:received", type=E.MESSAGE_RECEIVED, summary=Phrase.of("message on %(channel)s", channel=message.channel.value),
                 conversation_key=key, conversation=conversation,
                 data={"message_id": message.id, "channel": message.channel.value, "kind": message.kind.value})
    r.remember(f"m:{message.id}", hash(message.text))


async def _reopen(r: Responder, conversation: dict, message: InboundMessage, status: str) -> bool:
    fields: dict = {"status": status, "reopened_at": message.sent_at, "reopened_by": message.id,
                    "reopened_from": conversation.get("status"), "reopen_count": int(conversation.get("reopen_count") or 0) + 1}
    if conversation.get("department") and not conversation.get("not_a_request"):
        fields["sla"] = sla.plan(policy=r.policy, calendar=r.calendar, start=message.sent_at,
                                 department=conversation["department"], urgency=conversation.get("urgency"))
    after = await r.conversations.update_fields(conversation["_id"], fields, only_if={"status": conversation.get("status")})
    if after is None:
        return False
    await _reopened(r, after, message, before=conversation)
    return True


async def _reopened(r: Responder, after: dict, message: InboundMessage, *, before: dict | None = None) -> None:
    """The event and audit entry of a reopening (stable ids: emitting them again is harmless)."""
    conversation = before or {**after, "status": after.get("reopened_from")}
    await r.emit(event_id=f"{message.id}:reopened", type=E.REOPENED, summary=Phrase.of("the citizen wrote again: reopened"),
                 conversation_key=after["_id"], conversation=after,
                 data={"from": after.get("reopened_from"), "to": after.get("status"), "message_id": message.id})
    before, after_fields = changes(conversation, after)
    await r.audit_system(entry_id=f"{message.id}:reopened", action="reopen", conversation=after,
                         conversation_key=after["_id"], before=before, after=after_fields,
                         details={"message_id": message.id})


async def _link_handover(r: Responder, message: InboundMessage) -> bool:
    from responder.service.handover import link_private_thread

    case = await r.cases.open_for_private(message.channel.value, normalise_contact(message.author.platform_id))
    if case is None and (reference := find_case_reference(r.policy.handover.case_prefix, message.text)):
        case = await r.cases.by_reference(reference)
    if case is None or case["conversation_key"] == message.conversation_key:
        return False
    conversation = await r.conversations.get(message.conversation_key)
    await link_private_thread(r, case, conversation, message.id)
    return True


async def _banned(r: Responder, author: str) -> bool:
    """Whether the author is banned; the list is re-read at most every few seconds (bans are rare)."""
    cached = r.recent.get("banned")
    if cached is None or cached[0] < r.now().timestamp() - 5:
        cached = (r.now().timestamp(), await r.read_once("banned", r.moderation.banned_keys))
        r.recent.put("banned", cached)
    return author in cached[1]


def _replanned(r: Responder, conversation: dict) -> dict:
    """`{"sla": ...}` when the conversation's clocks must be (re)planned for its department and urgency (none
    while it is not a request)."""
    if conversation.get("not_a_request"):
        return {"sla": None} if conversation.get("sla") else {}
    current = conversation.get("sla") or {}
    target = current.get("target") or {}
    start = current.get("start") or conversation.get("work_since") or conversation.get("first_message_at")
    if start is None or (target.get("department"), target.get("urgency")) == (
            conversation.get("department"), conversation.get("urgency")):
        return {}
    return {"sla": sla.plan(policy=r.policy, calendar=r.calendar, start=start, department=conversation.get("department"),
                            urgency=conversation.get("urgency"), current=current)}


async def _plan_sla(r: Responder, conversation: dict, *, start) -> dict:
    plan = sla.plan(policy=r.policy, calendar=r.calendar, start=start, department=conversation.get("department"),
                    urgency=conversation.get("urgency"), current=conversation.get("sla"))
    await r.conversations.set_fields(conversation["_id"], {"sla": plan})
    return {**conversation, "sla": plan}


async def on_triage(r: Responder, result: TriageResult) -> None:
    if not r.serves(result.conversation_key):
        return
    decided = decision(result)
    if r.recalls(f"t:{result.message_id}") == decided:
        return  # the same decision delivered again (or made again by another triage replica): nothing changes
    async with r.lock(result.conversation_key):
        await _on_triage(r, result)


def decision(result: TriageResult) -> dict:
    return result.model_dump(mode="json", include=set(DECISION))


async def _applied(r: Responder, result: TriageResult) -> bool:
    """Whether this decision was applied and its events made safe: its `routed` event is on the timeline
    carrying the same decision (entries written before the event carried it: the message's old mark)."""
    routed = await r.ledger.event(f"{result.message_id}:routed")
    if routed is None:
        return False
    data, decided = routed.get("data") or {}, decision(result)
    if "classifier_version" in data:
        return {k: data.get(k) for k in DECISION} == {k: _scalar(v) for k, v in decided.items()}
    return ((await r.conversations.message(result.message_id)) or {}).get("triage_applied") == decided


def _scalar(value):
    """A decision's value as an event's data keeps it (`Responder.emit`: anything but a scalar as text)."""
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)


async def _on_triage(r: Responder, result: TriageResult) -> None:
    decided = decision(result)
    if await _applied(r, result):
        # Routed before: only the assignment may be missing (a crash between the two); it is a no-op otherwise.
        from responder.service.assignment import auto_assign

        if (conversation := await r.conversations.get(result.conversation_key)) is not None:
            await auto_assign(r, conversation, cause="triage")
        r.remember(f"t:{result.message_id}", decided)
        return
    await _apply_triage(r, result)


async def _apply_triage(r: Responder, result: TriageResult) -> None:
    decided = decision(result)
    conversation = await r.conversations.store_triage(result, lambda routed: _replanned(r, routed))
    if conversation is None:
        return  # kept on the message; applied when the message lands
    key = result.conversation_key
    if conversation.get("urgency") == "critical":
        await raise_duty_alert(r, conversation, reason="critical_message")
    if result.abuse.value != "none":
        await _count_abuse(r, result)
    # The decision rides on the event: its timeline entry is the mark that this result was applied.
    await r.emit(event_id=f"{result.message_id}:routed", type=E.ROUTED,
                 summary=Phrase.of("triage: %(department)s, %(urgency)s", department=result.department, urgency=result.urgency.value), conversation_key=key,
                 conversation=conversation, data={"message_id": result.message_id, **decided})
    from responder.service.assignment import auto_assign

    await auto_assign(r, conversation, cause="triage")
    r.remember(f"t:{result.message_id}", decided)


async def _count_abuse(r: Responder, result: TriageResult) -> None:
    message = await r.conversations.message(result.message_id)
    if not message or not message.get("author"):
        return  # the message itself has not landed yet; counted when staff act on it
    author = author_key(message["channel"], message["author"]["platform_id"])
    total = await r.moderation.count_abuse(message_id=result.message_id, author=author, channel=message["channel"],
                                           label=result.abuse.value, source="triage", at=message["sent_at"],
                                           name=message["author"].get("name"))
    await r.moderation.keep_evidence(evidence(message, label=result.abuse.value, source="triage", by=None,
                                              reason=f"triage labelled it {result.abuse.value}", at=r.now()))
    await r.conversations.set_fields(result.conversation_key, {"author_abuse_count": total})


def evidence(message: dict, *, label: str | None, source: str, by: str | None, reason: str, at) -> dict:
    """What an evidence pack keeps of one message: text, author, time, permalink."""
    return {
        "_id": f"{message['_id']}:{source}", "message_id": message["_id"],
        "conversation_key": message["conversation_key"], "channel": message["channel"],
        "account_id": message.get("account_id"), "author": message.get("author"),
        "author_key": author_key(message["channel"], message["author"]["platform_id"]),
        "text": message.get("text"), "sent_at": message.get("sent_at"), "permalink": message.get("permalink"),
        "platform_message_id": message.get("platform_message_id"), "abuse": label, "source": source,
        "captured_by": by, "reason": reason, "captured_at": at,
    }


async def raise_duty_alert(r: Responder, conversation: dict, *, reason: str) -> None:
    """Alert whoever is on duty now, once per conversation and reason (publish, then mark)."""
    marks = conversation.get("duty_alerts") or {}
    if reason in marks:
        return
    now = r.now()
    in_hours, people = on_duty(r.policy.duty_rota, now, r.calendar)
    alert = DutyAlert(id=f"duty:{conversation['_id']}:{reason}", conversation_key=conversation["_id"],
                      department=conversation.get("department"), urgency=conversation.get("urgency") or "critical",
                      reason=reason, in_business_hours=in_hours, on_duty=people,
                      escalation=escalation_chain(r.policy.duty_rota, people), raised_at=now)
    await r.publisher.duty_alert(alert)
    await r.conversations.set_fields(conversation["_id"], {f"duty_alerts.{reason}": now})
    await r.emit(event_id=alert.id, type=E.DUTY_ALERT, summary=Phrase.of("duty alert: %(names)s", names=", ".join(p.name for p in people)),
                 conversation_key=conversation["_id"], conversation=conversation,
                 data={"reason": reason, "in_business_hours": in_hours, "on_duty": "; ".join(p.name for p in people)})
    await r.audit_system(entry_id=alert.id, action="duty_alert", conversation=conversation,
                         conversation_key=conversation["_id"], details=alert.model_dump(mode="json"))
