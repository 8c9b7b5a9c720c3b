"""The taxonomy's `places:`: which roads, junctions, areas, parks, estates and assets belong to which body.

FixMyStreet routes a report by where it is, from a list each body keeps; this is that list. A place is found in
the text (names, road numbers, patterns) or, when the message carries coordinates, by its geometry (a polygon,
or a line with a buffer). A place owned by another body sends the message to that body's department (usually
`out_of_scope`) with a signposting text for the citizen; the explanation names the place either way.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

PLACE_KINDS = ("motorway", "road", "road_number", "junction", "area", "park", "estate", "asset")
_ID = r"^[a-z][a-z0-9_]*$"


def _check(patterns: list[str]) -> list[str]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None
    return patterns


class Body(BaseModel):
    """An organisation that owns places: this organisation itself, or another body the citizen is sent to."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID, description="Id the places' `owner` refers to.")
    name: str = Field(min_length=1, description="Name shown to staff and told to the citizen.")
    department: str | None = Field(
        default=None, description="Department a message about its places goes to (another body: usually "
        "`out_of_scope`); unset for the organisation itself, whose places route by what the message is about.")
    signpost: str = Field(default="", description="What to tell the citizen: where and how to report it to this body.")


class Geometry(BaseModel):
    """Where a place is on the map, GeoJSON order (longitude, latitude), WGS84."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["line", "polygon"] = Field(description="A line (with `buffer_m`) or a polygon (one outer ring).")
    coordinates: list[tuple[float, float]] = Field(min_length=1, description="[[lon, lat], ...].")
    buffer_m: float = Field(default=20.0, gt=0, le=5_000, description="For a line: how far either side counts as on it.")

    @model_validator(mode="after")
    def _shape(self) -> Geometry:
        if self.type == "polygon" and len(self.coordinates) < 3:
            raise ValueError("a polygon needs at least 3 points")
        for lon, lat in self.coordinates:
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise ValueError(f"({lon}, {lat}) is not a longitude, latitude pair")
        return self


class Place(BaseModel):
    """One named place and who owns it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID, description="Stable id reported in explanations (`place.<id>`).")
    name: str = Field(min_length=1, description="Name shown in explanations.")
    kind: Literal[PLACE_KINDS] = Field(description="motorway, road, road_number, junction, area, park, estate or asset.")  # type: ignore[valid-type]
    owner: str = Field(description="Id of the body that owns it (see `bodies`).")
    department: str | None = Field(
        default=None, description="Department for it (default: the owner's); for the organisation's own places, a "
        "hint used when the text alone does not say (a council park: `parks_trees`).")
    names: list[str] = Field(default_factory=list, description="Names and phrases, matched on word boundaries, any case.")
    patterns: list[str] = Field(default_factory=list, description="Regular expressions on the lower-cased text.")
    unless: list[str] = Field(default_factory=list, description="Regular expressions that stop the match anywhere in the text.")
    weight: float = Field(
        default=1.0, gt=0.0, le=1.0, description="How sure a mention makes the owner: 1 decides the department; less "
        "is evidence added to the owner's department's probability (a lane number hints at a trunk road, a "
        "telegraph pole is often only a landmark). Coordinates always decide.")
    geometry: list[Geometry] = Field(default_factory=list, description="Lines and polygons for messages with coordinates.")

    _checked = field_validator("patterns", "unless")(classmethod(lambda cls, v: _check(v)))

    @model_validator(mode="after")
    def _findable(self) -> Place:
        if not (self.names or self.patterns or self.geometry):
            raise ValueError("a place needs `names`, `patterns` or `geometry`")
        return self


class Places(BaseModel):
    """All the places, the bodies that own them, and the context words that tell "on it" from "next to it"."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    organisation: str = Field(description="Body id of this organisation (its places keep the message here).")
    bodies: list[Body] = Field(min_length=1)
    near: list[str] = Field(
        default_factory=list, description="Regular expressions for words just before a place that mean next to it, "
        "not on it (`bridge over`, `near`, `off`): such a match is reported but does not route.")
    near_after: list[str] = Field(
        default_factory=list, description="The same, for words just after the place (`M5 bridge`, `A40 closure`).")
    items: list[Place] = Field(default_factory=list, description="The places.")

    _checked = field_validator("near", "near_after")(classmethod(lambda cls, v: _check(v)))

    @model_validator(mode="after")
    def _owners(self) -> Places:
        ids = {b.id for b in self.bodies}
        if len(ids) != len(self.bodies):
            raise ValueError("a body id is listed twice")
        if self.organisation not in ids:
            raise ValueError(f"organisation {self.organisation!r} is not one of the bodies")
        seen: set[str] = set()
        for place in self.items:
            if place.owner not in ids:
                raise ValueError(f"place {place.id!r}: unknown owner {place.owner!r}")
            if place.id in seen:
                raise ValueError(f"place id {place.id!r} is used twice")
            seen.add(place.id)
        return self

    def departments(self) -> set[str]:
        """Every department id the places name (checked against the taxonomy's departments)."""
        return {d for d in [*(b.department for b in self.bodies), *(p.department for p in self.items)] if d}
