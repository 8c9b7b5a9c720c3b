"""Place-aware routing: road numbers, junctions, named sections and coordinates, with the place in the explanation."""

import json
from datetime import UTC, datetime

import pytest
import yaml
from civic_contracts import Author, Channel, InboundMessage, MessageKind
from triage.domain import TaxonomyError, TriageClassifier
from triage.domain.geo import distance_to_line_m, inside_polygon
from triage.domain.model import load_model
from triage.domain.shipped import default_model_dir
from triage.domain.taxonomy import default_taxonomy_path, parse_taxonomy
from triage.location import point_of
from triage.service import triage


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Pothole in lane 1 of the M5 northbound, nearly lost a wheel", "motorways"),
        ("Litter all over the slip road at J11 coming off the motorway", "motorway_junctions"),
        ("Potholes between junction 12 and junction 11a, really bad", "motorway_junctions"),
        ("Dead deer on the A417 heading east, been there a week", "a417_trunk"),
        ("Big pothole on the A40 Golden Valley bypass eastbound", "a40_trunk"),
        ("Road surface breaking up at the Air Balloon roundabout, lane 1", "a417_missing_link"),
    ],
)
def test_another_bodys_road_is_out_of_scope_with_the_place_named(clf, text, place):
    c = clf.classify(text)
    assert c.department == "out_of_scope", c.summary
    assert c.place["id"] == place and c.place["owner"] == "National Highways" and c.place["on_place"]
    assert "National Highways" in c.place["signpost"]
    assert f"place.{place}" in c.rules_fired
    assert "National Highways" in c.summary and c.place["name"] in c.summary


@pytest.mark.parametrize(
    ("text", "department", "fired"),
    [
        # next to the motorway, not on it: the bridge and its drains are the council's
        ("Drains blocked on the bridge over the M5 on Fiddington Lane", "highways", "place.motorways.near"),
        ("Pothole on Hearne Road, it's used as a rat run because of the A40 closure", "highways", None),
        # a council section of a road number that is partly trunk
        ("Lay-by on the A417 Longlevens is full of potholes", "highways", "place.a417_north_council"),
        # litter on a trunk A-road is the local authority's to clear, not National Highways'
        ("Litter all along the verges of the A417 near Cirencester", "waste", None),
        # a Manchester postcode is not the M5
        ("Bin not collected at 12 High Street, M5 3AB", "waste", None),
    ],
)
def test_the_councils_own_work_near_another_bodys_road_stays(clf, text, department, fired):
    c = clf.classify(text)
    assert c.department == department, c.summary
    if fired:
        assert fired in c.rules_fired
        assert c.place is not None and c.place["name"] in c.summary


def test_council_section_is_named_in_the_explanation(clf):
    c = clf.classify("Pothole on the A40 London Road by the shops")
    assert c.department == "highways"
    assert c.place["id"] == "a40_council" and c.place["owner"] == "the council" and c.place["signpost"] is None
    assert "A40 through Cheltenham" in c.summary


def test_a_weak_hint_does_not_route_on_its_own(clf):
    """A telegraph pole is usually a landmark: the flyposter on it is still the council's."""
    c = clf.classify("Flyposter attached to the telegraph pole outside number 4 again")
    assert c.department == "waste"
    assert c.place["id"] == "telecoms_assets"


def test_geometry():
    square = [(-2.0, 51.0), (-1.0, 51.0), (-1.0, 52.0), (-2.0, 52.0)]
    assert inside_polygon((-1.5, 51.5), square)
    assert not inside_polygon((-0.5, 51.5), square)
    line = [(-2.0, 51.9), (-2.0, 52.0)]
    # 0.001 degrees of longitude at 51.95 N is about 69 m
    assert 60 < distance_to_line_m((-1.999, 51.95), line) < 75
    assert distance_to_line_m((-2.0, 52.1), line) > 11_000


def _taxonomy_with_geometry():
    data = yaml.safe_load(default_taxonomy_path().read_text(encoding="utf-8"))
    data["places"]["items"] += [
        {"id": "test_motorway", "name": "Test motorway", "kind": "motorway", "owner": "national_highways",
         "geometry": [{"type": "line", "coordinates": [[-2.20, 51.90], [-2.20, 52.00]], "buffer_m": 40}]},
        {"id": "test_park", "name": "Test park", "kind": "park", "owner": "council", "department": "parks_trees",
         "geometry": [{"type": "polygon", "coordinates": [[-2.10, 51.90], [-2.09, 51.90], [-2.09, 51.91], [-2.10, 51.91]]}]},
    ]
    return parse_taxonomy(yaml.safe_dump(data, sort_keys=False), source="test")


def test_coordinates_decide_where_the_text_does_not_say():
    clf = TriageClassifier(_taxonomy_with_geometry(), load_model(default_model_dir()), warm=False)
    text = "Deep pothole in the road, nearly lost a tyre"
    on_line = clf.classify(text, point=(-2.2003, 51.95))  # about 20 m from the line
    assert on_line.department == "out_of_scope"
    assert on_line.place["id"] == "test_motorway" and on_line.place["matched_by"] == "coordinates"
    assert "by coordinates" in on_line.summary
    away = clf.classify(text, point=(-2.195, 51.95))  # about 340 m away
    assert away.department == "highways" and away.place is None
    park = clf.classify("Bench broken", point=(-2.095, 51.905))
    assert park.place["id"] == "test_park" and park.place["owner"] == "the council"


def _message(channel, raw, text="Pothole"):
    now = datetime.now(UTC)
    return InboundMessage(id="m1", channel=channel, account_id="acc", platform_message_id="p1", conversation_key="k1",
                          kind=MessageKind.FORM, author=Author(platform_id="a"), text=text, sent_at=now,
                          received_at=now, raw_payload=raw)


def test_coordinates_are_read_from_open311_and_platform_geo():
    assert point_of(_message(Channel.WEBFORM, "service_code=pothole&lat=51.95&long=-2.2&description=x")) == (-2.2, 51.95)
    tweet = {"id": "1", "text": "x", "geo": {"coordinates": {"type": "Point", "coordinates": [-2.2, 51.95]}}}
    assert point_of(_message(Channel.X, json.dumps(tweet))) == (-2.2, 51.95)
    assert point_of(_message(Channel.WEBFORM, "lat=99&long=-2.2")) is None  # out of range
    assert point_of(_message(Channel.SMS, "Body=pothole")) is None


def test_the_triage_result_carries_the_place(clf):
    result = triage(_message(Channel.X, "{}", text="Massive pothole on the M5 southbound lane 2"), clf)
    assert result.department == "out_of_scope"
    assert result.place is not None and result.place.owner == "National Highways" and result.place.signpost


def test_a_bad_places_list_is_refused_with_the_line():
    data = yaml.safe_load(default_taxonomy_path().read_text(encoding="utf-8"))
    data["places"]["items"][0]["owner"] = "nobody"
    with pytest.raises(TaxonomyError, match="unknown owner 'nobody'"):
        parse_taxonomy(yaml.safe_dump(data, sort_keys=False), source="t.yaml")
    data = yaml.safe_load(default_taxonomy_path().read_text(encoding="utf-8"))
    data["places"]["bodies"][1]["department"] = "roads_dept"
    with pytest.raises(TaxonomyError, match="unknown department id 'roads_dept' in places"):
        parse_taxonomy(yaml.safe_dump(data, sort_keys=False), source="t.yaml")


def test_places_command_builds_a_list_from_open_data_geojson(tmp_path, capsys):
    from triage.cli import main

    roads = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ref": "M99"},
         "geometry": {"type": "LineString", "coordinates": [[-2.3, 51.8], [-2.3, 51.9]]}},
        {"type": "Feature", "properties": {"ref": "M99"},
         "geometry": {"type": "MultiLineString", "coordinates": [[[-2.3, 51.9], [-2.31, 52.0]]]}},
    ]}
    path = tmp_path / "roads.geojson"
    path.write_text(json.dumps(roads), encoding="utf-8")
    assert main(["triage", "places", "--geojson", str(path), "--owner", "national_highways", "--name-property", "ref",
                 "--kind", "motorway", "--buffer", "30"]) == 0
    items = yaml.safe_load(capsys.readouterr().out)
    assert [i["id"] for i in items] == ["m99"] and len(items[0]["geometry"]) == 2
    data = yaml.safe_load(default_taxonomy_path().read_text(encoding="utf-8"))
    data["places"]["items"] += items
    taxonomy = parse_taxonomy(yaml.safe_dump(data, sort_keys=False), source="test")
    clf = TriageClassifier(taxonomy, load_model(default_model_dir()), warm=False)
    c = clf.classify("Pothole, lost a hubcap", point=(-2.3002, 51.85))
    assert c.department == "out_of_scope" and c.place["id"] == "m99"
