"""The triage classifier: department, urgency, abuse, sentiment, language and personal data, explained."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from triage.domain.abuse import detect_abuse
from triage.domain.language import detect_language
from triage.domain.model import DepartmentModel
from triage.domain.pii import find_pii
from triage.domain.rules import URGENCY_RANK, CompiledTaxonomy
from triage.domain.sentiment import score_sentiment
from triage.domain.summary import summarise
from triage.domain.taxonomy import Taxonomy

RULES_ONLY = "rules"


@dataclass(slots=True)
class Classification:
    """What triage decided about one message, and why."""

    department: str
    urgency: str
    sentiment_label: str
    sentiment_score: float
    abuse: str
    language: str
    pii: list[tuple[str, int, int]]
    confidence: float
    needs_review: bool
    summary: str
    rules_fired: list[str]
    model: str | None
    features: list[str]
    version: str
    scores: dict[str, float] = field(default_factory=dict, repr=False)

    def to_result_fields(self) -> dict:
        """The `TriageResult` fields this decides (all but message_id, conversation_key, classified_at)."""
        return {
            "department": self.department,
            "urgency": self.urgency,
            "sentiment": {"label": self.sentiment_label, "score": self.sentiment_score},
            "abuse": self.abuse,
            "language": self.language,
            "pii": [{"kind": k, "start": s, "end": e} for k, s, e in self.pii],
            "confidence": self.confidence,
            "needs_review": self.needs_review,
            "explanation": {
                "summary": self.summary,
                "rules_fired": list(self.rules_fired),
                "model": self.model,
                "features": list(self.features),
            },
            "classifier_version": self.version,
        }

    def as_dict(self) -> dict:
        out = asdict(self)
        out.pop("scores")
        return out


class TriageClassifier:
    """Combines the taxonomy's rules and keywords with the department model (when there is one).

    Department: a rule that forces a department wins; otherwise the model's most probable department, with
    the keyword scores blended in; with no model, the keyword scores alone. `needs_review` when the
    confidence is under the taxonomy's threshold, or when the keywords clearly point elsewhere than the model.
    Urgency: the highest urgency of the fired rules; a threat of violence is critical.
    """

    def __init__(self, taxonomy: Taxonomy, model: DepartmentModel | None = None, *, keyword_weight: float = 0.25) -> None:
        self.taxonomy = taxonomy
        self.compiled = CompiledTaxonomy(taxonomy)
        self.model = model
        self.keyword_weight = keyword_weight
        self.departments = taxonomy.department_ids
        self._dept_index = {d: i for i, d in enumerate(self.departments)}
        if model is not None:
            unknown = sorted(set(model.classes) - set(self.departments))
            if unknown:
                raise ValueError(f"the model knows departments the taxonomy does not: {', '.join(unknown)}")
            self._model_to_tax = np.array([self._dept_index[c] for c in model.classes])
        model_part = model.version + "-" + model.manifest["name"] if model is not None else RULES_ONLY
        self.version = f"triage-{model_part}+taxonomy:{taxonomy.digest[:8]}"

    @property
    def model_name(self) -> str | None:
        return self.model.name if self.model is not None else None

    def classify(self, text: str, channel: str | None = None) -> Classification:
        return self.classify_batch([text], channels=[channel])[0]

    def classify_batch(self, texts: Sequence[str], channels: Sequence[str | None] | None = None) -> list[Classification]:
        texts = [t if isinstance(t, str) else "" for t in texts]
        n_dep = len(self.departments)
        probs = x = None
        if self.model is not None and texts:
            model_probs, x = self.model.predict_proba(texts)
            probs = np.zeros((len(texts), n_dep), dtype=np.float64)
            probs[:, self._model_to_tax] = model_probs
        out = []
        for i, text in enumerate(texts):
            kw_scores, kw_hits = self.compiled.keyword_scores(text)
            out.append(self._one(text, i, kw_scores, kw_hits, probs, x))
        return out

    def _one(self, text, i, kw_scores, kw_hits, probs, x) -> Classification:
        fired = self.compiled.fire(text)
        rules_fired = [r.id for r in fired]
        abuse, abuse_rules = detect_abuse(text)
        rules_fired += abuse_rules
        urgency = "normal"
        for r in fired:
            if r.urgency and URGENCY_RANK[r.urgency] > URGENCY_RANK[urgency]:
                urgency = r.urgency
        if abuse == "threat":
            urgency = "critical"

        kw_total = sum(kw_scores.values())
        kw_dist = np.zeros(len(self.departments))
        for dep, s in kw_scores.items():
            kw_dist[self._dept_index[dep]] = s / (kw_total + 1.0)
        forced = next((r for r in fired if r.department), None)
        features: list[str]
        if probs is not None:
            p = (1 - self.keyword_weight) * probs[i] + self.keyword_weight * kw_dist
            if kw_total == 0:
                p = probs[i]
            p = p / p.sum()
            top = int(np.argmax(p))
            department, confidence = self.departments[top], float(p[top])
            model_top = self.departments[int(np.argmax(probs[i]))]
            class_index = self.model.classes.index(department) if department in self.model.classes else None
            features = self.model.top_features(x[i], class_index) if class_index is not None else []
        else:
            p = kw_dist
            if kw_total == 0:
                department, confidence = self.taxonomy.default_department, 0.0
            else:
                top = int(np.argmax(kw_dist))
                department, confidence = self.departments[top], float(kw_dist[top])
            model_top = department
            features = sorted(set(kw_hits.get(department, [])))[:5]
        needs_review = False
        if forced is not None:
            department, confidence = forced.department, max(confidence, 0.95)
            if forced.department in kw_hits:
                features = sorted(set(kw_hits[forced.department]))[:5] or features
        else:
            if confidence < self.taxonomy.review_threshold:
                needs_review = True
                rules_fired.append("review.low_confidence")
            kw_top = max(kw_scores, key=kw_scores.get) if kw_scores else None
            if (
                probs is not None
                and kw_top is not None
                and kw_top != model_top
                and kw_scores[kw_top] >= 2.0
                and kw_scores[kw_top] >= 0.6 * kw_total
                and probs[i][self._dept_index[model_top]] < 0.6
            ):
                needs_review = True
                rules_fired.append("review.rules_model_disagree")
        sentiment_label, sentiment_score = score_sentiment(text)
        pii = find_pii(text) if text else []
        language = detect_language(text) if text.strip() else "und"
        scores = {self.departments[j]: round(float(p[j]), 4) for j in np.nonzero(p)[0]} if p is not None else {}
        summary = summarise(
            department_name=self.compiled.names.get(department, department),
            confidence=confidence,
            urgency=urgency,
            fired=[r for r in fired if r.urgency in ("critical", "high")],
            forced=forced,
            abuse=abuse,
            pii_kinds=sorted({k for k, _, _ in pii}),
            language=language,
            needs_review=needs_review,
        )
        return Classification(
            department=department,
            urgency=urgency,
            sentiment_label=sentiment_label,
            sentiment_score=sentiment_score,
            abuse=abuse,
            language=language,
            pii=pii,
            confidence=round(min(1.0, max(0.0, confidence)), 4),
            needs_review=needs_review,
            summary=summary,
            rules_fired=rules_fired,
            model=self.model_name,
            features=features,
            version=self.version,
            scores=scores,
        )
