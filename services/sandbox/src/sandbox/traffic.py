"""Sample traffic: a day of realistic citizen messages on every channel, delivered to the connectors as the
platforms deliver them and correctly signed: Meta (Page comments, Messenger, Instagram comments and DMs), X
(mentions and DMs), Twilio (SMS, WhatsApp), Mailgun (email) and Open311 (web forms). A channel is sent only
when its secret is given. `civic-sample-traffic --help`."""

import argparse
import json
import random
import sys
import time
from urllib.parse import urlencode

import httpx

from sandbox import channels, signing, webhooks
from sandbox.citizens import MESSAGES
from sandbox.seed import NAMES


def generate(page_id: str, count: int, seed: int) -> list[dict]:
    """Meta Page comments and Messenger messages (the original sample traffic)."""
    rng = random.Random(seed)
    now = int(time.time())
    payloads = []
    for i in range(count):
        _, text = MESSAGES[i % len(MESSAGES)] if i < len(MESSAGES) else rng.choice(MESSAGES)
        name = rng.choice(NAMES)
        at = now - rng.randint(0, 24 * 3600)
        if rng.random() < 0.55:
            payloads.append(webhooks.feed_comment(page_id, text, name, str(rng.randint(10**9, 10**10)), at, rng))
        else:
            payloads.append(webhooks.messenger(page_id, text, str(rng.randint(10**15, 10**16)), at, rng))
    return payloads


def _user(rng: random.Random) -> dict:
    name = rng.choice(NAMES)
    return {"id": str(rng.randint(10**8, 10**10)), "name": name, "username": name.replace(" ", "").lower()}


def requests_for(args: argparse.Namespace, rng: random.Random) -> list[tuple[str, str, bytes, dict[str, str]]]:
    """(label, path, body, headers) of every delivery to make, oldest first within each channel."""
    now = int(time.time())
    day = lambda: now - rng.randint(60, 24 * 3600)  # noqa: E731
    out: list[tuple[str, str, bytes, dict[str, str]]] = []
    if args.app_secret:
        payloads = generate(args.page_id, args.count, args.seed)
        payloads += [webhooks.instagram_comment(args.instagram_id, t, _user(rng)["username"], str(rng.randint(10**16, 10**17)), day(), rng)
                     for _, t in channels.INSTAGRAM_COMMENTS]
        payloads += [webhooks.instagram_dm(args.instagram_id, t, str(rng.randint(10**16, 10**17)), day(), rng)
                     for _, t in channels.INSTAGRAM_DMS]
        payloads += [webhooks.visitor_post(args.page_id, t, _user(rng)["name"], str(rng.randint(10**9, 10**10)), day(), rng)
                     for _, t in channels.VISITOR_POSTS]
        # Citizens change their minds: the first comment edited, the second removed by its author.
        comments = [p for p in payloads if p["entry"][0].get("changes", [{}])[0].get("value", {}).get("item") == "comment"]
        if len(comments) >= 2:
            first = comments[0]["entry"][0]["changes"][0]["value"]
            payloads.append(webhooks.feed_comment_change(comments[0], "edited", now, f"{first['message']} (edited: still not sorted)"))
            payloads.append(webhooks.feed_comment_change(comments[1], "remove", now))
        for p in payloads:
            body = json.dumps(p, ensure_ascii=True).encode()
            out.append(("meta", "/webhooks/meta", body, signing.meta(body, args.app_secret)))
    if args.x_consumer_secret:
        payloads = [webhooks.x_mention(args.x_account, args.x_handle, t.format(handle=args.x_handle), _user(rng), day(), rng)
                    for _, t in channels.TWEETS[:5]]
        payloads += [webhooks.x_dm(args.x_account, t, _user(rng), day(), rng) for _, t in channels.X_DMS]
        payloads.append(webhooks.x_tweet_delete(args.x_account, payloads[0], now))  # the first mention, deleted
        for p in payloads:
            body = json.dumps(p, ensure_ascii=False).encode()
            out.append(("x", "/webhooks/x", body, signing.x(body, args.x_consumer_secret)))
    if args.twilio_auth_token:
        url = args.twilio_public_url or f"{args.connectors.rstrip('/')}/webhooks/twilio"
        params = [webhooks.twilio_message(args.sms_number, f"+4477009{rng.randint(10000, 99999)}", t, rng) for _, t in channels.SMS]
        params += [webhooks.twilio_message(args.sms_number, f"+4477009{rng.randint(10000, 99999)}", t, rng, whatsapp=True,
                                           profile=rng.choice(NAMES).split()[0]) for _, t in channels.WHATSAPP]
        for p in params:
            out.append(("twilio", "/webhooks/twilio", urlencode(p).encode(), signing.twilio(url, p, args.twilio_auth_token)))
    if args.mailgun_signing_key:
        for i, (_, subject, text) in enumerate(channels.EMAILS):
            name = rng.choice(NAMES)
            sender = f"{name.split()[0].lower()}.{i}@example.org"
            fields = webhooks.mailgun_inbound(args.mailbox, sender, name, subject, f"{text}\n{name}", args.mailgun_signing_key,
                                              at=day(), message_id=f"{rng.getrandbits(64):x}@mail.example.org")
            out.append(("email", "/webhooks/email", urlencode(fields).encode(),
                        {"Content-Type": "application/x-www-form-urlencoded"}))
    if args.open311_api_key:
        for code, text, address in channels.WEB_FORMS:
            fields = webhooks.open311_request(code, text, address, args.open311_api_key,
                                              email=f"resident{rng.randint(100, 999)}@example.org")
            out.append(("webform", "/open311/v2/requests.json", urlencode(fields).encode(),
                        {"Content-Type": "application/x-www-form-urlencoded"}))
    return out


def _wait(client: httpx.Client, health: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if client.get(health).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--connectors", default="http://127.0.0.1:8081", help="Base URL of the connectors")
    parser.add_argument("--url", default=None, help="(legacy) the Meta webhook URL; sets --connectors")
    parser.add_argument("--app-secret", "--meta-app-secret", dest="app_secret", help="Meta App Secret (Facebook, Messenger, Instagram)")
    parser.add_argument("--page-id", default="104729113", help="The organisation's Facebook Page id")
    parser.add_argument("--instagram-id", default="17841400000000001", help="The organisation's Instagram account id")
    parser.add_argument("--x-consumer-secret", help="X app consumer secret (mentions and DMs)")
    parser.add_argument("--x-account", default="1456000000000000001", help="The organisation's X account id")
    parser.add_argument("--x-handle", default="CivicCouncil", help="The organisation's X handle")
    parser.add_argument("--twilio-auth-token", help="Twilio Auth Token (SMS and WhatsApp)")
    parser.add_argument("--twilio-public-url", help="URL Twilio signs (default: <connectors>/webhooks/twilio)")
    parser.add_argument("--sms-number", default="+447700900100", help="The organisation's SMS / WhatsApp number")
    parser.add_argument("--mailgun-signing-key", help="Mailgun webhook signing key (email)")
    parser.add_argument("--mailbox", default="contact@council.example.gov.uk", help="The organisation's mailbox")
    parser.add_argument("--open311-api-key", help="Open311 API key (web forms)")
    parser.add_argument("--count", type=int, default=len(MESSAGES), help="How many Page comments and Messenger messages")
    parser.add_argument("--seed", type=int, default=7, help="Random seed (same seed, same messages; a delivery of the same seed twice is deduplicated downstream)")
    parser.add_argument("--wait", type=float, default=60.0, help="Seconds to wait for the connectors to be ready")
    args = parser.parse_args(argv)
    if args.url:
        args.connectors = args.url.split("/webhooks/")[0]
    rng = random.Random(args.seed)
    tally: dict[str, list[int]] = {}
    with httpx.Client(timeout=10) as client:
        if not _wait(client, f"{args.connectors.rstrip('/')}/healthz", args.wait):
            print(f"connectors not ready at {args.connectors}", file=sys.stderr)
            return 1
        for label, path, body, headers in requests_for(args, rng):
            response = client.post(args.connectors.rstrip("/") + path, content=body, headers=headers)
            ok = response.status_code < 300
            tally.setdefault(label, [0, 0])[0 if ok else 1] += 1
            if not ok:
                print(f"{label} rejected ({response.status_code}): {response.text[:200]}", file=sys.stderr)
    summary = ", ".join(f"{label} {good} delivered" + (f" ({bad} failed)" if bad else "") for label, (good, bad) in tally.items())
    print(f"sample traffic: {summary or 'nothing to send (no secrets given)'}")
    return 0 if all(bad == 0 for _, bad in tally.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
