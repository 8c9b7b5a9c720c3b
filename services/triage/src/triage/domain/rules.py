"""The taxonomy compiled for speed: department keyword matching and the urgency/forced-routing rules.

Keywords are matched as word n-grams over `features.tokens` (dictionary look-ups, not a regex per keyword;
hyphens split words, so fly-tipping = fly tipping). Rule patterns are gated (see `gating`): a regular
expression only runs on the few messages that contain a literal it needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from triage.domain.features import tokens
from triage.domain.gating import GatedPattern, PatternSet, gate, index_cost, literal_counts
from triage.domain.taxonomy import Rule, Taxonomy

URGENCY_RANK = {"normal": 0, "high": 1, "critical": 2}


@dataclass(frozen=True, slots=True)
class CompiledRule:
    rule: Rule
    patterns: tuple[GatedPattern, ...]
    unless: tuple[GatedPattern, ...]
    all_of: tuple[tuple[GatedPattern, ...], ...] = ()

    def all_groups_match(self, text: str, low: str) -> bool:
        """Every group matches within `rule.window` characters of a match of the first group."""
        if not self.all_of:
            return False
        spans = []
        same = len(low) == len(text)  # then `low` has the same spans, and the faster lower-case patterns apply
        for group in self.all_of:
            found = [m.span() for p in group if p.passes(low)
                     for m in (p.fast.finditer(low) if same and p.fast is not None else p.pattern.finditer(text))]
            if not found:
                return False
            spans.append(found)
        window = self.rule.window
        for start, end in spans[0]:
            lo, hi = start - window, end + window
            if all(any(s < hi and e > lo for s, e in other) for other in spans[1:]):
                return True
        return False

    def fires(self, text: str, low: str) -> bool:
        return any(p.search(text, low) for p in self.patterns) and not any(p.search(text, low) for p in self.unless)


class CompiledTaxonomy:
    """Look-up tables and gated regular expressions built once per taxonomy."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.department_ids = taxonomy.department_ids
        self.names = {d.id: d.name for d in taxonomy.departments}
        self._keywords: dict[str, list[str]] = {}
        self._prefixes: set[str] = set()  # proper prefixes of multi-word keywords
        for dep in taxonomy.departments:
            for kw in dep.keywords:
                toks = tokens(kw.lower())
                if toks:
                    self._keywords.setdefault(" ".join(toks), []).append(dep.id)
                    for n in range(1, len(toks)):
                        self._prefixes.add(" ".join(toks[:n]))
        self._first_words = frozenset(k.split(" ")[0] for k in self._keywords)
        self._dept_patterns = [(dep.id, gate(p)) for dep in taxonomy.departments for p in dep.patterns]
        self.rules = [
            CompiledRule(
                rule=r,
                patterns=tuple(gate(p) for p in r.patterns),
                unless=tuple(gate(p) for p in r.unless),
                all_of=tuple(tuple(gate(p) for p in group) for group in r.all_of),
            )
            for r in taxonomy.rules
        ]
        counts = literal_counts({lit for c in self.rules for group in c.all_of for gp in group for g in gp.gates for lit in g})
        # one index over every pattern; an all_of rule is indexed by the group that is rarest to pass (every group
        # must match, so any of them will do: the rarest makes the rule's windows checked least often)
        self._rule_patterns = PatternSet(
            [(i, gp) for i, c in enumerate(self.rules) for gp in c.patterns]
            + [(("all", i), gp) for i, c in enumerate(self.rules) if c.all_of
               for gp in min(c.all_of, key=lambda group: sum(index_cost(gp, counts) for gp in group))]
        )

    def keyword_hits(self, low: str, toks: list[str] | None = None) -> dict[str, list[str]]:
        """Department id -> keywords (or pattern matches) found in the lower-cased text (`toks`: its tokens)."""
        hits: dict[str, list[str]] = {}
        toks = tokens(low) if toks is None else toks
        table = self._keywords
        prefixes = self._prefixes
        n_toks = len(toks)
        present = self._first_words.intersection(toks)
        for i, gram in enumerate(toks):
            if gram not in present:
                continue
            j = i
            while True:
                deps = table.get(gram)
                if deps:
                    for dep in deps:
                        hits.setdefault(dep, []).append(gram)
                j += 1
                if j >= n_toks or gram not in prefixes:
                    break
                gram = gram + " " + toks[j]
        for dep, gp in self._dept_patterns:
            if gp.passes(low):
                for m in gp.pattern.finditer(low):
                    hits.setdefault(dep, []).append(m.group())
        return hits

    def keyword_scores(self, low: str, toks: list[str] | None = None) -> tuple[dict[str, float], dict[str, list[str]]]:
        """Department id -> score (multi-word phrases count more), and the hits behind it."""
        hits = self.keyword_hits(low, toks)
        scores = {dep: sum(1.0 + 0.5 * kw.count(" ") for kw in set(kws)) for dep, kws in hits.items()}
        return scores, hits

    def fire(self, text: str, low: str | None = None) -> list[Rule]:
        """Rules that fire on the text, in configuration order."""
        low = text.lower() if low is None else low
        found = self._rule_patterns.matching(text, low)
        if not found:
            return []
        fired = {k for k in found if isinstance(k, int)}
        for key in found:
            if isinstance(key, tuple) and key[1] not in fired and self.rules[key[1]].all_groups_match(text, low):
                fired.add(key[1])
        return [
            c.rule for i, c in enumerate(self.rules)
            if i in fired and not any(p.search(text, low) for p in c.unless)
        ]
