"""Webhook deliveries as each platform shapes them (PLATFORMS.md): Meta (Page feed comments and visitor posts, their edits
and removals, Messenger, Instagram comments and DMs), X account activity (mentions, DMs, deleted posts), Twilio (SMS,
WhatsApp), Mailgun routes, Open311."""

import json
import random
import secrets
from datetime import UTC, datetime

from sandbox import signing


def feed_comment(page_id: str, text: str, author: str, author_id: str, at: int, rng: random.Random) -> dict:
    post = f"{page_id}_{rng.randint(10**9, 10**10)}"
    comment = f"{post}_{rng.randint(10**11, 10**12)}"
    return {"object": "page", "entry": [{"id": page_id, "time": at, "changes": [{"field": "feed", "value": {
        "item": "comment", "verb": "add", "comment_id": comment, "post_id": post, "parent_id": post,
        "from": {"id": author_id, "name": author}, "message": text, "created_time": at, "is_hidden": False,
        "permalink_url": f"https://www.facebook.com/{page_id}/posts/{post.split('_')[1]}?comment_id={comment.split('_')[2]}",
    }}]}]}


def feed_comment_change(delivered: dict, verb: str, at: int, text: str | None = None) -> dict:
    """A later change of a delivered feed comment, as Meta reports it: the same comment with `verb` `edited` (and
    its new `message`) or `remove` (no message)."""
    entry = delivered["entry"][0]
    value = {k: v for k, v in entry["changes"][0]["value"].items() if k not in ("message", "permalink_url", "is_hidden")}
    value["verb"] = verb
    if text is not None:
        value["message"] = text
    return {"object": "page", "entry": [{"id": entry["id"], "time": at, "changes": [{"field": "feed", "value": value}]}]}


def visitor_post(page_id: str, text: str, author: str, author_id: str, at: int, rng: random.Random) -> dict:
    """Someone posting on the Page's wall (Page feed `item: status`, `verb: add`, from someone else)."""
    post = f"{page_id}_{rng.randint(10**9, 10**10)}"
    return {"object": "page", "entry": [{"id": page_id, "time": at, "changes": [{"field": "feed", "value": {
        "from": {"id": author_id, "name": author}, "item": "status", "post_id": post, "verb": "add", "published": 1,
        "created_time": at, "is_hidden": False, "message": text,
    }}]}]}


def messenger(page_id: str, text: str, psid: str, at: int, rng: random.Random) -> dict:
    return {"object": "page", "entry": [{"id": page_id, "time": at * 1000, "messaging": [{
        "sender": {"id": psid}, "recipient": {"id": page_id}, "timestamp": at * 1000,
        "message": {"mid": f"m_{rng.getrandbits(64):016x}", "text": text},
    }]}]}


def instagram_comment(ig_id: str, text: str, username: str, user_id: str, at: int, rng: random.Random) -> dict:
    return {"object": "instagram", "entry": [{"id": ig_id, "time": at, "changes": [{"field": "comments", "value": {
        "id": str(rng.randint(17_850_000_000_000_000, 17_990_000_000_000_000)), "from": {"id": user_id, "username": username},
        "text": text, "media": {"id": str(rng.randint(17_800_000_000_000_000, 17_849_999_999_999_999)),
                                "media_product_type": "FEED"},
    }}]}]}


def instagram_dm(ig_id: str, text: str, igsid: str, at: int, rng: random.Random) -> dict:
    return {"object": "instagram", "entry": [{"id": ig_id, "time": at * 1000, "messaging": [{
        "sender": {"id": igsid}, "recipient": {"id": ig_id}, "timestamp": at * 1000,
        "message": {"mid": f"aWdfZAG1faXRlbToxOklH{rng.getrandbits(64):016x}", "text": text},
    }]}]}


def _tweet_time(at: int) -> str:
    return datetime.fromtimestamp(at, tz=UTC).strftime("%a %b %d %H:%M:%S +0000 %Y")


def x_mention(account: str, handle: str, text: str, user: dict, at: int, rng: random.Random) -> dict:
    tweet_id = str(rng.randint(10**18, 2 * 10**18))
    start = text.find(f"@{handle}")
    mention = {"id_str": account, "screen_name": handle, "indices": [start, start + len(handle) + 1]}
    return {"for_user_id": account, "user_has_blocked": "false", "tweet_create_events": [{
        "id_str": tweet_id, "id": int(tweet_id), "created_at": _tweet_time(at), "text": text, "truncated": False,
        "in_reply_to_status_id_str": None, "in_reply_to_user_id_str": None,
        "user": {"id_str": user["id"], "screen_name": user["username"], "name": user["name"]},
        "entities": {"user_mentions": [mention] if start >= 0 else [], "hashtags": [], "urls": []},
    }]}


def x_tweet_delete(account: str, delivered: dict, at: int) -> dict:
    """X's report that the author of a delivered mention deleted it (`tweet_delete_events`)."""
    tweet = delivered["tweet_create_events"][0]
    return {"for_user_id": account, "tweet_delete_events": [{
        "status": {"id": tweet["id_str"], "user_id": tweet["user"]["id_str"]}, "timestamp_ms": str(at * 1000),
    }]}


def x_dm(account: str, text: str, user: dict, at: int, rng: random.Random) -> dict:
    return {"for_user_id": account, "direct_message_events": [{
        "type": "message_create", "id": str(rng.randint(10**18, 2 * 10**18)), "created_timestamp": str(at * 1000),
        "message_create": {"target": {"recipient_id": account}, "sender_id": user["id"],
                           "message_data": {"text": text, "entities": {"hashtags": [], "urls": []}}},
    }], "users": {user["id"]: {"id": user["id"], "name": user["name"], "screen_name": user["username"]}}}


def twilio_message(account: str, citizen: str, text: str, rng: random.Random, *, whatsapp: bool = False,
                   profile: str | None = None) -> dict[str, str]:
    prefix = "whatsapp:" if whatsapp else ""
    sid = f"SM{rng.getrandbits(128):032x}"
    params = {"MessageSid": sid, "SmsMessageSid": sid, "SmsSid": sid, "AccountSid": f"AC{'0' * 31}1",
              "From": prefix + citizen, "To": prefix + account, "Body": text, "NumMedia": "0", "NumSegments": "1",
              "SmsStatus": "received", "ApiVersion": "2010-04-01", "FromCountry": "GB", "ToCountry": "GB"}
    if whatsapp:
        params.update(ProfileName=profile or "Citizen", WaId=citizen.lstrip("+"), MessageType="text")
    return params


def mailgun_inbound(mailbox: str, sender: str, name: str, subject: str, body: str, signing_key: str, *,
                    at: int, message_id: str, in_reply_to: str | None = None, references: str | None = None) -> dict[str, str]:
    timestamp, token = str(int(datetime.now(UTC).timestamp())), secrets.token_hex(25)
    date = datetime.fromtimestamp(at, tz=UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    headers = [["From", f"{name} <{sender}>"], ["To", mailbox], ["Subject", subject], ["Date", date],
               ["Message-Id", f"<{message_id}>"]]
    if in_reply_to:
        headers.append(["In-Reply-To", in_reply_to])
    if references:
        headers.append(["References", references])
    return {"recipient": mailbox, "sender": sender, "from": f"{name} <{sender}>", "subject": subject,
            "body-plain": body, "stripped-text": body, "message-headers": json.dumps(headers),
            "attachment-count": "0", "timestamp": timestamp, "token": token,
            "signature": signing.mailgun(timestamp, token, signing_key)}


def open311_request(service_code: str, description: str, address: str, api_key: str, *, email: str | None = None,
                    first_name: str | None = None) -> dict[str, str]:
    fields = {"api_key": api_key, "service_code": service_code, "description": description, "address_string": address}
    if email:
        fields["email"] = email
    if first_name:
        fields["first_name"] = first_name
    return fields
