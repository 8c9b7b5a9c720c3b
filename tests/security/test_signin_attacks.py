"""Brute force and password spraying against both sign-ins (API and web form), on the real store: one throttle
for both, per (account, address) and per address, the same answers for unknown and known usernames, no
lockout an attacker can impose on the account's owner, X-Forwarded-For believed only from trusted proxies,
and Argon2 off the event loop."""

import re
import threading
import uuid

import httpx
import pytest
from inbox.auth import passwords
from support.system import System

pytestmark = pytest.mark.integration


def from_address(system: System, address: str, app=None) -> httpx.AsyncClient:
    c = httpx.AsyncClient(transport=httpx.ASGITransport(app=app or system.apps["inbox"], client=(address, 50000)),
                          base_url="http://inbox.test")
    system.clients.append(c)
    return c


async def new_user(system: System, role: str = "admin") -> tuple[str, str]:
    user, password = f"u-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    await system.apps["inbox"].state.users.create_user(user_id=user, name="Target", role=role, password=password,
                                                       departments=["*"])
    return user, password


async def api_attempts(c: httpx.AsyncClient, user: str, passwords_tried: list[str]) -> list[httpx.Response]:
    return [await c.post("/api/auth/login", json={"username": user, "password": p}) for p in passwords_tried]


async def test_brute_force_on_the_api_stops_the_attacker_not_the_owner(system: System) -> None:
    admin, password = await new_user(system, "admin")
    attacker = from_address(system, "198.51.100.21")
    answers = await api_attempts(attacker, admin, [f"guess-{i}" for i in range(5)] + [password, "guess-6"])
    assert [r.status_code for r in answers] == [401] * 5 + [429, 429]  # even the right password, from there
    assert int(answers[-1].headers["retry-after"]) > 0
    owner = from_address(system, "198.51.100.22")  # the owner elsewhere is not locked out
    assert (await owner.post("/api/auth/login", json={"username": admin, "password": password})).status_code == 200


async def test_answers_do_not_tell_which_usernames_exist(system: System) -> None:
    user, _ = await new_user(system, "admin")
    known = await api_attempts(from_address(system, "198.51.100.31"), user, ["x"] * 7)
    unknown = await api_attempts(from_address(system, "198.51.100.32"), f"nobody-{uuid.uuid4().hex[:6]}", ["x"] * 7)
    assert [(r.status_code, r.json()) for r in known] == [(r.status_code, r.json()) for r in unknown]
    assert known[-1].json() == {"detail": "too many sign-in attempts; try again later"}


async def test_password_spraying_from_one_address_is_stopped(system: System, monkeypatch) -> None:
    limit = 6  # the default is 30: a smaller budget keeps the test short, the rule is the same
    monkeypatch.setattr(system.apps["inbox"].state.signin_throttle, "per_address", limit)
    user, password = await new_user(system, "agent")
    sprayer = from_address(system, "198.51.100.41")
    codes = [(await sprayer.post("/api/auth/login", json={"username": f"staff-{i}", "password": "Winter2026!"})).status_code
             for i in range(limit + 2)]
    assert codes[:limit] == [401] * limit and codes[limit:] == [429, 429]
    assert (await api_attempts(sprayer, user, [password]))[0].status_code == 429
    assert (await api_attempts(from_address(system, "198.51.100.42"), user, [password]))[0].status_code == 200


async def test_successful_sign_ins_from_a_shared_address_do_not_use_up_its_budget(system: System, monkeypatch) -> None:
    office = from_address(system, "198.51.100.51")
    monkeypatch.setattr(system.apps["inbox"].state.signin_throttle, "per_address", 3)
    users = [await new_user(system, "agent") for _ in range(2)]
    for _ in range(3):
        for user, password in users:
            assert (await office.post("/api/auth/login", json={"username": user, "password": password})).status_code == 200


async def web_attempt(c: httpx.AsyncClient, user: str, password: str, headers: dict | None = None) -> httpx.Response:
    form = await c.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    return await c.post("/login", data={"username": user, "password": password, "csrf_token": token},
                        headers=headers or {})


async def test_the_web_form_shares_the_throttle_and_ignores_forged_forwarded_for(system: System) -> None:
    user, password = await new_user(system, "admin")
    attacker = from_address(system, "198.51.100.61")
    codes = [(await web_attempt(attacker, user, f"guess-{i}", {"X-Forwarded-For": f"192.0.2.{i}"})).status_code
             for i in range(6)]
    assert codes == [401] * 5 + [429]  # a made-up X-Forwarded-For from an untrusted peer changes nothing
    page = await web_attempt(attacker, user, password)
    assert page.status_code == 429 and "Too many sign-in attempts" in page.text and int(page.headers["retry-after"]) > 0
    # The API sees the same counter: the web form's failures count there too.
    assert (await api_attempts(attacker, user, [password]))[0].status_code == 429
    stranger, nobody = from_address(system, "198.51.100.62"), f"nobody-{uuid.uuid4().hex[:6]}"
    unknown = [(await web_attempt(stranger, nobody, "x")).status_code for _ in range(6)]
    assert unknown == codes


async def test_forwarded_for_is_believed_from_a_trusted_proxy_only(system: System) -> None:
    from inbox.config import Settings
    from inbox.main import create_app

    app = create_app(Settings(mongodb_uri=system.infra.mongodb_uri, database=system.database,
                              kafka_bootstrap_servers=system.infra.kafka_bootstrap_servers, trusted_proxies=["10.0.0.0/8"]))
    user, password = await new_user(system, "agent")
    proxy = from_address(system, "10.1.2.3", app)
    behind = {"X-Forwarded-For": "203.0.113.99, 198.51.100.71"}  # the client prepended a lie; the proxy appended
    codes = [(await proxy.post("/api/auth/login", json={"username": user, "password": "x"}, headers=behind)).status_code
             for _ in range(6)]
    assert codes == [401] * 5 + [429]
    other = {"X-Forwarded-For": "198.51.100.72"}  # another client behind the same proxy is its own address
    assert (await proxy.post("/api/auth/login", json={"username": user, "password": password}, headers=other)).status_code == 200


async def test_argon2_runs_off_the_event_loop(system: System, monkeypatch) -> None:
    threads = []
    original = passwords.verify_password

    def recording(password_hash, password):
        threads.append(threading.get_ident())
        return original(password_hash, password)

    monkeypatch.setattr(passwords, "verify_password", recording)
    user, password = await new_user(system, "agent")
    c = from_address(system, "198.51.100.81")
    assert (await c.post("/api/auth/login", json={"username": user, "password": password})).status_code == 200
    assert (await c.post("/api/auth/login", json={"username": "nobody", "password": "x"})).status_code == 401
    assert len(threads) == 2 and threading.get_ident() not in threads
