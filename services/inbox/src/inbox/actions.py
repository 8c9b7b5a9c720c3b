"""Staff actions on a conversation, for the agents' API and the web app alike (one set of rules): each is
checked here against the contracts' permission table (role, department, state, collision, approval), then
published as an `InboxCommand` keyed by the conversation; the caller gets the command id to follow.
Responder carries it out, checks again, and writes the audit entry. A refusal raises `HTTPException` with
the status the API answers (403 not allowed, 404 no such conversation or reply, 409 not in this state or
someone else is replying, 503 not queued); an `idempotency_key` makes a retried request the same command."""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from civic_contracts import ReplyState
from civic_contracts.commands import (
    ApproveReplyCommand,
    AssignCommand,
    BanAuthorCommand,
    ClaimCommand,
    CloseCommand,
    HandoverCommand,
    HideCommentCommand,
    NoteCommand,
    RejectReplyCommand,
    ReleaseCommand,
    ReplyCommand,
    ReplyingCommand,
    RerouteCommand,
    ResolveCommand,
)
from civic_contracts.permissions import approval_refusal, may_start_from, writing_now
from fastapi import HTTPException, status
from pydantic import BaseModel

from inbox.adapters.commands import CommandBus, KeyReused, NotQueued
from inbox.adapters.conversations import ConversationStore
from inbox.auth.principal import Principal

FORBIDDEN = "this conversation belongs to a department you do not work in"


async def visible_conversation(store: ConversationStore, principal: Principal, key: str) -> dict:
    """The conversation if the person may see it: 404 when there is none, 403 when it is not theirs."""
    conversation = await store.get(key)
    if conversation is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such conversation")
    if not principal.can_see(conversation):
        raise HTTPException(status.HTTP_403_FORBIDDEN, FORBIDDEN)
    return conversation


@dataclass(frozen=True, kw_only=True)
class Actions:
    store: ConversationStore
    commands: CommandBus
    replying_seconds: float

    async def _queue(self, principal: Principal, key: str | None, body: BaseModel, idempotency_key: str | None) -> str:
        try:
            return await self.commands.send(principal, body, conversation_key=key, idempotency_key=idempotency_key)
        except KeyReused as exc:
            raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc
        except NotQueued as exc:
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, f"could not queue the action: {exc}") from exc

    async def _guard(self, principal: Principal, key: str, action: str) -> dict:
        conversation = await visible_conversation(self.store, principal, key)
        if not principal.may(action):
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"your role may not {action.replace('_', ' ')}")
        current = conversation.get("status") or "new"
        if not may_start_from(action, current):
            raise HTTPException(status.HTTP_409_CONFLICT, f"the conversation is {current.replace('_', ' ')}")
        return conversation

    async def _simple(self, principal: Principal, key: str, action: str, body: BaseModel,
                      idempotency_key: str | None) -> str:
        await self._guard(principal, key, action)
        return await self._queue(principal, key, body, idempotency_key)

    async def reply(self, principal: Principal, key: str, body: ReplyCommand, *,
                    idempotency_key: str | None = None) -> str:
        conversation = await self._guard(principal, key, "reply")
        if not body.override_collision:
            other = writing_now(conversation.get("replying"), principal.user_id, datetime.now(UTC), self.replying_seconds)
            if other is not None:
                raise HTTPException(status.HTTP_409_CONFLICT, f"{other.get('name') or other['user_id']} is writing a "
                                    "reply; send with override_collision to reply anyway")
        if body.seen_reply_count is None:
            body = body.model_copy(update={"seen_reply_count": int(conversation.get("reply_count") or 0)})
        return await self._queue(principal, key, body, idempotency_key)

    async def _awaiting_reply(self, principal: Principal, key: str, reply_id: str, action: str) -> None:
        await self._guard(principal, key, action)
        found = await self.store.reply(reply_id)
        if found is None or found["conversation_key"] != key:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "no such reply on this conversation")
        if (why := approval_refusal(principal.role, principal.user_id, found["requested_by"]["user_id"])) is not None:
            raise HTTPException(status.HTTP_403_FORBIDDEN, why)
        if found["status"] != ReplyState.AWAITING_APPROVAL:
            raise HTTPException(status.HTTP_409_CONFLICT, f"the reply is {found['status'].replace('_', ' ')}")

    async def approve(self, principal: Principal, key: str, *, reply_id: str, comment: str | None = None,
                      idempotency_key: str | None = None) -> str:
        await self._awaiting_reply(principal, key, reply_id, "approve_reply")
        command = ApproveReplyCommand(reply_id=reply_id, comment=comment)
        return await self._queue(principal, key, command, idempotency_key)

    async def reject(self, principal: Principal, key: str, *, reply_id: str, reason: str,
                     idempotency_key: str | None = None) -> str:
        await self._awaiting_reply(principal, key, reply_id, "reject_reply")
        return await self._queue(principal, key, RejectReplyCommand(reply_id=reply_id, reason=reason), idempotency_key)

    async def handover(self, principal: Principal, key: str, body: HandoverCommand, *,
                       idempotency_key: str | None = None) -> str:
        return await self._simple(principal, key, "handover", body, idempotency_key)

    async def assign(self, principal: Principal, key: str, body: AssignCommand, *,
                     idempotency_key: str | None = None) -> str:
        await self._guard(principal, key, "assign")
        if body.assignee != principal.user_id and not principal.privileged:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "only a supervisor assigns conversations to others")
        return await self._queue(principal, key, body, idempotency_key)

    async def claim(self, principal: Principal, key: str, *, idempotency_key: str | None = None) -> str:
        conversation = await self._guard(principal, key, "claim")
        if conversation.get("assignee") not in (None, principal.user_id):
            raise HTTPException(status.HTTP_409_CONFLICT,
                                f"already assigned to {conversation.get('assignee_name') or conversation['assignee']}")
        return await self._queue(principal, key, ClaimCommand(), idempotency_key)

    async def release(self, principal: Principal, key: str, *, idempotency_key: str | None = None) -> str:
        conversation = await self._guard(principal, key, "release")
        if conversation.get("assignee") not in (None, principal.user_id) and not principal.privileged:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "only the assignee or a supervisor can release it")
        return await self._queue(principal, key, ReleaseCommand(), idempotency_key)

    async def reroute(self, principal: Principal, key: str, body: RerouteCommand, *,
                      idempotency_key: str | None = None) -> str:
        return await self._simple(principal, key, "reroute", body, idempotency_key)

    async def hide_comment(self, principal: Principal, key: str, body: HideCommentCommand, *,
                           idempotency_key: str | None = None) -> str:
        return await self._simple(principal, key, "hide_comment", body, idempotency_key)

    async def ban_author(self, principal: Principal, key: str, body: BanAuthorCommand, *,
                         idempotency_key: str | None = None) -> str:
        return await self._simple(principal, key, "ban_author", body, idempotency_key)

    async def note(self, principal: Principal, key: str, body: NoteCommand, *,
                   idempotency_key: str | None = None) -> str:
        return await self._simple(principal, key, "note", body, idempotency_key)

    async def resolve(self, principal: Principal, key: str, body: ResolveCommand | None = None, *,
                      idempotency_key: str | None = None) -> str:
        return await self._simple(principal, key, "resolve", body or ResolveCommand(), idempotency_key)

    async def close(self, principal: Principal, key: str, body: CloseCommand | None = None, *,
                    idempotency_key: str | None = None) -> str:
        return await self._simple(principal, key, "close", body or CloseCommand(), idempotency_key)

    async def close_many(self, principal: Principal, keys: list[str], body: CloseCommand, *,
                         batch: str) -> tuple[dict[str, str], dict[str, tuple[int, str]]]:
        """`close` for each conversation of `keys` (a bulk "no reply needed"): each checked and queued on its own,
        as one click on each row would be; `batch` makes a retried request the same commands. Returns
        {key: command id} queued and {key: (status, why)} refused."""
        queued: dict[str, str] = {}
        refused: dict[str, tuple[int, str]] = {}
        for key in dict.fromkeys(keys):
            try:
                one = hashlib.sha256(key.encode()).hexdigest()[:32]
                queued[key] = await self.close(principal, key, body, idempotency_key=f"bulk:{batch[:100]}:{one}")
            except HTTPException as exc:
                refused[key] = (exc.status_code, str(exc.detail))
        return queued, refused

    async def replying(self, principal: Principal, key: str, body: ReplyingCommand | None = None, *,
                       idempotency_key: str | None = None) -> str:
        return await self._simple(principal, key, "replying", body or ReplyingCommand(), idempotency_key)

    async def staff_wide(self, principal: Principal, body: BaseModel, *, idempotency_key: str | None = None) -> str:
        """A command about no one conversation (absence, freeze, unfreeze), if the person's role may."""
        action = getattr(body, "action", "")
        if not principal.may(action):
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"your role may not {action.replace('_', ' ')}")
        return await self._queue(principal, None, body, idempotency_key)
