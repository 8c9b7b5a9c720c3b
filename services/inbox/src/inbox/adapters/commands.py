"""Turning a staff action into an `InboxCommand` on Kafka, and following it.

The command id is random, or derived from the caller's `Idempotency-Key` (per person), so a double click
or a retried request yields the same command, which responder carries out once. The inbox keeps a receipt
of each command it published (`command_receipts`: who, what, when); responder's `commands` ledger says
how it went."""

import uuid
from datetime import UTC, datetime

from civic_contracts import InboxCommand
from civic_contracts.topics import INBOX_COMMAND
from civic_eventing import BrokerKeeper
from pymongo import AsyncMongoClient
from pymongo.errors import DuplicateKeyError

from inbox.auth.principal import Principal

NAMESPACE = uuid.UUID("6f1c2a8e-6c55-4d0e-9a57-1d5c0e2b7a10")


class NotQueued(Exception):
    """Kafka did not take the command; nothing was done."""


class KeyReused(Exception):
    """The idempotency key was used before for another action or conversation."""


class CommandBus:
    def __init__(self, client: AsyncMongoClient, database: str, keeper: BrokerKeeper) -> None:
        db = client[database]
        self.receipts = db["command_receipts"]
        self.ledger = db["commands"]
        self.keeper = keeper

    async def send(self, principal: Principal, body, *, conversation_key: str | None,
                   idempotency_key: str | None = None) -> str:
        """Publish the command; returns its id (the same id for a repeated idempotency key)."""
        if idempotency_key:
            command_id = str(uuid.uuid5(NAMESPACE, f"{principal.user_id}\x00{idempotency_key}"))
        else:
            command_id = str(uuid.uuid4())
        command = InboxCommand(id=command_id, conversation_key=conversation_key, actor=principal.actor(),
                               issued_at=datetime.now(UTC), body=body)
        receipt = {"_id": command_id, "actor_id": principal.user_id, "action": body.action,
                   "conversation_key": conversation_key, "issued_at": command.issued_at, "published": False}
        try:
            await self.receipts.insert_one(receipt)
        except DuplicateKeyError:
            earlier = await self.receipts.find_one({"_id": command_id}) or {}
            if (earlier.get("action"), earlier.get("conversation_key")) != (body.action, conversation_key):
                raise KeyReused("this Idempotency-Key was used for another action") from None
            if earlier.get("published"):
                return command_id  # already on Kafka: responder will carry it out once
        if not self.keeper.connected.is_set():
            raise NotQueued(self.keeper.last_error or "Kafka is not connected yet")
        try:
            await self.keeper.broker.publish(command, topic=INBOX_COMMAND.name, key=command.kafka_key())
        except Exception as exc:  # noqa: BLE001 - reported to the caller as 503
            raise NotQueued(f"{type(exc).__name__}: {exc}") from exc
        await self.receipts.update_one({"_id": command_id}, {"$set": {"published": True}})
        return command_id

    async def follow(self, command_id: str) -> tuple[dict | None, dict | None]:
        """(the inbox's receipt, responder's ledger entry) of a command."""
        return await self.receipts.find_one({"_id": command_id}), await self.ledger.find_one({"_id": command_id})
