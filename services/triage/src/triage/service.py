"""The triage use case: one inbound message in, one `TriageResult` out."""

from datetime import UTC, datetime

from civic_contracts import Explanation, InboundMessage, PiiFinding, Sentiment, TriageResult


def triage(message: InboundMessage, classifier) -> TriageResult:
    """Classify `message` with `classifier` (see `triage.domain.load_classifier`)."""
    c = classifier.classify(message.text, channel=message.channel.value)
    return TriageResult(
        message_id=message.id,
        conversation_key=message.conversation_key,
        department=c.department,
        urgency=c.urgency,
        sentiment=Sentiment(label=c.sentiment_label, score=c.sentiment_score),
        abuse=c.abuse,
        language=c.language,
        pii=[PiiFinding(kind=kind, start=start, end=end) for kind, start, end in c.pii],
        confidence=c.confidence,
        needs_review=c.needs_review,
        explanation=Explanation(summary=c.summary, rules_fired=c.rules_fired, model=c.model, features=c.features),
        classifier_version=c.version,
        classified_at=datetime.now(UTC),
    )
