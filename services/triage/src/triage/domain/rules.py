"""The taxonomy compiled for speed: department keyword matching and the urgency/forced-routing rules.

Keywords are matched as word n-grams over `features.tokens` (dictionary look-ups, not a regex per keyword;
hyphens split words, so fly-tipping = fly tipping). Each rule pattern is
gated by literals the pattern cannot match without (worked out from the compiled regular expression), so the
regular expression itself only runs on the few messages that contain one of them; the result is the same as
running every pattern on every message, only faster.
"""

from __future__ import annotations

import re
import re._constants as sre_c  # noqa: PLC2701 - the standard library's own regex parser, stable since 3.11
import re._parser as sre_parse  # noqa: PLC2701
from dataclasses import dataclass

try:
    import ahocorasick
except ImportError:  # pragma: no cover - the plain scan gives the same answers, slower
    ahocorasick = None

from triage.domain.features import tokens
from triage.domain.taxonomy import Rule, Taxonomy

URGENCY_RANK = {"normal": 0, "high": 1, "critical": 2}


@dataclass(frozen=True, slots=True)
class GatedPattern:
    gates: tuple[tuple[str, ...], ...]  # every match contains one literal of each gate; () = always run
    pattern: re.Pattern[str]

    def search(self, text: str, low: str, skip: int = 0) -> bool:
        """Does the pattern match? (`skip`: how many gates are already known to pass.)"""
        for gate_ in self.gates[skip:]:
            for a in gate_:
                if a in low:
                    break
            else:
                return False
        return self.pattern.search(text) is not None

    def passes(self, low: str) -> bool:
        return all(any(a in low for a in g) for g in self.gates)


class PatternSet:
    """Many gated patterns, each with a key; finds the keys whose patterns match, checking few regexes.

    The literals of every pattern's most selective gate are found in one pass over the lower-cased text
    (an Aho-Corasick automaton, or plain `in` tests when pyahocorasick is missing); only the patterns whose
    literal is present are checked further.
    """

    def __init__(self, keyed: list[tuple[object, GatedPattern]]) -> None:
        self._by_literal: dict[str, list[tuple[object, GatedPattern]]] = {}
        self._always: list[tuple[object, GatedPattern]] = []
        for key, gp in keyed:
            if gp.gates:
                for lit in gp.gates[0]:
                    self._by_literal.setdefault(lit, []).append((key, gp))
            else:
                self._always.append((key, gp))
        self._automaton = None
        if ahocorasick is not None and self._by_literal:
            automaton = ahocorasick.Automaton()
            for lit in self._by_literal:
                automaton.add_word(lit, lit)
            automaton.make_automaton()
            self._automaton = automaton

    def literals_in(self, low: str) -> set[str]:
        if self._automaton is not None:
            return {lit for _, lit in self._automaton.iter(low)}
        return {lit for lit in self._by_literal if lit in low}

    def matching(self, text: str, low: str) -> set:
        """Keys of the patterns that match `text` (`low` is `text.lower()`)."""
        found: set = set()
        for key, gp in self._always:
            if key not in found and gp.search(text, low):
                found.add(key)
        for lit in self.literals_in(low):
            for key, gp in self._by_literal[lit]:
                if key not in found and gp.search(text, low, 1):
                    found.add(key)
        return found


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
        for group in self.all_of:
            found = [m.span() for p in group if p.passes(low) for m in p.pattern.finditer(text)]
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
        # one index over every pattern; an all_of rule is indexed by its first group (key ("all", i))
        self._rule_patterns = PatternSet(
            [(i, gp) for i, c in enumerate(self.rules) for gp in c.patterns]
            + [(("all", i), gp) for i, c in enumerate(self.rules) if c.all_of for gp in c.all_of[0]]
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


def gate(pattern: str, *, max_gates: int = 6) -> GatedPattern:
    """Compile a pattern with the literals it cannot match without (the most selective first)."""
    compiled = re.compile(pattern, re.IGNORECASE)
    try:
        required = _required(sre_parse.parse(pattern, re.IGNORECASE))
    except Exception:  # noqa: BLE001 - a pattern the parser cannot analyse simply runs on every message
        required = []
    required = [r for r in required if r and all(a == a.lower() and a.strip() for a in r)]
    required.sort(key=lambda r: (-min(_selectivity(a) for a in r), len(r)))
    gates = tuple(tuple(sorted(r, key=len, reverse=True)) for r in required[:max_gates])
    return GatedPattern(gates=gates, pattern=compiled)


def _required(seq) -> list[frozenset[str]]:
    """Sets of literals: every match of `seq` contains one literal of each set."""
    sets: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            sets.append(frozenset(["".join(run)]))
            run.clear()

    for op, av in seq:
        if op is sre_c.LITERAL:
            run.append(chr(av).lower())
            continue
        if op is sre_c.BRANCH and run:
            # the parser factors common prefixes out ("fire|flames" -> "f" + "ire|lames"): rejoin them
            prefix = "".join(run)
            sets.append(frozenset(prefix + _leading_literal(alt) for alt in av[1]))
            run.clear()
        flush()
        if op is sre_c.SUBPATTERN:
            sets += _required(av[-1])
        elif op is sre_c.BRANCH:
            best = [_best(_required(alt)) for alt in av[1]]
            if best and all(best):
                sets.append(frozenset().union(*best))
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT) and av[0] >= 1:
            sets += _required(av[2])
    flush()
    return sets


def _leading_literal(seq) -> str:
    out = []
    for op, av in seq:
        if op is not sre_c.LITERAL:
            break
        out.append(chr(av).lower())
    return "".join(out)


def _best(sets: list[frozenset[str]]) -> frozenset[str] | None:
    if not sets:
        return None
    return max(sets, key=lambda s: (min(_selectivity(x) for x in s), -len(s)))


def _selectivity(literal: str) -> int:
    """How rarely a literal is expected in a message (higher: rarer, a better gate). A rough guess: a phrase is
    as rare as its rarest word; common words and short fragments (found inside other words: "bus" in
    "business", "gun" in "begun") score low."""
    words = literal.split()
    if not words:
        return 0
    return max(1 if w in _COMMON else 2 if len(w) <= 3 else len(w) for w in words)


_COMMON = frozenset(
    """the a an and as from into onto about ll or of to in on at my me is it be we he she you your our any for with not no his her they them
    their this that there was were are been being have has had will would could can going get getting got just
    out off over down up left right back all one two some very too now then when what who road roads street lane
    way path footpath pavement outside near by car cars bus tree trees light lights sign signs water bin bins park
    hole end head side front house home area people time day days week weeks again still please thanks lot lots
    new old big large small here man men woman women child children kid kids son dad mum hit cut fell fall""".split()
)
