"""Open311 GeoReport v2 routes in both formats, without infrastructure (Kafka and MongoDB replaced by fakes):
every document has the shape of the standard's published examples (fixtures `open311_*_example.xml`, written
for the project in that shape), JSON is the Spark mapping of the same, and errors are the standard's."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode
from xml.etree import ElementTree

import httpx
import pytest
from support.connector_fakes import FakeRequests, FakeStores, app_with_fakes, client_of

PAYLOADS = Path(__file__).parent / "payloads"
KEY = "test_open311_key"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def parse_xml(content: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(content)  # noqa: S314 - our own server's answers and our own fixtures


class ListingRequests(FakeRequests):
    """The fake request store, with the list query (filters as the real store applies them)."""

    async def find(self, *, ids=None, codes=None, statuses=None, start=None, end=None, limit=1000) -> list[dict]:
        docs = list(self.saved.values())
        if ids:
            docs = [d for d in docs if d["_id"] in ids]
        else:
            docs = [d for d in docs if (not codes or d["service_code"] in codes)
                    and (not statuses or d["status"] in statuses) and start <= d["requested_datetime"] <= end]
        return sorted(docs, key=lambda d: d["requested_datetime"], reverse=True)[:limit]


def shape(element: ElementTree.Element) -> tuple:
    """Tags of an element and, recursively, of its first child of each tag (repeated children count once)."""
    seen, children = set(), []
    for child in element:
        if child.tag not in seen:
            seen.add(child.tag)
            children.append(shape(child))
    return element.tag, tuple(children)


def example(name: str) -> tuple:
    return shape(parse_xml((PAYLOADS / f"open311_{name}_example.xml").read_bytes()))


def xml(response: httpx.Response) -> ElementTree.Element:
    assert response.headers["content-type"] == "text/xml; charset=utf-8", response.text
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return parse_xml(response.content)


@pytest.fixture
async def app():
    return app_with_fakes(open311_api_keys=[KEY], stores=FakeStores(requests=ListingRequests()))


@pytest.fixture
async def client(app):
    async with client_of(app) as c:
        yield c


def fixmystreet() -> dict:
    return json.loads((PAYLOADS / "open311_fixmystreet_request.json").read_text())


async def test_discovery_lists_the_v2_endpoint_in_both_formats(client) -> None:
    root = xml(await client.get("/open311/discovery.xml"))
    assert shape(root) == example("discovery")
    assert root.findtext("endpoints/endpoint/url") == "https://inbox.example.gov.uk/open311/v2"
    assert [f.text for f in root.iter("format")] == ["text/xml", "application/json"]
    as_json = (await client.get("/open311/discovery.json")).json()
    assert as_json["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    assert as_json["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"


async def test_services_and_definitions_in_xml_and_json(client) -> None:
    services = xml(await client.get("/open311/v2/services.xml"))
    assert shape(services) == example("services")
    highways = next(s for s in services if s.findtext("service_code") == "highways")
    assert highways.findtext("metadata") == "true" and highways.findtext("type") == "realtime"
    parks = next(s for s in services if s.findtext("service_code") == "parks_trees")
    assert parks.findtext("metadata") == "false"
    definition = xml(await client.get("/open311/v2/services/highways.xml"))
    assert shape(definition) == example("service_definition")
    defect = definition.find("attributes/attribute")
    assert defect.findtext("code") == "defect" and defect.findtext("datatype") == "singlevaluelist"
    assert [v.findtext("key") for v in defect.iter("value")][:2] == ["pothole", "paving"]
    as_json = (await client.get("/open311/v2/services/highways.json")).json()
    assert as_json["service_code"] == "highways" and as_json["attributes"][0]["values"][0] == {"key": "pothole", "name": "Pothole"}
    assert [a["order"] for a in as_json["attributes"]] == [1, 2]
    unknown = await client.get("/open311/v2/services/nope.xml")
    assert unknown.status_code == 404 and shape(xml(unknown)) == example("errors")


async def test_fixmystreet_style_post_in_xml_without_description(client, app) -> None:
    created = await client.post("/open311/v2/requests.xml", content=urlencode(fixmystreet()), headers=FORM)
    assert created.status_code == 200, created.text
    root = xml(created)
    assert shape(root) == example("post_response")
    request_id = root.findtext("request/service_request_id")
    [message] = app.state.publisher.published
    assert message.platform_message_id == request_id
    assert "Category: Highways" in message.text and "What is the problem?: Pothole" in message.text
    assert "Roughly how deep is it, in centimetres?: 8" in message.text and not message.text.startswith("\n")
    assert app.state.stores.requests.saved[request_id]["attributes"] == {"defect": "pothole", "depth_cm": "8"}
    fetched = xml(await client.get(f"/open311/v2/requests/{request_id}.xml"))
    assert shape(fetched) == example("service_requests")
    assert fetched.findtext("request/status") == "open" and fetched.findtext("request/lat") == "51.481583"
    assert fetched.findtext("request/requested_datetime").endswith("+00:00")
    assert fetched.find("request/description").text is None  # optional, and empty when not given


async def test_json_post_and_get_are_the_spark_mapping_of_the_xml(client) -> None:
    fields = {**fixmystreet(), "description": "Deep pothole by the bus stop", "attribute[defect]": "drain"}
    [created] = (await client.post("/open311/v2/requests.json", content=urlencode(fields), headers=FORM)).json()
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    [fetched] = (await client.get(f"/open311/v2/requests/{created['service_request_id']}.json")).json()
    xml_tags = [child[0] for child in example("service_requests")[1][0][1]]
    assert list(fetched) == xml_tags and fetched["description"] == "Deep pothole by the bus stop"


@pytest.mark.parametrize("change, status, words", [
    ({"api_key": "wrong"}, 403, "api_key"), ({"jurisdiction_id": "elsewhere.gov"}, 404, "jurisdiction_id"),
    ({"service_code": "nope"}, 404, "service_code"), ({"lat": "", "long": "", "address_string": ""}, 400, "location"),
    ({"attribute[defect]": "volcano"}, 400, "attribute[defect]"), ({"attribute[depth_cm]": "deep"}, 400, "number"),
])
async def test_refusals_are_the_standards_errors_in_both_formats(client, app, change, status, words) -> None:
    for fmt in ("xml", "json"):
        response = await client.post(f"/open311/v2/requests.{fmt}", content=urlencode({**fixmystreet(), **change}),
                                     headers=FORM)
        assert response.status_code == status
        if fmt == "xml":
            root = xml(response)
            assert shape(root) == example("errors") and root.findtext("error/code") == str(status)
            assert words in root.findtext("error/description")
        else:
            assert response.json()[0]["code"] == status and words in response.json()[0]["description"]
    assert app.state.publisher.published == []


async def test_required_attributes_are_demanded_of_open311_clients_only(tmp_path, app, client) -> None:
    from connectors.platforms import webform

    definitions = tmp_path / "definitions.yaml"
    definitions.write_text("waste:\n  - {code: bin, datatype: singlevaluelist, required: true, description: 'Which bin?',"
                           " values: [{key: green, name: Green}]}\n")
    app.state.services = webform.load_services(None, definitions)
    fields = {"api_key": KEY, "service_code": "waste", "address_string": "9 Plas Newydd"}
    missing = await client.post("/open311/v2/requests.json", content=urlencode(fields), headers=FORM)
    assert missing.status_code == 400 and "attribute[bin] is required" in missing.json()[0]["description"]
    given = await client.post("/open311/v2/requests.json", content=urlencode({**fields, "attribute[bin]": "green"}),
                              headers=FORM)
    assert given.status_code == 200
    from connectors.open311 import submit

    first_party = await submit(app, {"service_code": "waste", "description": "Missed", "address_string": "9 Plas Newydd"})
    assert first_party.service_code == "waste"  # the first-party contact form asks no extra questions


async def test_list_filters_and_the_90_day_window(client, app) -> None:
    ids = {}
    for code, description in (("highways", "Pothole one"), ("waste", "Bins one"), ("highways", "Pothole two")):
        body = {**fixmystreet(), "service_code": code, "description": description}
        body.pop("attribute[defect]"), body.pop("attribute[depth_cm]")
        [created] = (await client.post("/open311/v2/requests.json", content=urlencode(body), headers=FORM)).json()
        ids[description] = created["service_request_id"]
    store = app.state.stores.requests.saved
    store[ids["Pothole two"]]["status"] = "closed"
    store[ids["Bins one"]]["requested_datetime"] -= timedelta(days=30)

    async def listed(**params) -> list[str]:
        response = await client.get("/open311/v2/requests.json", params={"api_key": KEY, **params})
        assert response.status_code == 200, response.text
        return [r["service_request_id"] for r in response.json()]

    assert set(await listed()) == set(ids.values())
    assert set(await listed(service_code="highways")) == {ids["Pothole one"], ids["Pothole two"]}
    assert await listed(status="closed") == [ids["Pothole two"]]
    assert await listed(service_code="highways", status="open") == [ids["Pothole one"]]
    week_ago = (datetime.now(UTC) - timedelta(days=7)).isoformat().replace("+00:00", "Z")
    assert ids["Bins one"] not in await listed(start_date=week_ago)
    assert await listed(service_request_id=f"{ids['Bins one']},WF-NOPE", status="closed") == [ids["Bins one"]]
    xml_list = xml(await client.get("/open311/v2/requests.xml", params={"api_key": KEY, "service_code": "waste"}))
    assert [r.findtext("service_request_id") for r in xml_list] == [ids["Bins one"]]
    too_long = await client.get("/open311/v2/requests.xml", params={
        "api_key": KEY, "start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"})
    assert too_long.status_code == 400 and "90 days" in xml(too_long).findtext("error/description")
    bad_status = await client.get("/open311/v2/requests.json", params={"api_key": KEY, "status": "pending"})
    assert bad_status.status_code == 400
    no_key = await client.get("/open311/v2/requests.xml")
    assert no_key.status_code == 403 and shape(xml(no_key)) == example("errors")
    by_id_without_key = await client.get("/open311/v2/requests.json", params={"service_request_id": ids["Pothole one"]})
    assert [r["service_request_id"] for r in by_id_without_key.json()] == [ids["Pothole one"]]


async def test_jurisdiction_format_and_token_handling(client) -> None:
    assert (await client.get("/open311/v2/services.xml", params={"jurisdiction_id": "civic-inbox"})).status_code == 200
    other = await client.get("/open311/v2/services.json", params={"jurisdiction_id": "elsewhere.gov"})
    assert other.status_code == 404 and "jurisdiction_id" in other.json()[0]["description"]
    bad_format = await client.get("/open311/v2/services.yaml")
    assert bad_format.status_code == 404 and xml(bad_format).findtext("error/code") == "404"
    token = await client.get("/open311/v2/tokens/abc.xml")
    assert token.status_code == 404 and shape(xml(token)) == example("errors")
