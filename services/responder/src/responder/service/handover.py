"""Offline handover: one action issues a case reference, sends the approved holding reply in public, opens a
private thread on the right channel and links the two; a handover SLA runs until the private thread is
answered by a person."""

from civic_contracts import ConversationEventType, InboxCommand, Phrase
from civic_contracts.commands import HandoverCommand

from responder.adapters.mongo_cases import ReferenceTaken
from responder.domain.canned import CannedError, render
from responder.domain.checks import check_reply
from responder.domain.delivery import DeliveryError, case_reference, private_thread, reply_delivery
from responder.domain.sla import handover_due
from responder.domain.states import ASSIGNED, HANDED_OVER, may_use_account
from responder.service import sending
from responder.service.context import Outcome, Responder, changes, refused

E = ConversationEventType


def _texts(r: Responder, conversation: dict, command: InboxCommand, reference: str) -> tuple[str | None, str, str]:
    """(holding reply or None for a private conversation, private opening message, language)."""
    body: HandoverCommand = command.body
    language = "cy" if conversation.get("language") == "cy" else "en"
    values = sending.placeholder_values(r, {**conversation, "case_reference": reference}, command.actor, body.placeholders)
    names = r.policy.handover
    holding_id = names.public_phone if body.holding_reply == "phone" else names.public_private_message
    holding = None
    if conversation.get("kind") == "public_comment":
        holding = render(r.policy.canned(holding_id), language, values)
    opening = render(r.policy.canned(names.private_opening), language, values)
    return holding, opening, language


async def handover(r: Responder, command: InboxCommand, conversation: dict) -> Outcome:
    body: HandoverCommand = command.body
    actor, now = command.actor, r.now()
    case = await r.cases.get(command.id)
    last = await r.conversations.last_inbound(conversation["_id"])
    try:
        plan = private_thread(conversation, last, private_channel=body.private_channel.value, contact=body.contact,
                              default_account=r.policy.default_account(body.private_channel.value))
        public = reply_delivery(conversation, last, private=False, account_id=None)
    except DeliveryError as exc:
        return refused(str(exc))
    for account in {plan.account_id, public.account_id}:
        if not may_use_account(actor.accounts, account):
            return refused(Phrase.of("you may not act from account %(account)s", account=account))
    year = now.astimezone(r.calendar.zone).year
    for _ in range(20 if case is None else 0):
        reference = case_reference(r.policy.handover.case_prefix, year, await r.cases.next_number(f"case:{year}"))
        try:
            holding, opening, language = _texts(r, conversation, command, reference)
        except (CannedError, TypeError) as exc:
            return refused(f"the handover texts are not configured: {exc}")
        if holding is not None:
            findings = check_reply(holding, public=True, conversation_language=language, account_id=public.account_id,
                                   actor_accounts=["*"], rules=r.policy.checks)
            if findings:
                return refused("the holding reply fails its checks: " + "; ".join(f.detail for f in findings))
        try:
            case = await _open_case(r, command, conversation, plan, reference, holding, opening, language, now)
            break
        except ReferenceTaken:
            continue
    if case is None:
        raise RuntimeError("could not allocate a free case reference")
    reference = case["case_reference"]
    after = conversation
    if conversation.get("handover_id") != command.id:
        after = await r.conversations.change(conversation, set_={
            "status": HANDED_OVER, "case_reference": reference, "handover_id": command.id, "handover_role": "public",
            "handed_over_at": now, "assignee": conversation.get("assignee") or actor.user_id,
            "assignee_name": conversation.get("assignee_name") or actor.name,
        })
    requested_by = actor.model_dump(mode="json", include={"user_id", "name", "role"})
    for purpose, delivery, text, reply_id in (
        ("holding", public, case["public"]["text"], case["public"]["reply_id"]),
        ("private_opening", plan, case["private"]["text"], case["private"]["reply_id"]),
    ):
        if reply_id is None:
            continue
        doc, _ = await r.replies.create(sending.reply_document(
            reply_id=reply_id, conversation=conversation, delivery=delivery, text=text, language=case["language"],
            requested_by=requested_by, at=now, purpose=purpose, status="approved", case_reference=reference,
            approval={"required": False, "reasons": [], "preapproved": "approved handover template"},
        ))
        await sending.dispatch(r, doc)
    await r.emit(event_id=f"{command.id}:handover", type=E.HANDOVER_OPENED, summary=Phrase.of("handed over as %(reference)s", reference=reference),
                 conversation_key=conversation["_id"], conversation=after, actor_id=actor.user_id, command_id=command.id,
                 data={"case_reference": reference, "private_channel": plan.private_channel})
    before, after_fields = changes(conversation, after)
    return Outcome(summary=f"handed over as {reference}", account_id=public.account_id, before=before, after=after_fields,
                   result={"case_reference": reference, "handover_id": command.id,
                           "holding_reply_id": case["public"]["reply_id"], "private_reply_id": case["private"]["reply_id"]})


async def _open_case(r: Responder, command: InboxCommand, conversation: dict, plan, reference: str,
                     holding: str | None, opening: str, language: str, now) -> dict:
    body: HandoverCommand = command.body
    actor = command.actor
    case, _ = await r.cases.create({
        "_id": command.id, "case_reference": reference, "conversation_key": conversation["_id"],
        "department": conversation.get("department"), "opened_by": actor.model_dump(include={"user_id", "name"}),
        "opened_at": now, "due_at": handover_due(policy=r.policy, calendar=r.calendar, opened_at=now),
        "status": "open", "reason": body.reason, "language": language,
        "public": {"channel": conversation.get("channel"), "reply_id": f"{command.id}:holding" if holding else None,
                   "text": holding},
        "private": {"channel": plan.private_channel, "recipient_id": plan.recipient_id, "account_id": plan.account_id,
                    "reply_id": f"{command.id}:private", "text": opening, "conversation_key": None},
    })
    return case


async def link_private_thread(r: Responder, case: dict, conversation: dict, message_id: str) -> None:
    """The citizen answered on the private channel: link that conversation to the public one."""
    key = conversation["_id"]
    if case["private"].get("conversation_key") not in (None, key):
        return
    if not await r.cases.update(case["_id"], {"private.conversation_key": key, "status": "citizen_replied",
                                              "linked_at": r.now()}, only_if={"private.conversation_key": None}):
        if case["private"].get("conversation_key") != key:
            return
    fields = {"case_reference": case["case_reference"], "handover_id": case["_id"], "handover_role": "private",
              "linked_conversations": [case["conversation_key"]], "not_a_request": None}  # a handover's thread is work
    if not conversation.get("department") and case.get("department"):
        fields["department"] = case["department"]
    if not conversation.get("assignee"):
        fields.update(assignee=case["opened_by"]["user_id"], assignee_name=case["opened_by"]["name"], status=ASSIGNED)
    await r.conversations.set_fields(key, fields)
    async with r.lock(case["conversation_key"]):  # taken inside the private side's lock, never the other way round
        await r.conversations.set_fields(case["conversation_key"], {"linked_conversations": [key]})
    linked = await r.conversations.get(key)
    for side, other in ((key, case["conversation_key"]), (case["conversation_key"], key)):
        await r.emit(event_id=f"{case['_id']}:linked:{side}", type=E.HANDOVER_LINKED,
                     summary=Phrase.of("%(reference)s: private thread linked", reference=case["case_reference"]), conversation_key=side,
                     conversation=linked if side == key else None,
                     data={"case_reference": case["case_reference"], "linked_conversation": other, "message_id": message_id})
    await r.audit_system(entry_id=f"{case['_id']}:linked", action="handover_linked", conversation=linked,
                         conversation_key=key, details={"case_reference": case["case_reference"],
                                                        "public_conversation": case["conversation_key"]})


async def on_private_answer(r: Responder, conversation: dict, reply: dict) -> None:
    """A person's reply was sent on a conversation: if it is a handover's private thread, the handover is answered."""
    if conversation.get("handover_role") != "private" or not conversation.get("handover_id"):
        return
    case = await r.cases.get(conversation["handover_id"])
    if case is None or not await r.cases.update(case["_id"], {"status": "answered", "answered_at": r.now(),
                                                               "answered_by": reply["requested_by"]["user_id"]},
                                                only_if={"status": {"$in": ["open", "citizen_replied"]}}):
        return
    for side in (conversation["_id"], case["conversation_key"]):
        await r.emit(event_id=f"{case['_id']}:answered:{side}", type=E.HANDOVER_ANSWERED,
                     summary=Phrase.of("%(reference)s: private thread answered", reference=case["case_reference"]), conversation_key=side,
                     data={"case_reference": case["case_reference"], "reply_id": reply["_id"]})
    await r.audit_system(entry_id=f"{case['_id']}:answered", action="handover_answered", conversation=conversation,
                         conversation_key=conversation["_id"], details={"case_reference": case["case_reference"]})
