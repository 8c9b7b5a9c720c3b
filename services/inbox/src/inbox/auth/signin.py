"""Signing in with a username and password: one path for the API and the web form.

Throttled first (`throttle`, counted before the password is checked), then the Argon2id check off the event
loop, the same answer for an unknown username, a wrong password and a disabled account (401), and the same
429 with Retry-After when the throttle refuses, whoever the username belongs to. Failures are logged with the
client address, never with what was typed."""

import logging
import math

from civic_eventing.http_edge import address_bucket, client_address, parse_networks
from fastapi import HTTPException, Request, status

from inbox.auth.passwords import hash_password_async, needs_rehash, verify_password_async

log = logging.getLogger(__name__)
WRONG = "wrong username or password"
TOO_MANY = "too many sign-in attempts; try again later"


def caller_address(request: Request) -> str:
    """The client's address (`X-Forwarded-For` believed only from `trusted_proxies`)."""
    return client_address(request, parse_networks(request.app.state.settings.trusted_proxies))


async def sign_in(request: Request, username: str, password: str) -> dict:
    """The staff account for these credentials, or HTTPException 401 (wrong) / 429 (throttled)."""
    users, throttle = request.app.state.users, request.app.state.signin_throttle
    address = caller_address(request)
    bucket = address_bucket(address)
    wait = await throttle.admit(username, bucket)
    if wait is not None:
        log.warning("sign-in refused by the throttle for a client at %s", address)
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, TOO_MANY,
                            headers={"Retry-After": str(math.ceil(wait))})
    user = await users.get(username)
    ok = await verify_password_async((user or {}).get("password_hash"), password)
    if not ok or user is None or user.get("active") is False:
        log.info("sign-in failed for a client at %s", address)
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, WRONG)
    if needs_rehash(user["password_hash"]):
        await users.set_password_hash(user["_id"], await hash_password_async(password))
    await throttle.succeeded(username, bucket)
    log.info("sign-in by %s from %s", user["_id"], address)
    return user
