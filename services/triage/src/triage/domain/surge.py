"""Surges: many messages on one subject in a short window, grouped into one `Incident`.

Pure and in memory: feed it every triaged message in arrival order; it answers with the incident the
message joined once that incident has at least `threshold` messages (the first time with status `open`,
then `updated` as more arrive), else None. Similarity is the cosine of TF-IDF vectors over salient words
(stop words dropped, plurals folded), with document frequencies from a long background window, so a word
common everywhere ("road", "please") counts for little and the shared subject ("flooding", "Mill Lane")
for a lot. Messages only group within one department. Run one detector per process partition; the
incident id is derived from the first message, so replays give the same ids.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from civic_contracts.incident import Incident, IncidentSample, IncidentStatus

from triage.domain.features import STOP, stem, tokens

_PRIOR = 200
_GENERIC = frozenset(
    """council please thanks thank hi hello again still now today yesterday week weeks month months day days
    just really very get got like know need needs one two can't cant dont don't im i'm it's its""".split()
)


@dataclass(slots=True)
class _Message:
    message_id: str
    text: str
    terms: Counter
    at: datetime


@dataclass(slots=True)
class _Cluster:
    department: str
    messages: list[_Message] = field(default_factory=list)
    centroid: Counter = field(default_factory=Counter)
    raised: bool = False

    @property
    def first_seen(self) -> datetime:
        return self.messages[0].at

    @property
    def last_seen(self) -> datetime:
        return self.messages[-1].at


class SurgeDetector:
    """Groups similar messages of one department arriving within `window`; raises an incident at `threshold`."""

    def __init__(
        self,
        *,
        window: timedelta = timedelta(minutes=60),
        threshold: int = 5,
        similarity: float = 0.3,
        background: int = 5000,
        samples: int = 3,
        top_terms: int = 5,
    ) -> None:
        if threshold < 2:
            raise ValueError("threshold must be at least 2")
        self.window = window
        self.threshold = threshold
        self.similarity = similarity
        self.samples = samples
        self.top_terms = top_terms
        self._df: Counter = Counter()
        self._seen: deque[frozenset[str]] = deque()
        self._background = background
        self._max_loose = 1000
        self._loose: dict[str, deque[_Message]] = {}
        self._clusters: dict[str, list[_Cluster]] = {}

    def observe(self, message_id: str, text: str, department: str, timestamp: datetime) -> Incident | None:
        """Take one message; the incident it belongs to when that incident is (or now becomes) a surge."""
        self._expire(timestamp)
        msg = _Message(message_id, text, salient_terms(text), timestamp)
        self._learn(msg.terms)
        if not msg.terms:
            return None
        vec = self._weights(msg.terms)
        best, best_sim = None, 0.0
        for cluster in self._clusters.get(department, []):
            sim = _cosine(vec, self._weights(cluster.centroid))
            if sim > best_sim:
                best, best_sim = cluster, sim
        if best is None or best_sim < self.similarity:
            loose = self._loose.setdefault(department, deque(maxlen=self._max_loose))
            partners = [m for m in loose if _cosine(vec, self._weights(m.terms)) >= self.similarity]
            if not partners:
                loose.append(msg)
                return None
            best = _Cluster(department=department)
            for m in partners:
                loose.remove(m)
                self._add(best, m)
            self._clusters.setdefault(department, []).append(best)
        self._add(best, msg)
        if len(best.messages) < self.threshold:
            return None
        status = IncidentStatus.UPDATED if best.raised else IncidentStatus.OPEN
        best.raised = True
        return self._incident(best, status)

    def expire(self, now: datetime) -> list[Incident]:
        """Close incidents quiet for longer than the window; returns them with status `closed`."""
        return self._expire(now)

    def _expire(self, now: datetime) -> list[Incident]:
        horizon = now - self.window
        closed = []
        for loose in self._loose.values():
            while loose and loose[0].at < horizon:
                loose.popleft()
        for dep, clusters in self._clusters.items():
            keep = []
            for c in clusters:
                if c.last_seen < horizon:
                    if c.raised:
                        closed.append(self._incident(c, IncidentStatus.CLOSED))
                else:
                    keep.append(c)
            self._clusters[dep] = keep
        return closed

    def _add(self, cluster: _Cluster, msg: _Message) -> None:
        cluster.messages.append(msg)
        cluster.centroid.update(msg.terms)

    def _learn(self, terms: Counter) -> None:
        doc = frozenset(terms)
        self._seen.append(doc)
        self._df.update(doc)
        if len(self._seen) > self._background:
            self._df.subtract(self._seen.popleft())

    def _weights(self, terms: Counter) -> dict[str, float]:
        # `_PRIOR` imaginary earlier messages without the term: at start-up every word weighs about the same;
        # as the background fills, words common to everything ("road", "bin") weigh less
        n = len(self._seen) + _PRIOR
        return {t: (1 + math.log(c)) * math.log((n + 1) / (self._df.get(t, 0) + 1)) for t, c in terms.items()}

    def _incident(self, cluster: _Cluster, status: IncidentStatus) -> Incident:
        weights = self._weights(cluster.centroid)
        shared = [t for t, c in cluster.centroid.items() if c >= 2] or list(cluster.centroid)
        top = sorted(shared, key=lambda t: (-cluster.centroid[t] * weights.get(t, 0.0), t))[: self.top_terms]
        first = cluster.messages[0]
        return Incident(
            incident_id=f"inc-{cluster.department}-{first.message_id}",
            department=cluster.department,
            subject=" ".join(top[:3]),
            top_terms=top,
            message_ids=[m.message_id for m in cluster.messages],
            samples=[IncidentSample(message_id=m.message_id, text=m.text) for m in cluster.messages[: self.samples]],
            count=len(cluster.messages),
            first_seen=cluster.first_seen,
            last_seen=cluster.last_seen,
            status=status,
        )


def salient_terms(text: str) -> Counter:
    """Words that can carry a subject: stop words and generic words dropped, plurals folded, numbers kept."""
    return Counter(
        _fold(stem(t)) for t in tokens(text.lower()) if len(t) > 2 and t not in STOP and t not in _GENERIC
    )


def _fold(term: str) -> str:
    """flooding, flooded -> flood; collected -> collect (for grouping only; parking/park may merge here)."""
    if len(term) > 5 and term.endswith("ing"):
        return term[:-3]
    if len(term) > 4 and term.endswith("ed"):
        return term[:-2]
    return term


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(w * b.get(t, 0.0) for t, w in a.items())
    if dot <= 0:
        return 0.0
    na = math.sqrt(sum(w * w for w in a.values()))
    nb = math.sqrt(sum(w * w for w in b.values()))
    return dot / (na * nb) if na and nb else 0.0
