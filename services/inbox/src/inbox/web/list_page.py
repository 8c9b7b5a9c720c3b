"""One page of the in-memory inbox list (`list_index` explains how): a query's posted conditions become a
bitmap, the rest a predicate over what is left; the page is read off a kept sort order, or, when only a few
entries match, those are sorted directly."""

from collections.abc import Callable, Iterable

from inbox.web import matching
from inbox.web.list_index import Postings

SPARSE = 32  # matches fewer than one entry in this many: sort them rather than walk a whole sort order


def plan(query: dict, postings: Postings) -> tuple[int | None, dict]:
    """(the bitmap of entries the posted conditions allow, or None for all; the rest of the query, as a query)."""
    parts = list(query.get("$and", [])) + [{k: v} for k, v in query.items() if k != "$and"]
    allowed: int | None = None
    rest: list[dict] = []
    for part in parts:
        found = _mask(part, postings)
        if found is None:
            rest.append(part)
        else:
            allowed = found if allowed is None else allowed & found
    return allowed, ({"$and": rest} if rest else {})


def _mask(query: dict, postings: Postings) -> int | None:
    """The bitmap of entries matching `query` when the postings answer all of it; else None."""
    masks = []
    for name, condition in query.items():
        if name in ("$and", "$or") and isinstance(condition, list) and condition:
            subs = [_mask(q, postings) for q in condition]
            if any(m is None for m in subs):
                return None
            combined = subs[0]
            for m in subs[1:]:
                combined = combined & m if name == "$and" else combined | m
            masks.append(combined)
        elif name.startswith("$") or (found := postings.answer(name, condition)) is None:
            return None
        else:
            masks.append(found)
    if not masks:
        return None
    result = masks[0]
    for m in masks[1:]:
        result &= m
    return result


def page(query: dict, order: Iterable[str], entries: dict[str, dict], postings: Postings, *, start: int,
         size: int | None, rank: Callable[[str], tuple] | None = None) -> tuple[list[dict], int]:
    """The entries matching `query`, in `order`, from `start` (`size` of them; None: all), and how many match.
    `rank(key)`: the entry's place in `order`, to sort a few matches directly rather than walk the order."""
    allowed, rest = plan(query, postings)
    sparse = max(64, len(entries) // SPARSE)
    predicate: Callable[[dict], bool] | None = matching.compile_query(rest) if rest else None
    if predicate is not None:
        candidates = postings.keys(allowed) if allowed is not None else entries.keys()
        chosen = {k for k in candidates if predicate(entries[k])}
        if rank is not None and len(chosen) <= sparse:
            return _sorted(chosen, rank, entries, start, size), len(chosen)
        return _read(order, chosen.__contains__, entries, start, size), len(chosen)
    if allowed is None:
        keys = list(order)
        return [entries[k] for k in keys[start:None if size is None else start + size]], len(keys)
    total = allowed.bit_count()
    if rank is not None and total <= sparse:
        return _sorted(postings.keys(allowed), rank, entries, start, size), total
    bits = allowed.to_bytes((len(postings.key_at) + 8) // 8, "little")
    slot_of = postings.slot_of

    def member(key: str) -> bool:
        slot = slot_of[key]
        return bool(bits[slot >> 3] >> (slot & 7) & 1)
    return _read(order, member, entries, start, size), total


def _sorted(keys: Iterable[str], rank: Callable[[str], tuple], entries: dict[str, dict], start: int,
            size: int | None) -> list[dict]:
    chosen = sorted(keys, key=rank)
    return [entries[k] for k in chosen[start:None if size is None else start + size]]


def _read(order: Iterable[str], member: Callable[[str], bool], entries: dict[str, dict], start: int,
          size: int | None) -> list[dict]:
    out: list[dict] = []
    skipped = 0
    for key in order:
        if member(key):
            if skipped < start:
                skipped += 1
                continue
            out.append(entries[key])
            if size is not None and len(out) >= size:
                break
    return out
