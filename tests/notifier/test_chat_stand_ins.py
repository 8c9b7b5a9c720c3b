"""The sandbox's Slack and Teams incoming-webhook stand-ins answer as the platforms do and record what they
were sent under `/_sandbox/sent`."""

import httpx
from sandbox.app import create_app
from sandbox.config import Settings


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(Settings(seeded=False))), base_url="http://sandbox.test")


async def test_slack_accepts_text_or_blocks_and_refuses_the_rest() -> None:
    async with client() as c:
        ok = await c.post("/slack/services/T1/B1/secret", json={"text": "hello"})
        assert ok.status_code == 200 and ok.text == "ok"
        assert (await c.post("/slack/services/T1/B1/secret", content=b"{not json", headers={"Content-Type": "application/json"})).text == "invalid_payload"
        empty = await c.post("/slack/services/T1/B1/secret", json={})
        assert empty.status_code == 400 and empty.text == "no_text"
        assert (await c.post("/slack/services/X1/B1/secret", json={"text": "x"})).status_code == 404
        [recorded] = (await c.get("/_sandbox/sent", params={"platform": "slack"})).json()
        assert recorded["body"] == {"text": "hello"} and recorded["account"] == "T1"


async def test_teams_wants_an_adaptive_card_message() -> None:
    card = {"type": "message", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
                                                "content": {"type": "AdaptiveCard", "version": "1.4", "body": []}}]}
    async with client() as c:
        ok = await c.post("/teams/webhookb2/abc@def/IncomingWebhook/123/456", json=card)
        assert ok.status_code == 200 and ok.text == "1"
        bad = await c.post("/teams/webhookb2/abc/IncomingWebhook/1/2", json={"text": "plain"})
        assert bad.status_code == 400
        assert len((await c.get("/_sandbox/sent", params={"platform": "teams"})).json()) == 1
