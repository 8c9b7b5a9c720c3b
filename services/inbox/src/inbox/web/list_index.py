"""What makes the in-memory inbox list answer a page in milliseconds at 100,000 conversations: per-field
postings (value -> bitmap of conversations) and sort orders kept sorted as entries change, instead of
filtering and sorting every entry on every page view.

A list query (the MongoDB subset of `matching`) is answered in three steps: the conditions on posted fields
(equality, `$in`, `$ne`, `$nin` on status, department, channel, ...) become bitwise operations on the
postings; what is left (an `$or` of SLA clocks, a date range) runs as a predicate over the remaining
candidates only; the page is then read off the maintained sort order, stopping once it is full. The total is
the bit count of the matching bitmap, so a count never walks documents."""

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from operator import itemgetter

from inbox.web import matching
from inbox.web.sort_order import SortOrder

# Fields with postings: the filters, views and scopes of the list ask for these by value.
POSTED = ("status", "department", "channel", "urgency", "sentiment", "language", "assignee", "routing_blocked",
          "needs_review", "abuse", "kind", "account_id", "author.platform_id", "not_a_request")
SCALARS = (str, int, float, bool, type(None))
# Fields posted only as set or not set (their values are times, one posting each would be as many bitmaps).
PRESENCE = ("sla.first_response.met_at", "sla.resolution.met_at")
# Fields kept in value order, so a range (`$lt`, `$lte`, `$gt`, `$gte`) is a slice of it.
RANGED = ("sla.first_response.warn_at", "sla.resolution.warn_at")
PRESENT = "\x00present"


class Postings:
    """value -> the set of entries with it, for each posted field, as bitmaps (Python ints: bit `slot` set for
    each entry that has the value), so a query's posted conditions cost a few big-int operations and a count is
    `int.bit_count()`. A missing field is posted under None, as MongoDB matches it."""

    def __init__(self, fields: Iterable[str] = POSTED, *, presence: Iterable[str] = PRESENCE,
                 ranged: Iterable[str] = RANGED) -> None:
        self.presence = tuple(presence)
        self.fields = (*fields, *self.presence)
        self._get = {f: _plain(f) if f not in self.presence else _presence(f) for f in self.fields}
        self.ranges = {f: SortOrder([(f, 1)]) for f in ranged}
        self._ranged_value = {f: _plain(f) for f in ranged}
        # field -> (bound, bitmap of the entries whose value is <= bound), kept up to date as entries change: the
        # "warning time passed" question of the SLA view asks it with a bound (now) that only moves forward.
        self._upto: dict[str, tuple[object, int]] = {}
        self.slot_of: dict[str, int] = {}
        self.key_at: list[str | None] = []
        self._free: list[int] = []
        self.live = 0  # every entry's bit
        self.by: dict[str, dict[tuple, int]] = {f: {} for f in self.fields}
        self.posted: dict[str, dict[str, object]] = {f: {} for f in self.fields}  # field -> key -> value
        self.unposted: set[str] = set()  # fields that met a value that cannot be posted (a list, a dict)

    def rebuild(self, entries: dict[str, dict]) -> None:
        """Post every entry at once (one bitmap built per value, not one big-int operation per entry)."""
        self.__init__(self.fields[:len(self.fields) - len(self.presence)], presence=self.presence, ranged=self.ranges)
        slots: dict[str, dict[tuple, list[int]]] = {f: {} for f in self.fields}
        for slot, (key, doc) in enumerate(entries.items()):
            self.slot_of[key] = slot
            self.key_at.append(key)
            for name in self.fields:
                value = self._get[name](doc)
                if not isinstance(value, SCALARS):
                    self.unposted.add(name)
                    continue
                slots[name].setdefault(_tag(value), []).append(slot)
                self.posted[name][key] = value
        for order in self.ranges.values():
            order.rebuild(entries)
        size = (len(self.key_at) + 8) // 8
        self.live = _bitmap(range(len(self.key_at)), size)
        for name, values in slots.items():
            self.by[name] = {tag: _bitmap(found, size) for tag, found in values.items()}

    def put(self, key: str, doc: dict) -> None:
        slot = self.slot_of.get(key)
        if slot is None:
            slot = self._free.pop() if self._free else len(self.key_at)
            if slot == len(self.key_at):
                self.key_at.append(key)
            self.key_at[slot] = key
            self.slot_of[key] = slot
            self.live |= 1 << slot
        bit = 1 << slot
        for order in self.ranges.values():
            order.put(key, doc)
        for name, (bound, mask) in list(self._upto.items()):
            value = self._ranged_value[name](doc)
            try:
                inside = value is not None and value <= bound
            except TypeError:
                self._upto.pop(name)
                continue
            if inside != bool(mask & bit):
                self._upto[name] = (bound, mask ^ bit)
        for name in self.fields:
            value = self._get[name](doc)
            old = self.posted[name].get(key, _NOTHING)
            if old is not _NOTHING and _same(old, value):
                continue
            if old is not _NOTHING:
                self._drop(name, key, old, bit)
            if not isinstance(value, SCALARS):
                self.unposted.add(name)
                continue
            values = self.by[name]
            values[_tag(value)] = values.get(_tag(value), 0) | bit
            self.posted[name][key] = value

    def remove(self, key: str) -> None:
        slot = self.slot_of.pop(key, None)
        if slot is None:
            return
        bit = 1 << slot
        for order in self.ranges.values():
            order.remove(key)
        for name, (bound, mask) in list(self._upto.items()):
            if mask & bit:
                self._upto[name] = (bound, mask ^ bit)
        for name in self.fields:
            old = self.posted[name].get(key, _NOTHING)
            if old is not _NOTHING:
                self._drop(name, key, old, bit)
        self.live ^= bit
        self.key_at[slot] = None
        self._free.append(slot)

    def _drop(self, name: str, key: str, value: object, bit: int) -> None:
        values = self.by[name]
        mask = values.get(_tag(value), 0)
        if mask & bit:
            mask ^= bit
            if mask:
                values[_tag(value)] = mask
            else:
                del values[_tag(value)]
        self.posted[name].pop(key, None)

    def answer(self, name: str, condition: object) -> int | None:
        """The bitmap of the entries whose field `name` meets `condition`, or None when the postings cannot tell."""
        if name in self.ranges:
            return self._range(name, condition)
        if name not in self._get or name in self.unposted:
            return None
        if name in self.presence and condition is not None and condition not in ({"$eq": None}, {"$ne": None}):
            return None
        if not isinstance(condition, dict):
            return self._one(name, condition) if isinstance(condition, SCALARS) else None
        if len(condition) != 1:
            return None
        (op, operand), = condition.items()
        if op == "$eq" and isinstance(operand, SCALARS):
            return self._one(name, operand)
        if op in ("$in", "$nin") and isinstance(operand, list | tuple) and all(isinstance(o, SCALARS) for o in operand):
            found = 0
            for o in operand:
                found |= self._one(name, o)
            return found if op == "$in" else self.live ^ found
        if op == "$ne" and isinstance(operand, SCALARS):
            return self.live ^ self._one(name, operand)
        return None

    def _one(self, name: str, value: object) -> int:
        return self.by[name].get(_tag(value), 0)

    def _range(self, name: str, condition: object) -> int | None:
        order = self.ranges[name]
        if order.broken or not isinstance(condition, dict) or not condition:
            return None
        try:
            return self._slice(order, condition)
        except TypeError:  # a value that does not compare with the operand: let the predicate decide
            return None

    def _slice(self, order: SortOrder, condition: dict) -> int | None:
        if len(condition) == 1 and "$lte" in condition and condition["$lte"] is not None:
            return self._up_to(order, condition["$lte"])
        low, high = bisect_left(order.rows, ((1,),)), len(order.rows)  # values set (None and missing sort first)
        for op, operand in condition.items():
            if op not in ("$lt", "$lte", "$gt", "$gte") or operand is None or isinstance(operand, bool | dict | list):
                return None
            if op in ("$lt", "$gte"):
                at = bisect_left(order.rows, ((1, operand),))
            else:
                at = bisect_right(order.rows, ((1, operand), "\U0010ffff"))
            low, high = (low, min(high, at)) if op in ("$lt", "$lte") else (max(low, at), high)
        slots = map(self.slot_of.__getitem__, map(itemgetter(1), order.rows[low:high]))
        return _bitmap(slots, (len(self.key_at) + 8) // 8)

    def _up_to(self, order: SortOrder, bound: object) -> int:
        """The entries whose value is at most `bound`: the cached bitmap for an earlier bound, plus the entries
        between the two (for the SLA view, those whose warning time passed since the last page view)."""
        name = order.spec[0][0]
        last = self._upto.get(name)
        end = bisect_right(order.rows, ((1, bound), "\U0010ffff"))
        if last is not None and last[0] <= bound:
            start, mask = bisect_right(order.rows, ((1, last[0]), "\U0010ffff")), last[1]
        else:
            start, mask = bisect_left(order.rows, ((1,),)), 0
        if end > start:
            slots = map(self.slot_of.__getitem__, map(itemgetter(1), order.rows[start:end]))
            mask |= _bitmap(slots, (len(self.key_at) + 8) // 8)
        self._upto[name] = (bound, mask)
        return mask

    def keys(self, mask: int) -> list[str]:
        """The keys of the entries in `mask` (bit by bit when they are few, else by a walk over every slot)."""
        if mask.bit_count() <= 256:
            found = []
            while mask:
                low = mask & -mask
                found.append(self.key_at[low.bit_length() - 1])
                mask ^= low
            return found
        bits = mask.to_bytes((len(self.key_at) + 8) // 8, "little")
        return [k for slot, k in enumerate(self.key_at) if k is not None and bits[slot >> 3] >> (slot & 7) & 1]


def _bitmap(slots: Iterable[int], size: int) -> int:
    raw = bytearray(size)
    for slot in slots:
        raw[slot >> 3] |= 1 << (slot & 7)
    return int.from_bytes(raw, "little")


def _plain(path: str) -> Callable[[dict], object]:
    get = matching.getter(path)

    def value(doc: dict) -> object:
        v = get(doc)
        return None if v is matching.MISSING else v
    return value


def _presence(path: str) -> Callable[[dict], object]:
    value = _plain(path)
    return lambda doc: None if value(doc) is None else PRESENT


def _same(a: object, b: object) -> bool:
    return type(a) is type(b) and a == b


def _tag(value: object) -> tuple:
    """The posting of a value: True == 1 and False == 0 in Python, not in MongoDB, so booleans stand apart."""
    return (isinstance(value, bool), value)


_NOTHING = object()
