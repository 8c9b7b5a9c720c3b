"""The subset of MongoDB's query and sort language the web app's list queries use, evaluated in Python
over documents held in memory (`inbox_index`), so the in-memory list and the database agree on one query.

Supported: `$and`, `$or`, and per field an equality value (None matches a missing field too), `$eq`,
`$ne`, `$in`, `$nin`, `$lt`, `$lte`, `$gt`, `$gte`, `$exists`; dotted paths. Sorting puts missing and
null values lowest, as MongoDB does. A query is compiled once into a predicate, then run over many
documents."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

MISSING = object()
Predicate = Callable[[dict], bool]


def value_at(doc: dict, path: str) -> Any:
    current: Any = doc
    for part in path.split("."):
        if not isinstance(current, dict) or part not in current:
            return MISSING
        current = current[part]
    return current


def _absent(v: Any) -> bool:
    return v is MISSING or v is None


def _ordered(op: Callable[[Any, Any], bool], operand: Any) -> Callable[[Any], bool]:
    def check(v: Any) -> bool:
        if _absent(v) or operand is None:
            return False
        try:
            return op(v, operand)
        except TypeError:
            return False
    return check


def _condition(condition: Any) -> Callable[[Any], bool]:
    if not isinstance(condition, dict) or not any(k.startswith("$") for k in condition):
        if condition is None:
            return _absent
        return lambda v: v is not MISSING and v == condition
    checks: list[Callable[[Any], bool]] = []
    for op, operand in condition.items():
        if op == "$eq":
            checks.append(_condition(operand))
        elif op == "$ne":
            inner = _condition(operand)
            checks.append(lambda v, inner=inner: not inner(v))
        elif op in ("$in", "$nin"):
            checks.append(_membership(list(operand), negate=op == "$nin"))
        elif op in ("$lt", "$lte", "$gt", "$gte"):
            compare = {"$lt": lambda a, b: a < b, "$lte": lambda a, b: a <= b,
                       "$gt": lambda a, b: a > b, "$gte": lambda a, b: a >= b}[op]
            checks.append(_ordered(compare, operand))
        elif op == "$exists":
            checks.append(lambda v, want=bool(operand): (v is not MISSING) == want)
        else:
            raise ValueError(f"unsupported query operator {op}")
    return checks[0] if len(checks) == 1 else (lambda v: all(c(v) for c in checks))


def _membership(operands: list, *, negate: bool) -> Callable[[Any], bool]:
    with_none = any(o is None for o in operands)
    try:
        values = frozenset(o for o in operands if o is not None)
    except TypeError:  # unhashable operands: compare one by one
        singles = [_condition(o) for o in operands]
        return lambda v: any(c(v) for c in singles) != negate

    def check(v: Any) -> bool:
        if _absent(v):
            found = with_none
        else:
            try:
                found = v in values
            except TypeError:
                found = False
        return found != negate
    return check


def _getter(path: str) -> Callable[[dict], Any]:
    if "." not in path:
        return lambda doc: doc.get(path, MISSING)
    parts = path.split(".")

    def get(doc: dict) -> Any:
        current: Any = doc
        for part in parts:
            if not isinstance(current, dict):
                return MISSING
            current = current.get(part, MISSING)
            if current is MISSING:
                return MISSING
        return current
    return get


def _field(path: str, condition: Any) -> Predicate:
    check, get = _condition(condition), _getter(path)
    return lambda doc: check(get(doc))


def compile_query(query: dict) -> Predicate:
    tests: list[Predicate] = []
    for key, condition in query.items():
        if key == "$and":
            subs = [compile_query(q) for q in condition]
            tests.append(lambda doc, subs=subs: all(s(doc) for s in subs))
        elif key == "$or":
            subs = [compile_query(q) for q in condition]
            tests.append(lambda doc, subs=subs: any(s(doc) for s in subs))
        elif key.startswith("$"):
            raise ValueError(f"unsupported query operator {key}")
        else:
            tests.append(_field(key, condition))
    if not tests:
        return lambda doc: True
    return tests[0] if len(tests) == 1 else (lambda doc: all(t(doc) for t in tests))


def matches(doc: dict, query: dict) -> bool:
    return compile_query(query)(doc)


def _fast_key(spec: list[tuple[str, int]]) -> Callable[[dict], tuple]:
    """One flat sort key for the whole specification: numbers and dates negated for descending fields."""
    getters = [(_getter(path), direction < 0) for path, direction in spec]

    def key(doc: dict) -> tuple:
        out: list = []
        for get, descending in getters:
            value = get(doc)
            if value is MISSING or value is None:
                out += (1, 0) if descending else (0, 0)
            elif descending:
                number = value.timestamp() if isinstance(value, datetime) else value
                if isinstance(number, bool) or not isinstance(number, int | float):
                    raise TypeError("descending sort on a value that is not a number or a date")
                out += (0, -number)
            else:
                out += (1, value)
        return tuple(out)
    return key


def sort_docs(docs: list[dict], spec: list[tuple[str, int]]) -> list[dict]:
    """`docs` ordered by a MongoDB sort specification (1 ascending, -1 descending)."""
    try:
        return sorted(docs, key=_fast_key(spec))
    except TypeError:
        ordered = list(docs)
        for path, direction in reversed(spec):
            def key(doc: dict, path: str = path) -> tuple:
                value = value_at(doc, path)
                return (0, 0) if _absent(value) else (1, value)
            ordered.sort(key=key, reverse=direction < 0)
        return ordered


# Public names for the in-memory list's postings and sort orders (`list_index`).
getter = _getter
sort_key = _fast_key
