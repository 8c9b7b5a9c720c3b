"""Two decisions the classifier delegates: the neural second opinion on urgency, and routing by place."""

from __future__ import annotations

from triage.domain.intent import NOT_ACTIONABLE
from triage.domain.intent import decide as decide_intent
from triage.domain.place_match import PlaceMatch
from triage.domain.risk import RULE_ID as RISK_RULE
from triage.domain.taxonomy import Rule
from triage.domain.urgency import RULE_ID as URGENCY_MODEL_RULE

NEURAL_RULE = "critical.neural"
NEURAL_BAND = 0.7  # the linear urgency model's score, as a share of its threshold, from which the neural model looks
NEURAL_CONFIRM_ABOVE = 0.995  # a linear score this high stands without a second opinion
NEURAL_VETO = 0.5  # below this the neural model withdraws a critical the linear model alone gave
INFERRED = frozenset({URGENCY_MODEL_RULE, RISK_RULE})  # critical by score, not by a phrase rule


def second_opinion(neural, text: str, low: str, fired: list[Rule], u_prob: float, threshold: float) -> list[Rule]:
    """Where the cheap layers are unsure, the neural model decides. It confirms or withdraws a critical that
    only the scores gave (the linear model below its near-certain range, or a thank-you, praise or chat whose
    only danger is statistical); it raises to critical, for review, a message the linear model scored close to
    its threshold or a rule marked high (a missed emergency costs more than a second look)."""
    critical = [r for r in fired if r.urgency == "critical"]
    inferred = bool(critical) and all(r.id in INFERRED for r in critical)
    model_only = inferred and all(r.id == URGENCY_MODEL_RULE for r in critical)
    chatter = inferred and decide_intent(low, urgency="normal", keyword_hits=False)[0] == NOT_ACTIONABLE
    close = u_prob >= NEURAL_BAND * threshold
    high = any(r.urgency == "high" for r in fired)
    unsure = not critical and (close or high)
    if not (model_only and u_prob < NEURAL_CONFIRM_ABOVE or chatter or unsure):
        return fired
    p = float(neural.proba([text])[0])
    if (model_only and p < NEURAL_VETO) or (chatter and p < neural.threshold_review):
        return [r for r in fired if r.id not in INFERRED] + [
            Rule(id="urgency.neural_withdrawn", urgency="normal", patterns=["(?!)"],
                 description=f"the neural model ({p:.2f}) did not confirm the urgency scores")]
    # a hazard rule's "high" is raised only when the network is sure; a linear score near its threshold, from 0.5
    if unsure and p >= (neural.threshold if high else neural.threshold_review):
        return [*fired, Rule(id=NEURAL_RULE, urgency="critical", patterns=["(?!)"],
                             description=f"neural urgency model {p:.2f}, urgency model {u_prob:.2f}: for review")]
    return fired


def route_by_place(place: PlaceMatch, department: str, confidence: float, row, departments: list[str],
                   elsewhere: list[str], review_threshold: float) -> tuple[str, float]:
    """The department once the place is known: another body's place routes to that body (usually
    `out_of_scope`); the organisation's own place, or another body's only mentioned as nearby ("the bridge over
    the M5"), means the message is not another body's job, so the next department takes over. `row`: the
    blended department probabilities; `elsewhere`: the departments that mean another body's job."""
    index = {d: i for i, d in enumerate(departments)}
    other = not place.ours and place.department is not None
    if other and place.on and place.weight >= 1.0:
        return place.department, max(confidence, 0.9)
    if other and place.on:
        if row is None:
            return department, confidence
        weighed = row.copy()
        weighed[index[place.department]] += place.weight
        top = int(weighed.argmax())
        return departments[top], float(weighed[top] / weighed.sum())
    if row is not None and department in elsewhere:
        masked = row.copy()
        masked[[index[d] for d in elsewhere]] = 0.0
        if place.ours and place.on and place.department and masked.max() < review_threshold:
            return place.department, confidence
        if masked.max() > 0:
            top = int(masked.argmax())
            return departments[top], float(masked[top] / masked.sum())
    return department, confidence
