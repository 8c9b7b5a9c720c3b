"""Handing on what a verified webhook carried: publish the messages, or dead-letter an unparseable payload,
or answer 503 when Kafka does not take it so the platform retries. Shared by every webhook route."""

import logging
from collections.abc import Awaitable, Callable, Sequence

from civic_contracts import InboundMessage
from fastapi import Request, Response

from connectors.platforms import PayloadError
from connectors.publishing import Publisher, PublishFailed

log = logging.getLogger(__name__)
Parse = Callable[[], Awaitable[Sequence[InboundMessage]]]


def text(body: str, status_code: int = 200, media_type: str = "text/plain") -> Response:
    return Response(body, status_code=status_code, media_type=media_type)


async def deliver(
    request: Request, *, source: str, body: bytes, parse: Parse, ok: Callable[[], Response],
    accepted: Callable[[], Response] | None = None,
) -> Response:
    """Runs `parse` (raising PayloadError for what it cannot read) and publishes the messages.

    `ok` builds the platform's success answer; `accepted` the answer after dead-lettering (default: `ok`)."""
    publisher: Publisher = request.app.state.publisher
    platform = source.rsplit("/", 1)[-1]
    try:
        try:
            messages = await parse()
        except PayloadError as exc:
            log.warning("%s: dead-lettering an unparseable delivery: %s", platform, exc)
            headers = {"content-type": request.headers.get("content-type", "")}
            await publisher.unparseable(source=source, body=body, reason=str(exc), headers=headers)
            return (accepted or ok)()
        await publisher.messages(messages)
    except PublishFailed as exc:
        log.error("%s: publish failed, asking the platform to retry: %s", platform, exc)
        return text("temporarily unavailable", 503)
    for m in messages:
        request.app.state.health.event(m.channel, m.account_id)
    return ok()
