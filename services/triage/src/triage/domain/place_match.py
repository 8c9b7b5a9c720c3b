"""Finds the place a message is about, from its text or its coordinates (see `triage.domain.places`).

Text: every place's names and patterns are gated patterns in one `PatternSet`, so a message that names no
place costs one shared literal scan. A mention right after "bridge over", "near", "off" (the taxonomy's `near`
words) or right before "bridge", "closure" (`near_after`) is *near* the place: reported, never routed. Of the
places the message is *on*, the most specific wins: coordinates before text, then the longest mention ("A40
Golden Valley" over "A40").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from triage.domain.gating import PatternSet, gate
from triage.domain.geo import Point, bounding_box, distance_to_line_m, inside_polygon
from triage.domain.places import Place, Places

_BEFORE = 32  # characters before a mention looked at for `near` words
_AFTER = 24


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """The place a message is about, and what follows from it."""

    place_id: str
    name: str
    kind: str
    owner_id: str
    owner: str
    department: str | None  # the department it routes to (another body), or the organisation's own hint
    signpost: str
    how: str  # "text" or "coordinates"
    on: bool  # on the place, not next to it
    ours: bool  # owned by this organisation
    evidence: str  # the words that named it ("" for coordinates)
    weight: float = 1.0  # 1: decides; less: evidence for the owner's department

    def as_dict(self) -> dict:
        return {"id": self.place_id, "name": self.name, "kind": self.kind, "owner": self.owner,
                "department": self.department, "matched_by": self.how, "on_place": self.on,
                "signpost": self.signpost or None}


def _phrase(name: str) -> str:
    words = [re.escape(w) for w in name.lower().split()]
    return r"\b" + r"[\s\-]*".join(words) + r"\b"


class PlaceFinder:
    """Compiled `places:` of a taxonomy."""

    def __init__(self, places: Places) -> None:
        self.places = places
        self.bodies = {b.id: b for b in places.bodies}
        self._items = {p.id: p for p in places.items}
        keyed = []
        self._regex: dict[str, re.Pattern[str]] = {}
        for p in places.items:
            sources = [_phrase(n) for n in p.names] + list(p.patterns)
            if sources:
                source = "|".join(f"(?:{s})" for s in sources)
                self._regex[p.id] = re.compile(source)
                keyed.extend((p.id, gate(s)) for s in sources)
        self._set = PatternSet(keyed) if keyed else None
        self._unless = {p.id: re.compile("|".join(f"(?:{u})" for u in p.unless)) for p in places.items if p.unless}
        self._near = re.compile("(?:" + "|".join(places.near) + r")\W*$") if places.near else None
        self._near_after = re.compile(r"^\W*(?:" + "|".join(places.near_after) + ")") if places.near_after else None
        self._shapes = [(p, g, bounding_box(g.coordinates, g.buffer_m if g.type == "line" else 0.0))
                        for p in places.items for g in p.geometry]

    def find(self, text: str, low: str, point: Point | None = None) -> PlaceMatch | None:
        """The place `text` (lower-cased `low`) is about, or None; `point` (lon, lat) when the message has one."""
        if point is not None and self._shapes:
            hit = self._at(point)
            if hit is not None:
                return self._match(hit, "coordinates", True, "")
        if self._set is None:
            return None
        keys = self._set.matching(low, low)
        if not keys:
            return None
        best: tuple[tuple[int, int, int], Place, bool, str] | None = None
        for pid in keys:
            unless = self._unless.get(pid)
            if unless is not None and unless.search(low):
                continue
            place = self._items[pid]
            for m in self._regex[pid].finditer(low):
                on = not self._is_near(low, m.start(), m.end())
                rank = (int(on), int(place.weight >= 1.0), m.end() - m.start())
                if best is None or rank > best[0]:
                    best = (rank, place, on, text[m.start():m.end()])
        if best is None:
            return None
        _, place, on, evidence = best
        return self._match(place, "text", on, evidence)

    def _is_near(self, low: str, start: int, end: int) -> bool:
        if self._near is not None and self._near.search(low, max(0, start - _BEFORE), start):
            return True
        return self._near_after is not None and self._near_after.match(low[end:end + _AFTER]) is not None

    def _at(self, point: Point) -> Place | None:
        lon, lat = point
        found: list[tuple[float, Place]] = []
        for place, g, (x0, y0, x1, y1) in self._shapes:
            if not (x0 <= lon <= x1 and y0 <= lat <= y1):
                continue
            if g.type == "polygon":
                if inside_polygon(point, g.coordinates):
                    found.append(((x1 - x0) * (y1 - y0), place))  # the smallest polygon is the most specific
            elif distance_to_line_m(point, g.coordinates) <= g.buffer_m:
                found.append((-1.0, place))  # a line (a road) is narrower than any area around it
        return min(found, key=lambda f: f[0])[1] if found else None

    def _match(self, place: Place, how: str, on: bool, evidence: str) -> PlaceMatch:
        body = self.bodies[place.owner]
        ours = body.id == self.places.organisation
        return PlaceMatch(
            place_id=place.id, name=place.name, kind=place.kind, owner_id=body.id, owner=body.name,
            department=place.department or body.department, signpost="" if ours else body.signpost, how=how, on=on,
            ours=ours, evidence=evidence, weight=1.0 if how == "coordinates" else place.weight,
        )
