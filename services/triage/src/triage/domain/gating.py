"""Gated regular expressions: many patterns checked against a message while running few of them.

Each pattern is compiled together with the literals it cannot match without (worked out from Python's own
regex parser), its "gates". One Aho-Corasick pass over the lower-cased message finds the first-gate literals
present; only those patterns are checked further (the other gates with `in`, then the regex). The answers are
exactly those of running every pattern on every message. Gates are ordered by how rare their literals are in
a reference corpus (the shipped seed messages).

Literals are looked for in the message's *scan text*: lower case, each non-word character a space, with a space
at each end. A literal the pattern needs at a word boundary (`\bchild`) carries that space with it (" child"),
so "son" in `\bson\b` is not found in "person" and the pattern is not run there.
"""

from __future__ import annotations

import re
import re._compiler as sre_compile  # noqa: PLC2701 - the standard library's own regex parser, stable since 3.11
import re._constants as sre_c  # noqa: PLC2701
import re._parser as sre_parse  # noqa: PLC2701

try:
    import ahocorasick
except ImportError:  # pragma: no cover - the plain scan gives the same answers, slower
    ahocorasick = None


_NON_WORD = re.compile(r"\W")
# ASCII non-word characters and common typographic punctuation -> space, in one C-level pass
_SPACE_OUT = {c: " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")}
_SPACE_OUT.update({ord(c): " " for c in "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a3\u20ac\u2022\u00a0"})
_LAST_SCAN: tuple[str, str] = ("", "  ")  # (low, its scan text): the pattern sets look at one message in turn


def scan_text(low: str) -> str:
    """The text gates are looked for in: `low` with every non-word character a space, padded with a space."""
    global _LAST_SCAN
    last = _LAST_SCAN  # one tuple, read and replaced whole: safe when several threads classify
    if last[0] is low:
        return last[1]
    scan = low.translate(_SPACE_OUT)
    if not scan.isascii():  # other characters: ask the regex engine which are word characters
        scan = _NON_WORD.sub(" ", low)
    scan = " " + scan + " "
    _LAST_SCAN = (low, scan)
    return scan


def _scan_literal(literal: str) -> str:
    """A literal as it appears in scan text (each non-word character a space)."""
    return _NON_WORD.sub(" ", literal)


class GatedPattern:
    """A regular expression with its gates. Compiled on first use: most patterns never pass their gates on a
    given day's mail, and parsing is the costly part of starting up (it is done once, for the gates)."""

    __slots__ = ("gates", "source", "_tree", "_lower_only", "_pattern", "_fast")

    def __init__(self, gates: tuple[tuple[str, ...], ...], source: str, tree=None, lower_only: bool = False) -> None:
        self.gates = gates  # every match contains one literal of each gate (in scan text); () = always run
        self.source = source
        self._tree = tree  # the parsed pattern (flags 0), compiled from without parsing again
        self._lower_only = lower_only
        self._pattern: re.Pattern[str] | None = None
        self._fast: re.Pattern[str] | None = None

    def with_gates(self, gates: tuple[tuple[str, ...], ...]) -> GatedPattern:
        twin = GatedPattern(gates, self.source, self._tree, self._lower_only)
        twin._pattern, twin._fast = self._pattern, self._fast
        return twin

    @property
    def pattern(self) -> re.Pattern[str]:
        """Case-insensitive, for the message as written."""
        if self._pattern is None:
            self._pattern = _compile(self._tree, self.source, re.IGNORECASE)
        return self._pattern

    @property
    def fast(self) -> re.Pattern[str] | None:
        """The same without IGNORECASE, for the lower-cased message (3-5x faster); None when the pattern has an
        upper-case-only part."""
        if self._fast is None and self._lower_only:
            self._fast = _compile(self._tree, self.source, 0)
        return self._fast

    def search(self, text: str, low: str, skip: int = 0, scan: str | None = None) -> bool:
        """Does the pattern match? (`skip`: how many gates are already known to pass.)"""
        if len(self.gates) > skip and not self.passes(low, scan, skip):
            return False
        if self._lower_only and len(low) == len(text):
            return (self._fast or self.fast).search(low) is not None
        return (self._pattern or self.pattern).search(text) is not None

    def passes(self, low: str, scan: str | None = None, skip: int = 0) -> bool:
        """Are the gates (after the first `skip`) all present in the message's scan text?"""
        if scan is None:
            scan = scan_text(low)
        for gate_ in self.gates[skip:]:
            for a in gate_:
                if a in scan:
                    break
            else:
                return False
        return True


def _compile(tree, source: str, flags: int) -> re.Pattern[str]:
    """Compile from the parse tree when there is one (no second parse), else from the source."""
    if tree is not None:
        try:
            return sre_compile.compile(tree, flags)
        except Exception:  # noqa: BLE001 - fall back to the ordinary path
            pass
    return re.compile(source, flags)


class _LiteralIndex:
    """The first-gate literals of every pattern set, found in a scan text in one Aho-Corasick pass shared by all
    the sets (rules, risk terms, abuse), and remembered for the last scan text."""

    def __init__(self) -> None:
        self._literals: set[str] = set()
        self._automaton = None
        self._last: tuple[str, frozenset[str]] = ("", frozenset())

    def add(self, literals: set[str]) -> None:
        if not literals <= self._literals:
            self._literals |= literals
            self._automaton = None  # rebuilt on next use
            self._last = ("", frozenset())

    def present(self, scan: str) -> frozenset[str]:
        last = self._last
        if last[0] is scan:
            return last[1]
        automaton = self._automaton
        if automaton is None and ahocorasick is not None and self._literals:
            automaton = ahocorasick.Automaton()
            for lit in self._literals:
                automaton.add_word(lit, lit)
            automaton.make_automaton()
            self._automaton = automaton
        if automaton is not None:
            found = frozenset([lit for _, lit in automaton.iter(scan)])
        else:
            found = frozenset([lit for lit in self._literals if lit in scan])
        self._last = (scan, found)
        return found


_INDEX = _LiteralIndex()


class PatternSet:
    """Many gated patterns, each with a key; finds the keys whose patterns match, checking few regexes.

    The literals of every pattern's most selective gate are found in one pass over the message's scan text
    (an Aho-Corasick automaton shared by all pattern sets, or plain `in` tests when pyahocorasick is missing);
    only the patterns whose literal is present are checked further.
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
        _INDEX.add(set(self._by_literal))

    def matching(self, text: str, low: str) -> set:
        """Keys of the patterns that match `text` (`low` is `text.lower()`)."""
        found: set = set()
        scan = scan_text(low)
        for key, gp in self._always:
            if key not in found and gp.search(text, low, 0, scan):
                found.add(key)
        by_literal = self._by_literal
        for lit in _INDEX.present(scan):
            entries = by_literal.get(lit)
            if entries:
                for key, gp in entries:
                    if key not in found and gp.search(text, low, 1, scan):
                        found.add(key)
        return found


def _order_gates(keyed: list[tuple[object, GatedPattern]]) -> list[tuple[object, GatedPattern]]:
    """Put each pattern's rarest gate first, rarity measured on a reference corpus (the seed messages): the
    first gate is the one looked up for every message, the others are only checked when it is present."""
    df = literal_counts({lit for _, gp in keyed for g in gp.gates for lit in g})
    if df is None:
        return keyed
    return [(key, gp.with_gates(tuple(sorted(gp.gates, key=lambda g: sum(df[lit] for lit in g))))) for key, gp in keyed]


def index_cost(gp: GatedPattern, counts: dict[str, int] | None) -> int:
    """How many reference messages would make this pattern run: the count for its rarest gate (0 when the
    counts are unknown). `counts`: `literal_counts` of (at least) its literals."""
    if not gp.gates:
        return len(reference_texts()) or 1
    if counts is None:
        return 0
    return min(sum(counts[lit] for lit in g) for g in gp.gates)


_COUNTS: dict[str, int] = {}


def literal_counts(literals: set[str]) -> dict[str, int] | None:
    """In how many reference messages (as scan text) each literal occurs; None without a corpus or automaton."""
    reference = reference_texts()
    if not reference or not literals or ahocorasick is None:
        return None
    missing = literals - _COUNTS.keys()
    if missing:
        automaton = ahocorasick.Automaton()
        for lit in missing:
            automaton.add_word(lit, lit)
        automaton.make_automaton()
        counts = dict.fromkeys(missing, 0)
        for text in _reference_scans():
            for lit in {lit for _, lit in automaton.iter(text)}:
                counts[lit] += 1
        _COUNTS.update(counts)
    return {lit: _COUNTS[lit] for lit in literals}


_SCANS: list[list[str]] = []


def _reference_scans() -> list[str]:
    if not _SCANS:
        _SCANS.append([scan_text(t) for t in reference_texts()])
    return _SCANS[0]


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
    """A pattern with the literals it cannot match without (the most selective first); compiled on first use."""
    try:
        tree = sre_parse.parse(pattern, 0)
        required = _required(tree)
        lower_only = _lower_only(tree)
    except re.error:
        raise
    except Exception:  # noqa: BLE001 - a pattern the parser cannot analyse simply runs on every message
        tree, required, lower_only = None, [], False
    required = [r for r in required if r and all(a == a.lower() and a.strip() for a in r)]
    required = [frozenset(_scan_literal(a) for a in r) for r in required]
    required = [r for r in required if all(a.strip() for a in r)]  # a gate of spaces alone passes everywhere
    required.sort(key=lambda r: (-min(_selectivity(a) for a in r), len(r)))
    gates = tuple(tuple(sorted(r, key=len, reverse=True)) for r in required[:max_gates])
    return GatedPattern(gates, pattern, tree, lower_only)


def _lower_only(seq) -> bool:
    """True when nothing in a parsed pattern can only match an upper-case letter: then the pattern, without
    IGNORECASE, finds in `text.lower()` exactly what it finds in `text` with it."""
    for op, av in seq:
        if op is sre_c.LITERAL or op is sre_c.NOT_LITERAL:
            if chr(av) != chr(av).lower() or chr(av).upper() != chr(av) and op is sre_c.NOT_LITERAL:
                return False
        elif op is sre_c.IN:
            for iop, iav in av:
                if iop is sre_c.LITERAL and chr(iav) != chr(iav).lower():
                    return False
                if iop is sre_c.RANGE and any(chr(c) != chr(c).lower() for c in range(iav[0], iav[1] + 1)):
                    return False
                if iop is sre_c.NEGATE:
                    return False
        elif op is sre_c.SUBPATTERN:
            if not _lower_only(av[-1]):
                return False
        elif op is sre_c.BRANCH:
            if not all(_lower_only(alt) for alt in av[1]):
                return False
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT):
            if not _lower_only(av[2]):
                return False
        elif op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
            if not _lower_only(av[1]):
                return False
        elif op in (sre_c.GROUPREF, sre_c.GROUPREF_EXISTS, sre_c.ATOMIC_GROUP):
            return False
    return True


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _required(seq, bound: bool = False) -> list[frozenset[str]]:
    """Sets of literals: every match of `seq` contains one literal of each set. A literal the pattern needs at
    a word boundary gets a space on that side (scan text has a space wherever a word starts or ends);
    `bound`: `seq` itself starts at a word boundary."""
    sets: list[frozenset[str]] = []
    run: list[str] = []
    run_bound = bound  # the literal run being collected starts at a word boundary

    def mark(literal: str, start: bool) -> str:
        return " " + literal if start and literal and _is_word(literal[0]) else literal

    def flush(end: bool = False) -> None:
        if run:
            literal = mark("".join(run), run_bound)
            if end and _is_word(literal[-1]):
                literal += " "
            sets.append(frozenset([literal]))
            run.clear()

    after_boundary = bound
    for op, av in seq:
        if op is sre_c.LITERAL:
            if not run:
                run_bound = after_boundary
            run.append(chr(av).lower())
            after_boundary = False
            continue
        if op is sre_c.AT and av is sre_c.AT_BOUNDARY:
            flush(end=True)
            after_boundary = True
            continue
        if op is sre_c.BRANCH and run:
            # the parser factors common prefixes out ("fire|flames" -> "f" + "ire|lames"): rejoin them
            prefix = "".join(run)
            sets.append(frozenset(mark(prefix + _leading_literal(alt), run_bound) for alt in av[1]))
            run.clear()
        flush()
        if op is sre_c.SUBPATTERN:
            sets += _required(av[-1], after_boundary)
        elif op is sre_c.BRANCH:
            best = [_best(_required(alt, after_boundary)) for alt in av[1]]
            if best and all(best):
                sets.append(frozenset().union(*best))
        elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT) and av[0] >= 1:
            sets += _required(av[2], after_boundary)
        after_boundary = False
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
