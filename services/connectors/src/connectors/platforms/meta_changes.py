"""Edits and deletions Meta reports, read from the same verified delivery as its new messages.

- Page feed (PLATFORMS.md 1a): a change with `item` comment (or a visitor post: status, photo, video, post) and
  `verb` `edited` (some post edits arrive as `edit`) carries the new `message`; `remove` (or `delete`) says it
  is gone. Other verbs (hide, unhide, block, reactions' add/remove) are not changes of a citizen's text.
- Messenger edits (webhook field `message_edits`): `messaging[].message_edit` = `{mid, text, num_edit}`.
- Messenger and Instagram DMs unsent by their author: `messaging[].message` with `is_deleted: true`.

The Page's own posts and comments are not citizen messages: their edits are skipped. A removal the payload
attributes to the Page is kept (by the account): the Page may have removed a citizen's comment."""

from datetime import UTC, datetime

from civic_contracts import Channel, MessageRevision
from pydantic import BaseModel, ConfigDict, ValidationError

from connectors.platforms import PayloadError, meta
from connectors.platforms.revisions import Delivery, deletion, edit

EDIT_VERBS = {"edited", "edit"}
DELETE_VERBS = {"remove", "delete"}


class _MessageEdit(BaseModel):
    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True)

    mid: str
    text: str
    num_edit: str | None = None


def parse_all(body: bytes, *, now: datetime | None = None) -> Delivery:
    """New messages and reported changes in a verified Meta delivery. PayloadError (with the reason) for a body
    that is not an envelope, or a change that names no message or an edit without its text."""
    now = now or datetime.now(UTC)
    found = meta.envelope(body)
    raw = body.decode("utf-8", errors="replace")
    delivery = Delivery(messages=meta.messages_in(found, raw, now))
    channel = meta.OBJECTS[found.object]
    for entry in found.entry:
        at = _seconds(entry.time) or now
        for change in entry.changes:
            if found.object != "page" or change.field != "feed":
                continue
            try:
                value = meta._FeedValue.model_validate(change.value)
            except ValidationError as exc:
                raise meta._invalid(f"feed change in entry {entry.id} did not parse", exc) from exc
            if (r := _feed(entry.id, value, at, raw, now)) is not None:
                delivery.revisions.append(r)
        for event in entry.messaging:
            if (r := _direct(channel, entry.id, event, raw, now)) is not None:
                delivery.revisions.append(r)
    return delivery


def _seconds(value: int | float | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromtimestamp(value / 1000 if value > 10**11 else value, tz=UTC)


def _feed(page: str, value: "meta._FeedValue", at: datetime, raw: str, now: datetime) -> MessageRevision | None:
    if value.verb not in EDIT_VERBS | DELETE_VERBS:
        return None
    if value.item == "comment":
        what, platform_id = "comment", value.comment_id
        top_level = value.parent_id in (None, value.post_id)
        thread = value.comment_id if top_level else value.parent_id
    elif value.item in meta.POST_ITEMS:
        what, platform_id, thread = "post", value.post_id, value.post_id
    else:
        return None  # a reaction, share or like taken back: nobody's text changed
    if not platform_id:
        raise PayloadError(f"feed {value.verb} of a {what} in entry {page} names no {what} id")
    actor = value.from_.id if value.from_ is not None else None
    common = {"message_id": f"facebook:{page}:{platform_id}", "channel": Channel.FACEBOOK, "account_id": page,
              "platform_message_id": platform_id, "conversation_key": f"facebook:{page}:{thread}", "actor_id": actor,
              "revised_at": at, "now": now, "raw": raw}
    if value.verb in DELETE_VERBS:
        return deletion(**common)
    if actor == page:
        return None  # the Page edited its own post or reply
    if value.message is None:
        if what == "post":
            return None  # a visitor post's photo or video changed, not its words
        raise PayloadError(f"feed {value.verb} of comment {platform_id} in entry {page} has no message")
    added = value.model_copy(update={"verb": "add"})
    current = meta._feed_comment(page, added, raw, now) if what == "comment" else meta._visitor_post(page, added, raw, now)
    return edit(**common, text=value.message, message=current)


def _direct(channel: Channel, account: str, event: "meta._Messaging", raw: str, now: datetime) -> MessageRevision | None:
    sender = event.sender.id
    if sender == account:
        return None  # the account's own messages
    thread = sender if channel is Channel.MESSENGER else f"dm:{sender}"
    at = _seconds(event.timestamp) or now
    changed = (event.model_extra or {}).get("message_edit")
    if changed is not None:
        try:
            change = _MessageEdit.model_validate(changed)
        except ValidationError as exc:
            raise meta._invalid(f"message_edit from {channel.value} account {account} did not parse", exc) from exc
        current = meta._private_message(channel, account, event.model_copy(
            update={"message": meta._MessengerMessage(mid=change.mid, text=change.text)}), raw, now)
        return edit(message_id=f"{channel.value}:{account}:{change.mid}", channel=channel, account_id=account,
                    platform_message_id=change.mid, conversation_key=f"{channel.value}:{account}:{thread}",
                    text=change.text, actor_id=sender, revised_at=at, now=now, raw=raw,
                    marker=f"n{change.num_edit}" if change.num_edit else None, message=current)
    message = event.message
    if message is not None and message.is_deleted and not message.is_echo:
        return deletion(message_id=f"{channel.value}:{account}:{message.mid}", channel=channel, account_id=account,
                        platform_message_id=message.mid, conversation_key=f"{channel.value}:{account}:{thread}",
                        actor_id=sender, revised_at=at, now=now, raw=raw)
    return None
