"""Freeze and lockdown: an admin freezes every account or one (with a reason); while frozen no reply is
published (it waits, approved and visibly held); lifting takes two admins (one asks, another confirms),
then the held replies go out. Each step is audited and on the staff-wide timeline."""

from civic_contracts import ConversationEventType, InboxCommand, Phrase
from civic_contracts.commands import FreezeCommand, UnfreezeCommand

from responder.adapters.mongo_outofhours import EVERY_ACCOUNT, store_of
from responder.domain.freeze import holding, lift_decision, may_freeze
from responder.service import sending
from responder.service.context import Outcome, Responder, refused

E = ConversationEventType


def _label(account: str) -> str:
    return "every account" if account == EVERY_ACCOUNT else f"account {account}"


def _on(account: str, every: str, one: str, **params) -> Phrase:
    """The phrase about every account, or about one (named `account`)."""
    return Phrase.of(every, **params) if account == EVERY_ACCOUNT else Phrase.of(one, account=account, **params)


async def freeze(r: Responder, command: InboxCommand, _conversation: None) -> Outcome:
    body: FreezeCommand = command.body
    if (why := may_freeze(command.actor.role.value)) is not None:
        return refused(why)
    account, now = body.account_id or EVERY_ACCOUNT, r.now()
    await store_of(r).set_freeze(account, {"frozen": True, "reason": body.reason, "by": command.actor.user_id,
                                           "by_name": command.actor.name, "at": now}, unset=["unfreeze_request"])
    await r.emit(event_id=f"{command.id}:frozen", type=E.OUTBOUND_FROZEN, conversation_key=None,
                 summary=_on(account, "%(actor)s froze outbound on every account: %(reason)s", "%(actor)s froze outbound on account %(account)s: %(reason)s", actor=command.actor.name, reason=body.reason),
                 actor_id=command.actor.user_id, command_id=command.id, data={"account_id": account, "reason": body.reason})
    return Outcome(summary=f"outbound frozen on {_label(account)}", account_id=None if account == EVERY_ACCOUNT else account,
                   before={"frozen": False}, after={"frozen": True}, result={"account_id": account, "frozen": True})


async def unfreeze(r: Responder, command: InboxCommand, _conversation: None) -> Outcome:
    body: UnfreezeCommand = command.body
    account, now, actor = body.account_id or EVERY_ACCOUNT, r.now(), command.actor
    store = store_of(r)
    current = await store.freeze_of(account)
    decision, why = lift_decision(current, actor.role.value, actor.user_id)
    if decision == "refuse":
        return refused(why)
    if decision == "request":
        request = {"by": actor.user_id, "by_name": actor.name, "at": now, "reason": body.reason,
                   "holding_statement": body.holding_statement}
        await store.set_freeze(account, {"unfreeze_request": request})
        await r.emit(event_id=f"{command.id}:unfreeze_requested", type=E.OUTBOUND_UNFREEZE_REQUESTED, conversation_key=None,
                     summary=_on(account, "%(actor)s asked to lift the freeze on every account; a second admin must confirm", "%(actor)s asked to lift the freeze on account %(account)s; a second admin must confirm", actor=actor.name),
                     actor_id=actor.user_id, command_id=command.id, data={"account_id": account, "reason": body.reason})
        return Outcome(summary="lifting requested: a second admin must confirm", result={"account_id": account, "frozen": True,
                                                                                         "awaiting_second_admin": True})
    request = current["unfreeze_request"]
    statement = body.holding_statement or request.get("holding_statement")
    await store.set_freeze(account, {"frozen": False, "lifted_by": [request["by"], actor.user_id], "lifted_at": now,
                                     "holding_statement": statement}, unset=["unfreeze_request"])
    await r.emit(event_id=f"{command.id}:unfrozen", type=E.OUTBOUND_UNFROZEN, conversation_key=None,
                 summary=_on(account, "%(first)s and %(actor)s lifted the freeze on every account", "%(first)s and %(actor)s lifted the freeze on account %(account)s", first=request.get("by_name"), actor=actor.name),
                 actor_id=actor.user_id, command_id=command.id,
                 data={"account_id": account, "requested_by": request["by"], "holding_statement": statement})
    released = await release_held(r, account)
    statements = await publish_statement(r, command, account, statement, request) if statement else []
    return Outcome(summary=f"freeze lifted on {_label(account)}; {released} held replies sent",
                   before={"frozen": True}, after={"frozen": False},
                   result={"account_id": account, "frozen": False, "released": released, "statements": statements})


async def holds(r: Responder, reply: dict) -> bool:
    """True when a freeze stops this approved reply now: it is marked held (once, with an event) and waits."""
    freeze = holding(await store_of(r).freezes_in_force(), reply.get("account_id"))
    if freeze is None:
        return False
    held = {"freeze": freeze["_id"], "reason": freeze.get("reason"), "since": r.now()}
    if await store_of(r).hold(reply["_id"], held):
        conversation = await r.conversations.get(reply["conversation_key"])
        await r.emit(event_id=f"{reply['_id']}:held:{freeze['_id']}:{freeze['at'].isoformat()}", type=E.REPLY_HELD,
                     summary=_on(freeze["_id"], "reply held: outbound is frozen on every account", "reply held: outbound is frozen on account %(account)s"), conversation_key=reply["conversation_key"],
                     conversation=conversation, data={"reply_id": reply["_id"], "reason": freeze.get("reason")})
    return True


async def release_held(r: Responder, account: str) -> int:
    """After a freeze is lifted: send the replies it held (those another freeze still holds keep waiting)."""
    store, sent = store_of(r), 0
    for reply in await store.held_replies(account):
        async with r.lock(reply["conversation_key"]):
            await store.release(reply["_id"])
            if await sending.dispatch(r, {**reply, "held": None}):
                sent += 1
    return sent


POSTABLE = ("facebook", "x")  # channels where an account publishes posts of its own


async def _postable(r: Responder, account: str) -> list[tuple[str, str]]:
    """(channel, account) pairs a holding statement goes out on: the policy's accounts, else the channels the
    account's conversations are on."""
    found = {(a.channel, a.account_id) for a in r.policy.accounts
             if a.channel in POSTABLE and account in (EVERY_ACCOUNT, a.account_id)}
    if not found and account != EVERY_ACCOUNT:
        found = {(c["channel"], account) for c in await r.conversations.find({"account_id": account}, limit=20)
                 if c.get("channel") in POSTABLE}
    return sorted(found)


async def publish_statement(r: Responder, command: InboxCommand, account: str, statement: str, request: dict) -> list[str]:
    """The holding statement both admins agreed, published as a post of each account it concerns."""
    now, ids = r.now(), []
    by = command.actor.model_dump(mode="json", include={"user_id", "name", "role"})
    for channel, account_id in await _postable(r, account):
        reply_id = f"{command.id}:statement:{channel}:{account_id}"
        document = {
            "_id": reply_id, "conversation_key": f"{channel}:{account_id}:holding-statement", "purpose": "holding_statement",
            "status": "approved", "text": statement, "language": None, "channel": channel, "account_id": account_id,
            "action": "post", "target_id": None, "recipient_id": None, "public": True, "requested_by": by,
            "requested_at": now, "updated_at": now, "history": [{"status": "approved", "at": now, "by": by["user_id"], "detail": None}],
            "approval": {"required": True, "reasons": ["holding statement on lifting a freeze"],
                         "by": [request["by"], command.actor.user_id]},
        }
        reply, _ = await r.replies.create(document)
        await sending.dispatch(r, reply)
        ids.append(reply_id)
    return ids
