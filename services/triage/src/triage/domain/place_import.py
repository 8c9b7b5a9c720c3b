"""Turns open-data GeoJSON (roads as lines, areas as polygons) into `places:` items with geometry.

    civic-inbox triage places --geojson trunk_roads.geojson --owner national_highways --name-property ref

Features with the same name become one place with several geometries (a road is many line segments); a
MultiLineString or MultiPolygon adds each part. The output is YAML to paste under `places.items`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

import yaml

_KINDS = {"LineString": "line", "MultiLineString": "line", "Polygon": "polygon", "MultiPolygon": "polygon"}


class GeoJSONError(ValueError):
    """The file is not GeoJSON the importer understands."""


def _parts(geometry: dict) -> Iterable[tuple[str, list]]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind == "LineString":
        yield "line", coords
    elif kind == "MultiLineString":
        for line in coords:
            yield "line", line
    elif kind == "Polygon":
        yield "polygon", coords[0]  # the outer ring
    elif kind == "MultiPolygon":
        for polygon in coords:
            yield "polygon", polygon[0]


def places_from_geojson(text: str, *, owner: str, name_property: str, kind: str, buffer_m: float,
                        department: str | None = None, precision: int = 5) -> list[dict]:
    """`places:` items, one per distinct value of `name_property`."""
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise GeoJSONError(f"not JSON: {exc}") from None
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise GeoJSONError("expected a GeoJSON FeatureCollection")
    places: dict[str, dict] = {}
    for i, feature in enumerate(features):
        geometry = (feature or {}).get("geometry") or {}
        if geometry.get("type") not in _KINDS:
            continue
        name = str(((feature.get("properties") or {}).get(name_property)) or f"feature {i}").strip()
        pid = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or f"place_{i}"
        pid = pid if pid[0].isalpha() else f"p_{pid}"
        place = places.setdefault(pid, {"id": pid, "name": name, "kind": kind, "owner": owner, "geometry": []})
        if department:
            place["department"] = department
        for shape, coords in _parts(geometry):
            entry = {"type": shape, "coordinates": [[round(float(x), precision), round(float(y), precision)]
                                                    for x, y, *_ in coords]}
            if shape == "line":
                entry["buffer_m"] = buffer_m
            place["geometry"].append(entry)
    return list(places.values())


def to_yaml(places: list[dict]) -> str:
    return yaml.safe_dump(places, sort_keys=False, default_flow_style=None, width=120)
