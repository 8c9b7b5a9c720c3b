"""The outbound runtime: carries out each `OutboundCommand` once and reports how it went.

1. The command id is claimed in the outbox (unique `_id`); a second delivery of the same command finds it
   there and does nothing but make sure its status was published (one still in flight here is left to it).
2. While the account is paused by a rate limit, the command waits; nothing is sent (calling a throttled
   platform only extends the block).
3. The platform module sends it (or refuses it: closed messaging window, unsupported action).
4. The outcome is stored, then published on `reply.status.v1`: sent (platform id), failed (platform error),
   or waiting (rate-limited or transient, with `retry_at`; or refused by a window, with no `retry_at`).
Waiting commands are picked up again by `run_retries` when due, so a throttled send is delayed, never dropped.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

import httpx
from civic_contracts import Channel
from civic_contracts.outbound import OutboundCommand, ReplyStatus, SendStatus

from connectors.adapters.outbox import FAILED, REFUSED, SENT, WAITING
from connectors.health import HealthTracker
from connectors.outbound import email, meta, twilio, webform, x, youtube
from connectors.outbound.context import Context, serves
from connectors.outbound.errors import (
    AwaitingReconnect,
    OutsideWindow,
    RateLimited,
    Rejected,
    SendError,
    Sent,
    Transient,
)
from connectors.publishing import Publisher

log = logging.getLogger(__name__)
PlatformSend = Callable[[Context, OutboundCommand], Awaitable[Sent]]

PLATFORMS: dict[Channel, PlatformSend] = {
    Channel.FACEBOOK: meta.send, Channel.MESSENGER: meta.send, Channel.INSTAGRAM: meta.send,
    Channel.X: x.send, Channel.YOUTUBE: youtube.send, Channel.SMS: twilio.send, Channel.WHATSAPP: twilio.send,
    Channel.EMAIL: email.send, Channel.WEBFORM: webform.send,
}
STATUS_OF = {SENT: SendStatus.SENT, FAILED: SendStatus.FAILED, WAITING: SendStatus.WAITING, REFUSED: SendStatus.WAITING}


class Sender:
    def __init__(self, ctx: Context, *, publisher: Publisher, health: HealthTracker,
                 platforms: dict[Channel, PlatformSend] | None = None) -> None:
        self.ctx = ctx
        self.outbox = ctx.stores.outbox
        self.publisher = publisher
        self.health = health
        self.platforms = platforms or PLATFORMS
        self.in_flight: set[str] = set()  # commands this process is carrying out right now

    async def handle(self, command: OutboundCommand) -> None:
        """One command from Kafka. Raises only when storage or Kafka fail (the consumer retries it)."""
        if command.id in self.in_flight:
            # Delivered again while this process is still on it: that delivery sends and publishes the status
            # (or raises, and the consumer retries it), so this one would only publish the status twice.
            log.info("outbound: command %s is already being carried out here", command.id)
            return
        self.in_flight.add(command.id)
        try:
            await self._handle(command)
        finally:
            self.in_flight.discard(command.id)

    async def _handle(self, command: OutboundCommand) -> None:
        if self.ctx.settings.outbound_only_own_accounts and not serves(self.ctx.settings, command, self.ctx.tokens):
            log.debug("outbound: %s is for %s account %s, served elsewhere", command.id, command.channel.value,
                      command.account_id)
            return
        if await self.outbox.claim_new(command) is None:
            existing = await self.outbox.get(command.id)
            log.info("outbound: command %s already %s", command.id, existing and existing["state"])
            if existing and existing["state"] in STATUS_OF and not existing.get("status_published"):
                await self._publish(command, existing)
            return
        await self.attempt(command, attempts=0)

    async def attempt(self, command: OutboundCommand, *, attempts: int) -> None:
        channel, account = command.channel, command.account_id
        paused = await self.outbox.paused_until(channel.value, account, self.ctx.now())
        if paused is not None:
            await self._finish(command, WAITING, attempted=False, next_attempt_at=paused, error_code="rate_limited",
                               error_message=f"{channel.value} account {account} is paused by a rate limit")
            return
        try:
            try:
                sent = await self.platforms[channel](self.ctx, command)
            except httpx.HTTPError as exc:
                raise Transient("network", f"{type(exc).__name__}: {exc}") from exc
        except SendError as exc:
            await self._failed(command, exc, attempts=attempts + 1)
            return
        self.health.success(channel, account)
        self.health.sent(channel, account)  # watched for bursts
        if sent.platform_message_id:
            await self.ctx.stores.ledger.remember(channel.value, account, sent.platform_message_id, command.conversation_key)
        await self._finish(command, SENT, platform_message_id=sent.platform_message_id, error_code=None,
                           error_message=None, next_attempt_at=None)

    async def _failed(self, command: OutboundCommand, exc: SendError, *, attempts: int) -> None:
        channel, account = command.channel, command.account_id
        fields = {"error_code": exc.code, "error_message": exc.message}
        if isinstance(exc, OutsideWindow):
            await self._finish(command, REFUSED, next_attempt_at=None, **fields)
        elif isinstance(exc, AwaitingReconnect):  # health is already red for the account; nothing is counted
            await self._finish(command, WAITING, next_attempt_at=exc.until, **fields)
        elif isinstance(exc, RateLimited):
            await self.outbox.pause(channel.value, account, exc.until)
            self.health.rate_limited(channel, account, exc.until, f"{exc.code}: {exc.message}")
            await self._finish(command, WAITING, next_attempt_at=exc.until, **fields)
        elif isinstance(exc, Rejected) and exc.credentials and attempts <= 1 and self.ctx.tokens is not None and \
                (retry_at := await self.ctx.tokens.after_rejection(channel.value, account)) is not None:
            await self._finish(command, WAITING, next_attempt_at=retry_at, **fields)  # renewed (or red): once more
        elif isinstance(exc, Transient) and attempts < self.ctx.settings.max_send_attempts:
            self.health.failure(channel, account, f"{exc.code}: {exc.message}")
            backoff = self.ctx.settings.default_backoff_seconds * 2 ** (attempts - 1)
            await self._finish(command, WAITING, next_attempt_at=self.ctx.later(backoff), **fields)
        else:
            credentials = isinstance(exc, Rejected) and exc.credentials
            self.health.failure(channel, account, f"{exc.code}: {exc.message}", credentials=credentials)
            await self._finish(command, FAILED, next_attempt_at=None, **fields)

    async def _finish(self, command: OutboundCommand, state: str, *, attempted: bool = True, **fields) -> None:
        log.info("outbound: %s %s on %s -> %s %s", command.id, command.action.value, command.channel.value, state,
                 fields.get("error_code") or fields.get("platform_message_id") or "")
        await self.outbox.record(command.id, state, attempted=attempted, **fields)
        await self._publish(command, {"state": state, **fields})

    async def _publish(self, command: OutboundCommand, doc: dict) -> None:
        state = doc["state"]
        status = ReplyStatus(
            command_id=command.id, conversation_key=command.conversation_key, channel=command.channel,
            status=STATUS_OF[state], platform_message_id=doc.get("platform_message_id"),
            error_code=doc.get("error_code"), error_message=doc.get("error_message"),
            retry_at=doc.get("next_attempt_at") if state == WAITING else None, at=self.ctx.now(),
        )
        await self.publisher.status(status)  # PublishFailed propagates: the consumer (or the scan) retries
        await self.outbox.mark_published(command.id)

    async def run_retries(self) -> None:
        """Forever: send waiting commands as they fall due (and finish any whose process died mid-send)."""
        while True:
            try:
                doc = await self.outbox.claim_due(self.ctx.now())
                if doc is None:
                    await self._republish_unpublished()
                    await asyncio.sleep(self.ctx.settings.retry_scan_seconds)
                    continue
                await self.attempt(OutboundCommand.model_validate(doc["command"]), attempts=doc.get("attempts", 0))
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - keep scanning; the command stays claimed
                task = asyncio.current_task()
                if task is not None and task.cancelling():  # the driver turned our cancellation into an error
                    raise asyncio.CancelledError from exc
                log.warning("outbound: retry scan failed: %s: %s", type(exc).__name__, exc)
                await asyncio.sleep(max(self.ctx.settings.retry_scan_seconds, 1.0))

    async def _republish_unpublished(self) -> None:
        """Statuses whose publish failed (Kafka was away) are published again."""
        cutoff = self.ctx.now() - timedelta(seconds=10)
        cursor = self.outbox.commands.find({"status_published": False, "state": {"$in": list(STATUS_OF)},
                                            "updated_at": {"$lt": cutoff}}).limit(20)
        async for doc in cursor:
            await self._publish(OutboundCommand.model_validate(doc["command"]), doc)
