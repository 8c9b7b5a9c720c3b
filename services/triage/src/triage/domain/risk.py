"""The risk score: weighted danger words, a person, and "now", from the taxonomy's `risk` section.

Phrase rules catch what their authors foresaw; the score catches the rest by concept: a message with a strong
danger word ("bleach", "flames", "face down") and a person, or two danger words, is urgent however it is worded.
"""

from __future__ import annotations

import re

from triage.domain.gating import PatternSet, gate
from triage.domain.taxonomy import Risk, Rule

RULE_ID = "critical.risk_score"

# Words that say the danger is not happening now: a past event ("last month", "years ago") or a question about
# training, awareness, a policy or a charity. One of them takes a point off the score, so a strong danger word
# still counts but a weak one with a person in it no longer does. Checked only when there are danger points.
_CALM = re.compile(
    r"\b(last (week|month|year|summer|winter|spring|autumn|term|christmas|new year)|(weeks|months|years|a while|"
    r"some time|a few (weeks|months|years)) (ago|back)|\d+ (weeks|months|years) ago|back in (19|20)\d\d|"
    r"(prevention|awareness|training|campaign|leaflets?|fundrais\w*|statistics|freedom of information|policy|"
    r"crime number|insurance|dissertation|course|workshop|charity) )",
)


class RiskScorer:
    """Scores one message against the taxonomy's risk terms."""

    def __init__(self, risk: Risk) -> None:
        self.risk = risk
        danger, context = [], []
        for group in risk.terms:
            for i, pattern in enumerate(group.patterns):
                key = (group.kind, group.weight, pattern, i)
                (danger if group.kind == "danger" else context).append((key, gate(pattern)))
        self._danger = PatternSet(danger)
        self._compiled = {key[2]: gp.pattern for key, gp in danger}
        self._context = PatternSet(context)

    def score(self, text: str, low: str) -> tuple[int, list[str]]:
        """(score, the danger patterns' matched words); the score is 0 below `min_danger` danger points."""
        found = self._danger.matching(text, low)
        if sum(weight for _, weight, _, _ in found) < self.risk.min_danger:
            return 0, []
        danger, words = self._densest(found, text)
        if danger < self.risk.min_danger:
            return 0, []
        kinds = {kind for kind, _, _, _ in self._context.matching(text, low)}
        calm = 1 if _CALM.search(low + " ") else 0
        return danger + ("person" in kinds) + ("now" in kinds) - calm, words

    def _densest(self, found: set, text: str) -> tuple[int, list[str]]:
        """The most danger points found within `window` characters, and the words that gave them."""
        hits = []  # (start, weight, key, word)
        for key in found:
            for m in self._compiled[key[2]].finditer(text):
                hits.append((m.start(), key[1], key, m.group().strip().lower()))
        hits.sort()
        best, best_words = 0, []
        for i, (start, _, _, _) in enumerate(hits):
            seen: dict = {}
            for s, w, key, word in hits[i:]:
                if s - start > self.risk.window:
                    break
                seen.setdefault(key, (w, word))
            points = sum(w for w, _ in seen.values())
            if points > best:
                best, best_words = points, sorted({word for _, word in seen.values()})
        return best, best_words

    def rule_for(self, text: str, low: str) -> Rule | None:
        """A synthetic rule explaining the urgency when the score reaches the threshold, else None."""
        total, words = self.score(text, low)
        if total < self.risk.threshold:
            return None
        return Rule(
            id=RULE_ID,
            description=f"risk words: {', '.join(words[:6])}",
            urgency=self.risk.urgency,
            patterns=["(?!)"],
        )
