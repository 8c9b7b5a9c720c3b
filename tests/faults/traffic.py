"""Citizen traffic for the fault suite: N signed webhook deliveries spread over every inbound webhook channel
(Facebook comments, Messenger, Instagram comments and DMs, X mentions and DMs, SMS, WhatsApp, email, web
forms), each message text carrying a unique token so it can be found again. Delivered as the platforms do:
a delivery that is not answered 2xx (or not answered at all) is sent again, the same bytes, until accepted
or until it has tried for `give_up_after` seconds; round robin over the connectors' replicas, as a load
balancer would."""

import itertools
import json
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlencode

import httpx
from faults import stack as S
from sandbox import signing, webhooks

KINDS = ("facebook_comment", "messenger", "instagram_comment", "instagram_dm", "x_mention", "x_dm", "sms",
         "whatsapp", "email", "webform")
TEXTS = ("The street light outside number {n} has been out for a week",
         "There is a pothole on the high street by the bakery, near number {n}",
         "My bins were not collected on Tuesday at {n} Mill Road",
         "Fly-tipping behind the community centre again, about {n} bags",
         "When does the library open on Saturdays? Asking for group {n}",
         "Strong smell of gas right now outside number {n} Park Lane, please send someone")  # critical: a duty alert


@dataclass
class Delivery:
    token: str
    kind: str
    path: str
    body: bytes = b""
    params: dict[str, str] | None = None  # Twilio: signed per replica URL
    headers: dict[str, str] = field(default_factory=dict)
    # Mailgun signs every delivery attempt when it sends it (new timestamp and token; a reused token is a replay,
    # 403; a timestamp older than the route's limit is stale, 401: the long run makes every delivery up front).
    sign_again: Callable[[], bytes] | None = None
    accepted: bool = False
    attempts: int = 0
    statuses: list[str] = field(default_factory=list)
    accepted_at: float | None = None


def token(run: str, i: int) -> str:
    return f"FT{run}x{i:05d}"


def make(run: str, i: int, rng: random.Random) -> Delivery:
    kind, tok = KINDS[i % len(KINDS)], token(run, i)
    text = f"{rng.choice(TEXTS).format(n=i)} (ref {tok})"
    now = int(time.time())
    user = {"id": str(rng.randint(10**8, 10**10)), "name": "Sam Hughes", "username": f"sam{i}"}
    if kind in ("facebook_comment", "messenger", "instagram_comment", "instagram_dm"):
        payload = {
            "facebook_comment": lambda: webhooks.feed_comment(S.PAGE, text, "Sam Hughes", user["id"], now, rng),
            "messenger": lambda: webhooks.messenger(S.PAGE, text, str(rng.randint(10**15, 10**16)), now, rng),
            "instagram_comment": lambda: webhooks.instagram_comment(S.INSTAGRAM, text, user["username"], user["id"], now, rng),
            "instagram_dm": lambda: webhooks.instagram_dm(S.INSTAGRAM, text, str(rng.randint(10**16, 10**17)), now, rng),
        }[kind]()
        body = json.dumps(payload).encode()
        return Delivery(tok, kind, "/webhooks/meta", body, headers=signing.meta(body, S.META_APP_SECRET))
    if kind in ("x_mention", "x_dm"):
        payload = (webhooks.x_mention(S.X_ACCOUNT, "CivicCouncil", f"@CivicCouncil {text}", user, now, rng)
                   if kind == "x_mention" else webhooks.x_dm(S.X_ACCOUNT, text, user, now, rng))
        body = json.dumps(payload).encode()
        return Delivery(tok, kind, "/webhooks/x", body, headers=signing.x(body, S.X_CONSUMER_SECRET))
    if kind in ("sms", "whatsapp"):
        params = webhooks.twilio_message(S.NUMBER, f"+4477009{rng.randint(10000, 99999)}", text, rng,
                                         whatsapp=kind == "whatsapp", profile="Sam")
        return Delivery(tok, kind, "/webhooks/twilio", urlencode(params).encode(), params=params)
    if kind == "email":
        message_id = f"{rng.getrandbits(64):x}@mail.example.org"

        def signed() -> bytes:  # signed when called (each attempt): the route refuses a stale timestamp (401)
            return urlencode(webhooks.mailgun_inbound(S.MAILBOX, f"resident{i}@example.org", "Sam Hughes", f"Report {i}",
                                                      text, S.MAILGUN_SIGNING_KEY, at=now, message_id=message_id)).encode()

        return Delivery(tok, kind, "/webhooks/email", signed(), sign_again=signed,
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    fields = webhooks.open311_request("street_lighting", text, f"{i} High Street", S.OPEN311_API_KEY,
                                      email=f"resident{i}@example.org")
    return Delivery(tok, kind, "/open311/v2/requests.json", urlencode(fields).encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"})


class Sender:
    """Delivers `deliveries` at `rate` per second on a few threads, retrying each until accepted."""

    def __init__(self, urls: list[str], deliveries: list[Delivery], *, rate: float, give_up_after: float = 240,
                 workers: int = 8) -> None:
        self.urls, self.deliveries, self.rate, self.give_up_after = urls, deliveries, rate, give_up_after
        self._next_url = itertools.cycle(range(len(urls)))
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="faults-traffic")
        self._thread = threading.Thread(target=self._pace, daemon=True)
        self.started = 0

    def start(self) -> None:
        self._thread.start()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)
        self._pool.shutdown(wait=True, cancel_futures=False)

    def _pace(self) -> None:
        t0 = time.monotonic()
        for n, delivery in enumerate(self.deliveries):
            delay = t0 + n / self.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self.started += 1
            self._pool.submit(self._deliver, delivery)

    def _deliver(self, d: Delivery) -> None:
        deadline, pause = time.monotonic() + self.give_up_after, 0.5
        with httpx.Client(timeout=15) as client:
            while time.monotonic() < deadline:
                with self._lock:
                    url = self.urls[next(self._next_url)]
                if attempt(client, url, d) is not None:
                    return
                time.sleep(pause)
                pause = min(pause * 2, 4.0)


def attempt(client: httpx.Client, url: str, d: Delivery) -> bool | None:
    """One delivery attempt to one replica: True when accepted, False when refused for good (a platform would not
    retry either: signature, validation), None when it is worth trying again (5xx, 408, 429, no answer)."""
    headers = d.headers
    if d.params is not None:  # Twilio signs the URL it calls
        headers = signing.twilio(url + d.path, d.params, S.TWILIO_AUTH_TOKEN)
    body = d.sign_again() if d.sign_again is not None else d.body
    d.attempts += 1
    try:
        response = client.post(url + d.path, content=body, headers=headers)
    except httpx.HTTPError as exc:
        d.statuses.append(type(exc).__name__)
        return None
    d.statuses.append(str(response.status_code))
    if response.status_code < 300:
        d.accepted, d.accepted_at = True, time.monotonic()
        return True
    if 400 <= response.status_code < 500 and response.status_code not in (408, 429):
        return False
    return None


def deliver_to(url: str, d: Delivery, *, within: float) -> bool:
    """Deliver `d` to this one replica, retrying for `within` seconds: whether that replica accepted it."""
    deadline = time.monotonic() + within
    with httpx.Client(timeout=15) as client:
        while time.monotonic() < deadline:
            if (outcome := attempt(client, url, d)) is not None:
                return outcome
            time.sleep(1)
    return False
