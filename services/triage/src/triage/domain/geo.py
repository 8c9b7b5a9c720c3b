"""Plain geometry on WGS84 coordinates for place matching: a point in a polygon, a point near a line.

Distances use a local equirectangular projection around the point (metres east and north of it). Over the few
kilometres a council's places span, the error is far below the width of a road, and no GIS library is needed.
Coordinates are GeoJSON order: (longitude, latitude).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

EARTH_RADIUS_M = 6_371_008.8
Point = tuple[float, float]  # (longitude, latitude)


def inside_polygon(point: Point, ring: Sequence[Point]) -> bool:
    """True when `point` lies inside the closed `ring` (even-odd rule; the last vertex may repeat the first)."""
    x, y = point
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        if (y1 > y) != (y2 > y):
            cross = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < cross:
                inside = not inside
    return inside


def distance_to_line_m(point: Point, line: Sequence[Point]) -> float:
    """Shortest distance in metres from `point` to the polyline `line` (one vertex: distance to that vertex)."""
    lon0, lat0 = point
    kx = math.radians(1.0) * EARTH_RADIUS_M * math.cos(math.radians(lat0))
    ky = math.radians(1.0) * EARTH_RADIUS_M
    xy = [((lon - lon0) * kx, (lat - lat0) * ky) for lon, lat in line]
    if len(xy) == 1:
        return math.hypot(*xy[0])
    best = math.inf
    for (ax, ay), (bx, by) in zip(xy, xy[1:], strict=False):
        dx, dy = bx - ax, by - ay
        seg = dx * dx + dy * dy
        t = 0.0 if seg == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / seg))
        best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def bounding_box(points: Sequence[Point], margin_m: float = 0.0) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of `points`, widened by `margin_m` metres: a cheap first test."""
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    dlat = margin_m / (math.radians(1.0) * EARTH_RADIUS_M)
    mid = math.radians((min(lats) + max(lats)) / 2)
    dlon = dlat / max(math.cos(mid), 0.01)
    return min(lons) - dlon, min(lats) - dlat, max(lons) + dlon, max(lats) + dlat
