"""The taxonomy compiled for speed: department keyword matching and the urgency/forced-routing rules."""

from __future__ import annotations

import re
from dataclasses import dataclass

from triage.domain.taxonomy import Rule, Taxonomy

URGENCY_RANK = {"normal": 0, "high": 1, "critical": 2}


@dataclass(frozen=True, slots=True)
class CompiledRule:
    rule: Rule
    match: re.Pattern[str]
    unless: re.Pattern[str] | None


class CompiledTaxonomy:
    """Regular expressions built once per taxonomy; matching is then one pass per message."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.department_ids = taxonomy.department_ids
        self.names = {d.id: d.name for d in taxonomy.departments}
        self._keyword_departments: dict[str, list[str]] = {}
        for dep in taxonomy.departments:
            for kw in dep.keywords:
                self._keyword_departments.setdefault(_norm(kw), []).append(dep.id)
        alternatives = sorted(self._keyword_departments, key=len, reverse=True)
        body = "|".join(r"\s+".join(re.escape(part) for part in kw.split()) for kw in alternatives)
        self._keywords = re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE) if body else None
        self._dept_patterns = [
            (dep.id, re.compile("|".join(f"(?:{p})" for p in dep.patterns), re.IGNORECASE))
            for dep in taxonomy.departments
            if dep.patterns
        ]
        self.rules = [
            CompiledRule(
                rule=r,
                match=re.compile("|".join(f"(?:{p})" for p in r.patterns), re.IGNORECASE),
                unless=re.compile("|".join(f"(?:{p})" for p in r.unless), re.IGNORECASE) if r.unless else None,
            )
            for r in taxonomy.rules
        ]

    def keyword_hits(self, text: str) -> dict[str, list[str]]:
        """Department id -> keywords (or pattern matches) found in the text."""
        hits: dict[str, list[str]] = {}
        if self._keywords is not None:
            for m in self._keywords.finditer(text):
                kw = _norm(m.group())
                for dep in self._keyword_departments.get(kw, ()):
                    hits.setdefault(dep, []).append(kw)
        for dep, pattern in self._dept_patterns:
            for m in pattern.finditer(text):
                hits.setdefault(dep, []).append(m.group().lower())
        return hits

    def keyword_scores(self, text: str) -> tuple[dict[str, float], dict[str, list[str]]]:
        """Department id -> score (multi-word phrases count more), and the hits behind it."""
        hits = self.keyword_hits(text)
        scores = {dep: sum(1.0 + 0.5 * kw.count(" ") for kw in set(kws)) for dep, kws in hits.items()}
        return scores, hits

    def fire(self, text: str) -> list[Rule]:
        """Rules that fire on the text, in configuration order."""
        fired = []
        for compiled in self.rules:
            if compiled.match.search(text) and not (compiled.unless and compiled.unless.search(text)):
                fired.append(compiled.rule)
        return fired


def _norm(keyword: str) -> str:
    return " ".join(keyword.lower().split())
