"""The subset of MongoDB's query and sort language the web app's list queries use, evaluated in Python
over documents held in memory (`inbox_index`), so the in-memory list and the database agree on one query.

Supported: `$and`, `$or`, and per field an equality value (None matches a missing field too), `$eq`,
`$ne`, `$in`, `$nin`, `$lt`, `$lte`, `$gt`, `$gte`, `$exists`; dotted paths. Sorting puts missing and
null values lowest, as MongoDB does."""

from collections.abc import Callable
from typing import Any

MISSING = object()


def value_at(doc: dict, path: str) -> Any:
    current: Any = doc
    for part in path.split("."):
        if not isinstance(current, dict) or part not in current:
            return MISSING
        current = current[part]
    return current


def _compare(value: Any, op: Callable[[Any, Any], bool], operand: Any) -> bool:
    if value is MISSING or value is None or operand is None:
        return False
    try:
        return op(value, operand)
    except TypeError:
        return False


def _field(value: Any, condition: Any) -> bool:
    present = value is not MISSING
    if not isinstance(condition, dict) or not any(k.startswith("$") for k in condition):
        return (value is MISSING or value is None) if condition is None else (present and value == condition)
    for op, operand in condition.items():
        if op == "$eq":
            ok = _field(value, operand)
        elif op == "$ne":
            ok = not _field(value, operand)
        elif op == "$in":
            ok = any(_field(value, o) for o in operand)
        elif op == "$nin":
            ok = not any(_field(value, o) for o in operand)
        elif op == "$lt":
            ok = _compare(value, lambda a, b: a < b, operand)
        elif op == "$lte":
            ok = _compare(value, lambda a, b: a <= b, operand)
        elif op == "$gt":
            ok = _compare(value, lambda a, b: a > b, operand)
        elif op == "$gte":
            ok = _compare(value, lambda a, b: a >= b, operand)
        elif op == "$exists":
            ok = present == bool(operand)
        else:
            raise ValueError(f"unsupported query operator {op}")
        if not ok:
            return False
    return True


def matches(doc: dict, query: dict) -> bool:
    for key, condition in query.items():
        if key == "$and":
            if not all(matches(doc, q) for q in condition):
                return False
        elif key == "$or":
            if not any(matches(doc, q) for q in condition):
                return False
        elif key.startswith("$"):
            raise ValueError(f"unsupported query operator {key}")
        elif not _field(value_at(doc, key), condition):
            return False
    return True


def sort_docs(docs: list[dict], spec: list[tuple[str, int]]) -> list[dict]:
    """`docs` ordered by a MongoDB sort specification (1 ascending, -1 descending)."""
    ordered = list(docs)
    for path, direction in reversed(spec):
        def key(doc: dict, path: str = path) -> tuple:
            value = value_at(doc, path)
            return (0, 0) if value is MISSING or value is None else (1, value)
        ordered.sort(key=key, reverse=direction < 0)
    return ordered
