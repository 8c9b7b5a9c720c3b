"""The triage use cases: one inbound message in, one `TriageResult` out; surges noticed on the way."""

from datetime import UTC, datetime, timedelta

from civic_contracts import Explanation, InboundMessage, Incident, PiiFinding, Sentiment, TriageResult

from triage.domain.surge import SurgeDetector
from triage.location import point_of


def triage(message: InboundMessage, classifier) -> TriageResult:
    """Classify `message` with `classifier` (see `triage.domain.load_classifier`)."""
    c = classifier.classify(message.text, channel=message.channel.value, point=point_of(message))
    return TriageResult(
        message_id=message.id,
        conversation_key=message.conversation_key,
        department=c.department,
        urgency=c.urgency,
        sentiment=Sentiment(label=c.sentiment_label, score=c.sentiment_score),
        abuse=c.abuse,
        language=message.language or c.language,  # the language the citizen chose (a Welsh form) wins
        pii=[PiiFinding(kind=kind, start=start, end=end) for kind, start, end in c.pii],
        confidence=c.confidence,
        needs_review=c.needs_review,
        explanation=Explanation(summary=c.summary, rules_fired=c.rules_fired, model=c.model, features=c.features),
        classifier_version=c.version,
        intent=c.intent,
        place=c.place,
        classified_at=datetime.now(UTC),
    )


class Surges:
    """Feeds every triaged message to the surge detector, by the time the citizen sent it.

    The detector's window lives in this process: with several triage replicas each sees its own partitions,
    so a surge is noticed per replica (a shared window would need a store; noted in the README)."""

    def __init__(self, *, window_minutes: float, threshold: int) -> None:
        self.detector = SurgeDetector(window=timedelta(minutes=window_minutes), threshold=threshold)

    def observe(self, message: InboundMessage, result: TriageResult) -> Incident | None:
        return self.detector.observe(message.id, message.text, result.department, message.sent_at)

    def expire(self, now: datetime | None = None) -> list[Incident]:
        return self.detector.expire(now or datetime.now(UTC))
