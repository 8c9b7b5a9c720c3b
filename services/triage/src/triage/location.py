"""Where a message was sent from, when its platform says: (longitude, latitude) for place matching.

Read from the untouched platform payload, never trusted further than two numbers in range:
- a web form or Open311 request: its `lat` and `long` fields (form-encoded or JSON);
- a post with platform geo: GeoJSON `{"type": "Point", "coordinates": [lon, lat]}` under `geo.coordinates`
  (X) or `coordinates`, or `location.latitude`/`longitude` (a shared location in Messenger or WhatsApp).
"""

from __future__ import annotations

import json
import math
from urllib.parse import parse_qs

from civic_contracts import Channel, InboundMessage

_MAX_PAYLOAD = 200_000  # a payload larger than this is not searched for coordinates


def _pair(lon: object, lat: object) -> tuple[float, float] | None:
    try:
        x, y = float(lon), float(lat)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if math.isfinite(x) and math.isfinite(y) and -180 <= x <= 180 and -90 <= y <= 90 and (x, y) != (0.0, 0.0):
        return x, y
    return None


def _from_json(doc: object) -> tuple[float, float] | None:
    if not isinstance(doc, dict):
        return None
    if "lat" in doc and "long" in doc:
        return _pair(doc["long"], doc["lat"])
    for holder in (doc.get("geo"), doc):
        if isinstance(holder, dict):
            point = holder.get("coordinates")
            if isinstance(point, dict) and point.get("type") == "Point":
                coords = point.get("coordinates")
                if isinstance(coords, list) and len(coords) == 2:
                    return _pair(coords[0], coords[1])
    loc = doc.get("location")
    if isinstance(loc, dict) and "latitude" in loc and "longitude" in loc:
        return _pair(loc["longitude"], loc["latitude"])
    return None


def point_of(message: InboundMessage) -> tuple[float, float] | None:
    """(longitude, latitude) the message carries, or None."""
    raw = message.raw_payload
    if not raw or len(raw) > _MAX_PAYLOAD:
        return None
    head = raw.lstrip()[:1]
    if head in ("{", "["):
        try:
            doc = json.loads(raw)
        except ValueError:
            return None
        return _from_json(doc)
    if message.channel == Channel.WEBFORM:
        fields = parse_qs(raw, max_num_fields=100)
        lat, lon = fields.get("lat"), fields.get("long")
        if lat and lon:
            return _pair(lon[0], lat[0])
    return None
