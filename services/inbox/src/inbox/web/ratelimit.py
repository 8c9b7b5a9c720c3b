"""A sliding-window rate limit kept in memory, for the sign-in form.

Per process: with N replicas an address gets N times the budget, which still turns a password-guessing run
into a crawl; the per-account pause of the API (`max_failed_logins`) holds across replicas."""

import time
from collections import deque


class RateLimiter:
    def __init__(self, limit: int, window_seconds: float, *, max_keys: int = 50_000) -> None:
        self.limit = limit
        self.window = window_seconds
        self.max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> deque[float]:
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    def hit(self, key: str, *, now: float | None = None) -> float | None:
        """Count an attempt; None when it is allowed, else the seconds until the next one is."""
        now = time.monotonic() if now is None else now
        if len(self._hits) > self.max_keys:
            self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > now - self.window}
        hits = self._recent(key, now)
        if len(hits) >= self.limit:
            return max(1.0, hits[0] + self.window - now)
        hits.append(now)
        return None

    def reset(self, key: str) -> None:
        self._hits.pop(key, None)
