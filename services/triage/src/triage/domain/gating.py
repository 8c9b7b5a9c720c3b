"""Gated regular expressions: many patterns checked against a message while running few of them.

Each pattern is compiled together with the literals it cannot match without (worked out from Python's own
regex parser), its "gates". One Aho-Corasick pass over the lower-cased message finds the first-gate literals
present; only those patterns are checked further (the other gates with `in`, then the regex). The answers are
exactly those of running every pattern on every message. Gates are ordered by how rare their literals are in
a reference corpus (the shipped seed messages).
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
        keyed = _order_gates(keyed)
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


def _order_gates(keyed: list[tuple[object, GatedPattern]]) -> list[tuple[object, GatedPattern]]:
    """Put each pattern's rarest gate first, rarity measured on a reference corpus (the seed messages): the
    first gate is the one looked up for every message, the others are only checked when it is present."""
    reference = reference_texts()
    literals = {lit for _, gp in keyed for g in gp.gates for lit in g}
    if not reference or not literals or ahocorasick is None:
        return keyed
    automaton = ahocorasick.Automaton()
    for lit in literals:
        automaton.add_word(lit, lit)
    automaton.make_automaton()
    df: dict[str, int] = dict.fromkeys(literals, 0)
    for text in reference:
        for lit in {lit for _, lit in automaton.iter(text)}:
            df[lit] += 1
    out = []
    for key, gp in keyed:
        gates = tuple(sorted(gp.gates, key=lambda g: sum(df[lit] for lit in g)))
        out.append((key, GatedPattern(gates=gates, pattern=gp.pattern)))
    return out


_REFERENCE: list[list[str]] = []


def reference_texts() -> list[str]:
    """Lower-cased texts of the shipped seed corpus (package data), read once; [] if it is not there."""
    if not _REFERENCE:
        texts: list[str] = []
        try:
            import json
            from importlib import resources

            for entry in resources.files("triage").joinpath("seed").iterdir():
                if entry.name.endswith(".jsonl"):
                    for line in entry.read_text(encoding="utf-8").splitlines():
                        if line.strip():
                            texts.append(str(json.loads(line).get("text", "")).lower())
        except (OSError, ValueError, ModuleNotFoundError):
            texts = []
        _REFERENCE.append(texts)
    return _REFERENCE[0]


def gate(pattern: str, *, max_gates: int = 8) -> GatedPattern:
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
