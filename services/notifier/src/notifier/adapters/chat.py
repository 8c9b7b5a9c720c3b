"""The team's channel: a Slack incoming webhook (JSON `text` plus Block Kit `blocks`; Slack answers `ok`,
or 400 `invalid_payload`, 403 `action_prohibited`, 404 `no_service`, 410 `channel_is_archived`), or a
Microsoft Teams incoming webhook (a `message` whose attachment is an Adaptive Card)."""

import httpx

from notifier.adapters import SendFailed
from notifier.domain.texts import Notice


def slack_payload(notice: Notice) -> dict:
    buttons = [{"type": "button", "text": {"type": "plain_text", "text": "Open in Civic Inbox"}, "url": notice.link}]
    if notice.ack_link:
        buttons.append({"type": "button", "style": "primary", "text": {"type": "plain_text", "text": "Acknowledge"},
                        "url": notice.ack_link})
    return {
        "text": f"{notice.title}: {notice.body}",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": notice.title[:150]}},
            {"type": "section", "text": {"type": "plain_text", "text": notice.body}},
            {"type": "actions", "elements": buttons},
        ],
    }


def teams_payload(notice: Notice) -> dict:
    actions = [{"type": "Action.OpenUrl", "title": "Open in Civic Inbox", "url": notice.link}]
    if notice.ack_link:
        actions.append({"type": "Action.OpenUrl", "title": "Acknowledge", "url": notice.ack_link})
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4",
        "body": [
            {"type": "TextBlock", "text": notice.title, "weight": "Bolder", "size": "Medium", "wrap": True},
            {"type": "TextBlock", "text": notice.body, "wrap": True},
        ],
        "actions": actions,
    }
    return {"type": "message", "attachments": [
        {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}]}


class ChatWebhook:
    def __init__(self, client: httpx.AsyncClient, *, kind: str, url: str) -> None:
        self.client, self.kind, self.url = client, kind, url

    @property
    def configured(self) -> bool:
        return self.kind in ("slack", "teams") and bool(self.url)

    async def post(self, notice: Notice) -> str:
        payload = slack_payload(notice) if self.kind == "slack" else teams_payload(notice)
        try:
            response = await self.client.post(self.url, json=payload)
        except httpx.HTTPError as exc:
            raise SendFailed(f"{self.kind} webhook unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 300:
            raise SendFailed(f"{self.kind} webhook {response.status_code} {response.text[:60]}",
                             retryable=response.status_code == 429 or response.status_code >= 500)
        return response.text[:60]
