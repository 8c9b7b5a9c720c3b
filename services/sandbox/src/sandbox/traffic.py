"""Sample traffic: realistic, correctly signed Meta webhooks (Page comments and Messenger messages) posted
to the connectors, so a fresh inbox fills. `civic-sample-traffic --help`."""

import argparse
import hashlib
import hmac
import json
import random
import sys
import time

import httpx

from sandbox.citizens import MESSAGES

NAMES = ["Sam Hughes", "Priya Shah", "Gareth Jones", "Chloe Evans", "Tom Okafor", "Aisha Khan", "Dylan Price",
         "Megan Williams", "Olu Adeyemi", "Rhys Morgan", "Hannah Clarke", "Jake Murphy"]


def feed_comment(page_id: str, text: str, author: str, author_id: str, at: int, rng: random.Random) -> dict:
    post = f"{page_id}_{rng.randint(10**9, 10**10)}"
    comment = f"{post}_{rng.randint(10**11, 10**12)}"
    return {"object": "page", "entry": [{"id": page_id, "time": at, "changes": [{"field": "feed", "value": {
        "item": "comment", "verb": "add", "comment_id": comment, "post_id": post, "parent_id": post,
        "from": {"id": author_id, "name": author}, "message": text, "created_time": at, "is_hidden": False,
        "permalink_url": f"https://www.facebook.com/{page_id}/posts/{post.split('_')[1]}?comment_id={comment.split('_')[2]}",
    }}]}]}


def messenger(page_id: str, text: str, psid: str, at: int, rng: random.Random) -> dict:
    return {"object": "page", "entry": [{"id": page_id, "time": at * 1000, "messaging": [{
        "sender": {"id": psid}, "recipient": {"id": page_id}, "timestamp": at * 1000,
        "message": {"mid": f"m_{rng.getrandbits(64):016x}", "text": text},
    }]}]}


def signed(body: bytes, app_secret: str) -> dict[str, str]:
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={digest}"}


def generate(page_id: str, count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    now = int(time.time())
    payloads = []
    for i in range(count):
        _, text = MESSAGES[i % len(MESSAGES)] if i < len(MESSAGES) else rng.choice(MESSAGES)
        name = rng.choice(NAMES)
        at = now - rng.randint(0, 36 * 3600)
        if rng.random() < 0.55:
            payloads.append(feed_comment(page_id, text, name, str(rng.randint(10**9, 10**10)), at, rng))
        else:
            payloads.append(messenger(page_id, text, str(rng.randint(10**15, 10**16)), at, rng))
    return payloads


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8081/webhooks/meta", help="Meta webhook of the connectors")
    parser.add_argument("--app-secret", required=True, help="Meta App Secret the connectors verify with")
    parser.add_argument("--page-id", default="104729113", help="The organisation's Facebook Page id")
    parser.add_argument("--count", type=int, default=len(MESSAGES), help="How many messages to send")
    parser.add_argument("--seed", type=int, default=7, help="Random seed (same seed, same messages; a delivery of the same seed twice is deduplicated downstream)")
    parser.add_argument("--wait", type=float, default=60.0, help="Seconds to wait for the connectors to be ready")
    args = parser.parse_args(argv)

    with httpx.Client(timeout=10) as client:
        deadline = time.monotonic() + args.wait
        health = args.url.split("/webhooks/")[0] + "/healthz"
        while True:
            try:
                if client.get(health).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                print(f"connectors not ready at {health}", file=sys.stderr)
                return 1
            time.sleep(0.5)
        sent = failed = 0
        for payload in generate(args.page_id, args.count, args.seed):
            body = json.dumps(payload, ensure_ascii=True).encode()
            response = client.post(args.url, content=body, headers=signed(body, args.app_secret))
            if response.status_code == 200:
                sent += 1
            else:
                failed += 1
                print(f"rejected ({response.status_code}): {response.text}", file=sys.stderr)
    print(f"sample traffic: {sent} signed Meta webhooks delivered, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
