"""Polls `GET /2/users/:id/mentions` for an X account without webhooks (PLATFORMS.md 2e).

Pages back from the newest with `pagination_token` down to the cursor's `since_id`, then publishes oldest
first; the cursor becomes the id of the newest post published (post ids grow with time), so a crash between
batches resumes exactly after the last acknowledged batch."""

import httpx
from civic_contracts import Channel

from connectors.health import HealthTracker
from connectors.outbound import x as x_api
from connectors.outbound.context import Context
from connectors.outbound.errors import Rejected
from connectors.platforms import x
from connectors.polling.runner import BATCH
from connectors.publishing import Publisher

FIELDS = {"tweet.fields": "author_id,created_at,conversation_id,in_reply_to_user_id,referenced_tweets",
          "expansions": "author_id", "user.fields": "name,username"}
FIRST_RUN_PAGES = 3  # without a cursor, read back this far (X keeps ~800 mentions reachable)


class XMentionsPoller:
    channel = Channel.X
    page_size = 100  # max_results: 5-100
    batch_size = BATCH

    def __init__(self, account: str, *, ctx: Context, publisher: Publisher, health: HealthTracker) -> None:
        self.account, self.ctx, self.publisher, self.health = account, ctx, publisher, health
        self.name = f"x-mentions:{account}"

    async def _page(self, since_id: str | None, token: str | None) -> dict:
        bearer = self.ctx.settings.x_bearer_token
        if bearer is None:
            raise Rejected("no_credentials", "no X bearer token configured for polling", credentials=True)
        params = {**FIELDS, "max_results": str(self.page_size)}
        if since_id:
            params["since_id"] = since_id
        if token:
            params["pagination_token"] = token
        url = f"{self.ctx.settings.x_api_base_url.rstrip('/')}/2/users/{self.account}/mentions"
        response: httpx.Response = await self.ctx.client.get(
            url, params=params, headers={"Authorization": f"Bearer {bearer.get_secret_value()}"})
        return x_api.check(self.ctx, response)

    async def poll_once(self) -> int:
        cursors = self.ctx.stores.cursors
        since_id = (await cursors.get(self.name)).get("since_id")
        messages, newest, token, pages = [], since_id, None, 0
        while True:
            page = await self._page(since_id, token)
            pages += 1
            for post in page.get("data") or []:
                if newest is None or int(post["id"]) > int(newest):
                    newest = str(post["id"])
            messages += x.parse_mentions(self.account, page)
            token = (page.get("meta") or {}).get("next_token")
            if not token or (since_id is None and pages >= FIRST_RUN_PAGES):
                break
        messages.sort(key=lambda m: int(m.platform_message_id))
        for start in range(0, len(messages), self.batch_size):
            batch = messages[start:start + self.batch_size]
            await self.publisher.messages(batch)
            await cursors.set(self.name, {"since_id": batch[-1].platform_message_id})
            for m in batch:
                self.health.event(m.channel, m.account_id)
        if newest and newest != since_id:  # also past the account's own posts, which publish nothing
            await cursors.set(self.name, {"since_id": newest})
        return len(messages)
