"""One sort order of the in-memory inbox list, kept sorted as entries change (`list_index`)."""

from bisect import bisect_left, insort
from collections.abc import Iterable

from inbox.web import matching


class SortOrder:
    """The keys of the entries in one sort order, kept sorted as entries change (one bisect per change).
    Sort values that have no flat key (a descending sort on text) make it `broken`: sort in full instead."""

    def __init__(self, spec: list[tuple[str, int]]) -> None:
        self.spec = spec
        self._key = matching.sort_key(spec)
        self.rows: list[tuple] = []  # (sort key, conversation key)
        self._of: dict[str, tuple] = {}
        self.broken = False

    def rebuild(self, entries: dict[str, dict]) -> None:
        try:
            self._of = {k: (self._key(d), k) for k, d in entries.items()}
            self.rows = sorted(self._of.values())
            self.broken = False
        except TypeError:
            self.broken, self._of, self.rows = True, {}, []

    def put(self, key: str, doc: dict) -> None:
        if self.broken:
            return
        try:
            row = (self._key(doc), key)
        except TypeError:
            self.broken, self._of, self.rows = True, {}, []
            return
        old = self._of.get(key)
        if old == row:
            return
        if old is not None:
            self._remove(old)
        insort(self.rows, row)
        self._of[key] = row

    def remove(self, key: str) -> None:
        old = self._of.pop(key, None)
        if old is not None:
            self._remove(old)

    def _remove(self, row: tuple) -> None:
        at = bisect_left(self.rows, row)
        if at < len(self.rows) and self.rows[at] == row:
            del self.rows[at]

    def rank(self, key: str) -> tuple:
        """The entry's place in this order."""
        return self._of[key]

    def keys(self) -> Iterable[str]:
        return (k for _, k in self.rows)
