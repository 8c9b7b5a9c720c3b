"""The triage classifier: department, urgency, abuse, sentiment, language and personal data, explained."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from triage.domain.abuse import detect_abuse
from triage.domain.deciding import INFERRED, NEURAL_RULE, route_by_place, second_opinion
from triage.domain.features import text_features, tokens
from triage.domain.intent import NOT_ACTIONABLE
from triage.domain.intent import decide as decide_intent
from triage.domain.language import detect_language, warm_up
from triage.domain.model import DepartmentModel
from triage.domain.pii import find_pii
from triage.domain.place_match import PlaceFinder
from triage.domain.risk import RiskScorer
from triage.domain.rules import URGENCY_RANK, CompiledTaxonomy
from triage.domain.sentiment import score_sentiment
from triage.domain.summary import summarise
from triage.domain.taxonomy import Rule, Taxonomy
from triage.domain.urgency import RULE_ID as URGENCY_MODEL_RULE

RULES_ONLY = "rules"
FORMAL_CHANNELS = frozenset({"webform"})  # a form carries requests (Open311 included), never chat
SOCIAL_CHANNELS = frozenset({"x", "facebook", "instagram", "youtube"})  # public posts: social text, markers or not
# the department model this sure of a department (not the default) makes a social post with no keyword a request
WORK_HINT = 0.8


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
    place: dict | None = None
    intent: dict | None = None

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
            "intent": self.intent,
            "place": self.place,
        }

    def as_dict(self) -> dict:
        return asdict(self)


def _readable(features: list[str], low: str, k: int = 5) -> list[str]:
    """Model features a person can find in the message: words and word pairs present, no folded numbers."""
    out = []
    for f in features:
        if f.startswith("t:"):
            f = f[2:]
            if f in out:
                continue
        if f == "0":
            continue
        first, _, second = f.partition(" ")
        if first not in low or second and second not in low:
            continue  # a joined compound ("pot hole" -> "pothole") or a folded number is not in the text as such
        out.append(f)
        if len(out) == k:
            break
    return out


class TriageClassifier:
    """Combines the taxonomy's rules and keywords with the department model (when there is one).

    Department: a rule that forces a department wins; otherwise the model's most probable department, with
    the keyword scores blended in; with no model, the keyword scores alone. `needs_review` when the
    confidence is under the taxonomy's threshold, or when the keywords clearly point elsewhere than the model.
    Urgency: the highest urgency of the fired rules; a threat of violence is critical.
    """

    def __init__(self, taxonomy: Taxonomy, model: DepartmentModel | None = None, *, keyword_weight: float = 0.25,
                 warm: bool = True, neural=None, intent_model=None, hate_model=None) -> None:
        self.taxonomy = taxonomy
        self.compiled = CompiledTaxonomy(taxonomy)
        self.risk = RiskScorer(taxonomy.risk) if taxonomy.risk is not None else None
        self.places = PlaceFinder(taxonomy.places) if taxonomy.places is not None else None
        self.model = model
        self.neural = neural  # the neural second opinion on urgency (`triage.domain.neural`), if shipped
        self.intent_model = intent_model  # the learned not-a-request decision (`triage.domain.intent_model`)
        self.hate_model = hate_model  # the learned second look at hate (`triage.domain.hate_model`)
        self.keyword_weight = keyword_weight
        self.departments = taxonomy.department_ids
        self._dept_index = {d: i for i, d in enumerate(self.departments)}
        if model is not None:
            unknown = sorted(set(model.classes) - set(self.departments))
            if unknown:
                raise ValueError(f"the model knows departments the taxonomy does not: {', '.join(unknown)}")
            self._model_to_tax = np.array([self._dept_index[c] for c in model.classes])
            class_index = {c: j for j, c in enumerate(model.classes)}
            self._tax_to_model = np.array([class_index.get(d, -1) for d in self.departments])
        priors = [d.prior for d in taxonomy.departments]
        # prior correction (see `Department.prior`); a department without a prior gets an equal share
        if any(p is not None for p in priors):
            self._prior = np.array([p if p is not None else 1.0 / len(priors) for p in priors])
            self._prior = self._prior / self._prior.sum() * len(priors)
        else:
            self._prior = None
        # departments that mean "another body's job": a place list that says otherwise overrules them
        self._elsewhere = [b.department for b in taxonomy.places.bodies
                           if b.department and b.id != taxonomy.places.organisation] if taxonomy.places else []
        self._elsewhere = sorted(set(self._elsewhere))
        self.critical_threshold = (taxonomy.critical_model_threshold
                                   if taxonomy.critical_model_threshold is not None
                                   else model.urgency.threshold if model is not None and model.urgency is not None else 1.0)
        model_part = model.version + "-" + model.manifest["name"] if model is not None else RULES_ONLY
        self.version = f"triage-{model_part}+taxonomy:{taxonomy.digest[:8]}"
        if warm:  # a long-running service loads the language model now, not on the first message that needs it
            warm_up()

    @property
    def model_name(self) -> str | None:
        return self.model.name if self.model is not None else None

    def classify(self, text: str, channel: str | None = None, point: tuple[float, float] | None = None) -> Classification:
        """`point`: the message's (longitude, latitude), when it has one (Open311 `lat`/`long`, platform geo)."""
        return self.classify_batch([text], channels=[channel], points=[point])[0]

    def classify_batch(self, texts: Sequence[str], channels: Sequence[str | None] | None = None,
                       points: Sequence[tuple[float, float] | None] | None = None) -> list[Classification]:
        """Classify many messages at once (the model scores them in one matrix product)."""
        points = points if points is not None else [None] * len(texts)
        channels = channels if channels is not None else [None] * len(texts)
        texts = [t if isinstance(t, str) else "" for t in texts]
        lows = [t.lower() for t in texts]
        toks = [tokens(low) for low in lows]
        n_dep = len(self.departments)
        kw = [self.compiled.keyword_scores(low, tk) for low, tk in zip(lows, toks, strict=True)]
        kw_dist = np.zeros((len(texts), n_dep))
        for i, (scores, _) in enumerate(kw):
            if scores:
                total = sum(scores.values()) + 1.0
                for dep, sc in scores.items():
                    kw_dist[i, self._dept_index[dep]] = sc / total
        if self.model is not None and texts:
            model_probs, x = self.model.predict_proba([text_features(low, tk) for low, tk in zip(lows, toks, strict=True)])
            probs = np.zeros((len(texts), n_dep))
            probs[:, self._model_to_tax] = model_probs
            has_kw = kw_dist.sum(axis=1) > 0
            blended = np.where(has_kw[:, None], (1 - self.keyword_weight) * probs + self.keyword_weight * kw_dist, probs)
            if self._prior is not None:
                blended = blended * self._prior
            blended /= blended.sum(axis=1, keepdims=True)
            top_classes = self._tax_to_model[blended.argmax(axis=1)]
            features = self.model.top_features(x, np.maximum(top_classes, 0), k=12)
            features = [
                _readable(f, low) if c >= 0 else [] for f, c, low in zip(features, top_classes, lows, strict=True)
            ]
        else:
            probs = None
            blended = kw_dist
            features = [None] * len(texts)
        urgent = self.model.urgency if self.model is not None else None
        u_probs = urgent.proba(toks).tolist() if urgent is not None and texts else [None] * len(texts)
        # per-row maxima once for the batch, as Python numbers (NumPy calls per message cost more than the maths)
        tops = blended.argmax(axis=1).tolist() if texts else []
        top_ps = blended.max(axis=1).tolist() if texts else []
        if probs is not None and texts:
            model_tops, model_confs = probs.argmax(axis=1).tolist(), probs.max(axis=1).tolist()
        else:
            model_tops = model_confs = [None] * len(texts)
        return [
            self._one(texts[i], lows[i], toks[i], kw[i][0], kw[i][1], tops[i], top_ps[i], model_tops[i],
                      model_confs[i], features[i], u_probs[i], blended[i], points[i], channels[i])
            for i in range(len(texts))
        ]

    def _one(self, text, low, toks, kw_scores, kw_hits, top, top_p, model_top_index, model_conf, features,
             u_prob=None, row=None, point=None, channel=None) -> Classification:
        fired = self.compiled.fire(text, low)
        if self.risk is not None and not any(r.urgency == self.risk.risk.urgency for r in fired):
            risky = self.risk.rule_for(text, low)
            if risky is not None:
                fired.append(risky)
        if u_prob is not None and u_prob >= self.critical_threshold and not any(r.urgency == "critical" for r in fired):
            cues = self.model.urgency.explain(toks)
            fired.append(Rule(id=URGENCY_MODEL_RULE, urgency="critical", patterns=["(?!)"],
                              description=f"urgency model {u_prob:.2f}: {', '.join(cues)}"))
        if self.neural is not None and u_prob is not None:
            fired = second_opinion(self.neural, text, low, fired, u_prob, self.critical_threshold)
        abuse, abuse_rules = detect_abuse(text, low, toks)
        if self.hate_model is not None:
            abuse, abuse_rules = self.hate_model.second_look(low, abuse, abuse_rules)
        if "abuse.threat_not_meant" in abuse_rules and fired and all(r.id in INFERRED for r in fired if r.urgency == "critical"):
            # "I could strangle whoever designed it": the violent words the score and model reacted to were judged
            # hyperbole or a reported slogan; a phrase rule that fired on its own still stands
            fired = [r for r in fired if r.urgency != "critical"]
        rules_fired = [r.id for r in fired]
        rules_fired += abuse_rules
        urgency = "normal"
        for r in fired:
            if r.urgency and URGENCY_RANK[r.urgency] > URGENCY_RANK[urgency]:
                urgency = r.urgency
        if abuse == "threat":
            urgency = "critical"
        forced = next((r for r in fired if r.department), None)
        work_hint = top_p >= WORK_HINT and bool(toks) and self.departments[top] != self.taxonomy.default_department
        learned = (lambda: self.intent_model.proba_one(text)) if self.intent_model is not None else None
        intent, intent_reason = decide_intent(low, urgency=urgency, keyword_hits=bool(kw_scores),
                                              formal=channel in FORMAL_CHANNELS, work_hint=work_hint,
                                              social_channel=channel in SOCIAL_CHANNELS, learned=learned)

        if top_p <= 0 or not toks:  # nothing to go on: the default department, for a person to confirm
            department, confidence = self.taxonomy.default_department, 0.0
        else:
            department, confidence = self.departments[top], float(top_p)
        if model_top_index is not None:
            model_top = self.departments[model_top_index]
        else:
            model_top, model_conf = department, confidence
            features = sorted(set(kw_hits.get(department, [])))[:5]
        needs_review = False
        place = self.places.find(text, low, point) if self.places is not None else None
        if intent != NOT_ACTIONABLE and department == self.taxonomy.default_department and kw_scores and forced is None:
            # a request the model left in the general queue ("thanks for the reply but the drain is still blocked")
            # while the keywords name a department: that department, for a person to confirm
            department = max(kw_scores, key=kw_scores.get)
            rules_fired.append("review.keywords_over_general")
            needs_review = True
        if intent == NOT_ACTIONABLE and forced is None:
            # thanks, praise, opinion, news, conversation, spam: the default department, never a queue
            department, confidence = self.taxonomy.default_department, max(confidence, 0.5)
            rules_fired.append(f"intent.not_actionable.{intent_reason}")
            forced_general = True
        else:
            forced_general = False
        if place is not None:
            rules_fired.append(f"place.{place.place_id}" + ("" if place.on else ".near"))
            if forced is None and not forced_general:
                department, confidence = route_by_place(place, department, confidence, row, self.departments,
                                                        self._elsewhere, self.taxonomy.review_threshold)
        if urgency == "critical" and NEURAL_RULE in rules_fired:  # unsure between high and critical: for review
            needs_review = True
        if forced is not None:
            if forced.department != department:
                features = sorted(set(kw_hits.get(forced.department, [])))[:5]
            department, confidence = forced.department, max(confidence, 0.95)
        elif not forced_general:
            if confidence < self.taxonomy.review_threshold:
                needs_review = True
                rules_fired.append("review.low_confidence")
            if model_top_index is not None and kw_scores:
                kw_top = max(kw_scores, key=kw_scores.get)
                kw_total = sum(kw_scores.values())
                if (kw_top != model_top and kw_scores[kw_top] >= 2.0 and kw_scores[kw_top] >= 0.6 * kw_total
                        and model_conf < 0.6):
                    needs_review = True
                    rules_fired.append("review.rules_model_disagree")
        sentiment_label, sentiment_score = score_sentiment(text, toks)
        if (urgency == "critical" or abuse in ("hate", "threat")) and sentiment_score > -0.5:
            sentiment_label, sentiment_score = "negative", -0.5  # distress and hostility are rarely in a tone lexicon
        elif abuse == "offensive" and sentiment_score > -0.2:
            sentiment_label, sentiment_score = "negative", round(max(-1.0, sentiment_score - 0.4), 3)
        pii = find_pii(text) if text else []
        language = detect_language(text, toks)
        summary = summarise(
            department_name=self.compiled.names.get(department, department),
            confidence=confidence,
            urgency=urgency,
            fired=[r for r in fired if r.urgency in ("critical", "high")],
            forced=forced,
            place=place,
            not_actionable=intent_reason if intent == NOT_ACTIONABLE and forced_general else None,
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
            place=place.as_dict() if place is not None else None,
            intent={"kind": intent, "reason": intent_reason},
        )
