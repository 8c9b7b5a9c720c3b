"""Polls `commentThreads.list` (allThreadsRelatedToChannelId, order=time) for the organisation's channel
(PLATFORMS.md 3). The API has no "since": pages are read newest first until a thread whose newest comment
is older than the checkpoint; the checkpoint is the publish time of the newest comment published plus the
ids published at that very time (several comments can share a second). Replies included in a thread are read
too; replies beyond those YouTube includes, and edits (`updatedAt`), are not followed."""

from datetime import datetime

from civic_contracts import Channel

from connectors.health import HealthTracker
from connectors.outbound import youtube as youtube_api
from connectors.outbound.context import Context
from connectors.outbound.errors import Rejected
from connectors.platforms import youtube
from connectors.polling.runner import BATCH
from connectors.publishing import Publisher

FIRST_RUN_PAGES = 3


class YouTubeCommentsPoller:
    channel = Channel.YOUTUBE
    page_size = 100  # maxResults: 1-100
    batch_size = BATCH

    def __init__(self, channel_id: str, *, ctx: Context, publisher: Publisher, health: HealthTracker) -> None:
        self.account, self.ctx, self.publisher, self.health = channel_id, ctx, publisher, health
        self.name = f"youtube-comments:{channel_id}"

    async def _page(self, token: str | None) -> dict:
        settings = self.ctx.settings
        params = {"part": "snippet,replies", "allThreadsRelatedToChannelId": self.account, "order": "time",
                  "maxResults": str(self.page_size), "textFormat": "plainText"}
        headers = {}
        if settings.youtube_api_key is not None:
            params["key"] = settings.youtube_api_key.get_secret_value()
        elif (oauth := settings.youtube_access_tokens.get(self.account)) is not None:
            headers["Authorization"] = f"Bearer {oauth.get_secret_value()}"
        else:
            raise Rejected("no_credentials", "no YouTube API key or token configured", credentials=True)
        if token:
            params["pageToken"] = token
        url = f"{settings.youtube_api_base_url.rstrip('/')}/youtube/v3/commentThreads"
        return youtube_api.check(self.ctx, await self.ctx.client.get(url, params=params, headers=headers))

    async def poll_once(self) -> int:
        cursors = self.ctx.stores.cursors
        state = await cursors.get(self.name)
        since = datetime.fromisoformat(state["published_at"]) if state.get("published_at") else None
        seen = set(state.get("ids") or [])
        found: list[tuple[datetime, str, object]] = []  # (time, comment id, message or None for our own)
        token, pages = None, 0
        while True:
            page = await self._page(token)
            pages += 1
            reached = False
            for thread in page.get("items") or []:
                comments = youtube.comments_of(thread)
                times = [youtube.published_at(c) for c in comments]
                if since is not None and max(times) < since:
                    reached = True
                    break
                for comment, at in zip(comments, times, strict=True):
                    if since is None or at > since or (at == since and comment.get("id") not in seen):
                        found.append((at, comment.get("id"), youtube.to_message(self.account, thread["id"], comment)))
            token = page.get("nextPageToken")
            if reached or not token or (since is None and pages >= FIRST_RUN_PAGES):
                break
        found.sort(key=lambda f: (f[0], f[1] or ""))
        published = 0
        for start in range(0, len(found), self.batch_size):
            batch = found[start:start + self.batch_size]
            messages = [m for _, _, m in batch if m is not None]
            if messages:
                await self.publisher.messages(messages)
            last = batch[-1][0]
            same = {cid for at, cid, _ in found[: start + len(batch)] if at == last}
            if last == since:
                same |= seen
            await cursors.set(self.name, {"published_at": last.isoformat(), "ids": sorted(same)})
            published += len(messages)
            for m in messages:
                self.health.event(m.channel, m.account_id)
        return published
