"""In-memory stand-ins for the connectors' publisher and MongoDB stores, for route tests without Kafka or
MongoDB. They mirror the real classes' small interfaces."""

from dataclasses import asdict, dataclass, field

import httpx
from connectors.publishing import PublishFailed


class FakePublisher:
    def __init__(self) -> None:
        self.published: list = []
        self.letters: list[dict] = []
        self.statuses: list = []
        self.health_events: list = []
        self.fail = False

    async def messages(self, messages) -> None:
        if self.fail:
            raise PublishFailed("Kafka is not connected (test)")
        self.published.extend(messages)

    async def unparseable(self, *, source: str, body: bytes, reason: str, headers) -> None:
        if self.fail:
            raise PublishFailed("Kafka is not connected (test)")
        self.letters.append({"source": source, "body": body, "reason": reason})

    async def status(self, status) -> None:
        if self.fail:
            raise PublishFailed("Kafka is not connected (test)")
        self.statuses.append(status)

    async def health(self, health) -> None:
        self.health_events.append(health)


class FakeTokens:
    def __init__(self) -> None:
        self.used: set[str] = set()

    async def claim(self, token: str) -> bool:
        if token in self.used:
            return False
        self.used.add(token)
        return True


class FakeEmails:
    def __init__(self) -> None:
        self.saved: dict = {}

    async def save(self, headers) -> None:
        self.saved[headers.message_id] = headers

    async def get(self, message_id: str):
        return self.saved.get(message_id.strip("<>"))


class FakeRequests:
    def __init__(self) -> None:
        self.saved: dict[str, dict] = {}

    async def save(self, request) -> bool:
        if request.service_request_id in self.saved:
            return False
        self.saved[request.service_request_id] = {**asdict(request), "_id": request.service_request_id,
                                                  "status": "open", "status_notes": None,
                                                  "updated_datetime": request.requested_datetime}
        return True

    async def get(self, request_id: str):
        return self.saved.get(request_id)

    async def add_note(self, request_id: str, note: str, *, status: str | None = None) -> bool:
        if request_id not in self.saved:
            return False
        self.saved[request_id]["status_notes"] = note
        return True


class FakeLedger:
    def __init__(self) -> None:
        self.threads: dict[str, str] = {}
        self.last: dict = {}

    async def conversation_of(self, channel: str, account: str, platform_id: str):
        return self.threads.get(f"{channel}:{account}:{platform_id}")

    async def remember(self, channel: str, account: str, platform_id: str, conversation_key: str) -> None:
        self.threads[f"{channel}:{account}:{platform_id}"] = conversation_key

    async def last_inbound(self, conversation_key: str):
        return self.last.get(conversation_key)


class FakeFirstSeen:
    def __init__(self) -> None:
        self.seen: dict = {}

    async def at(self, key: str, now):
        return self.seen.setdefault(key, now)


@dataclass
class FakeStores:
    tokens: FakeTokens = field(default_factory=FakeTokens)
    emails: FakeEmails = field(default_factory=FakeEmails)
    requests: FakeRequests = field(default_factory=FakeRequests)
    ledger: FakeLedger = field(default_factory=FakeLedger)
    first_seen: FakeFirstSeen = field(default_factory=FakeFirstSeen)


TEST_SECRETS = {"meta_app_secret": "test_app_secret", "meta_verify_token": "test_verify_token"}


def app_with_fakes(*, stores: FakeStores | None = None, **settings):
    """The connectors app with its publisher and stores in memory: Meta's test secrets and a public address unless
    `settings` say otherwise."""
    from connectors.config import Settings  # noqa: PLC0415 - the app only when a route test asks for it
    from connectors.main import create_app  # noqa: PLC0415

    application = create_app(Settings(**{**TEST_SECRETS, "public_base_url": "https://inbox.example.gov.uk", **settings}))
    application.state.publisher = FakePublisher()
    application.state.stores = stores or FakeStores()
    return application


def client_of(app) -> httpx.AsyncClient:
    """An HTTP client that calls the app in process, as a platform calls the webhook server."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8081")
