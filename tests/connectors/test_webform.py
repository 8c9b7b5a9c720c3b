"""Open311 services from the taxonomy file, request validation and mapping."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from civic_contracts import Channel, MessageKind
from connectors.platforms import webform

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def services() -> dict[str, webform.Service]:
    return {s.code: s for s in webform.load_services(None)}


def test_services_are_the_shipped_taxonomys_departments(services) -> None:
    path = webform.shipped_taxonomy()
    assert path is not None and path.name == "default.yaml" and path.parent.name == "taxonomy"
    assert {"highways", "waste", "general"} <= set(services)
    highways = services["highways"].as_open311()
    assert highways["service_name"] == "Highways" and highways["type"] == "realtime" and highways["metadata"] is True
    assert services["general"].as_open311()["metadata"] is False  # no extra questions: no definition to fetch
    assert [a.code for a in services["highways"].attributes] == ["defect", "depth_cm"]


def test_a_taxonomy_file_can_be_configured_and_bad_files_are_named(tmp_path: Path) -> None:
    custom = tmp_path / "tax.yaml"
    custom.write_text("departments:\n  - id: roads\n    name: Roads\n")
    assert [s.code for s in webform.load_services(custom)] == ["roads"]
    with pytest.raises(ValueError, match="tax2.yaml"):
        webform.load_services(tmp_path / "tax2.yaml")


def test_valid_request_maps_to_a_form_message(services) -> None:
    request = webform.validate({"service_code": "highways", "description": " Slab raised ", "address_string": "22 High St",
                                "email": "olu@example.org", "first_name": "Olu"}, services, now=NOW)
    m = webform.to_message(request, "civic-inbox", raw="{}", now=NOW)
    assert m.channel is Channel.WEBFORM and m.kind is MessageKind.FORM
    assert m.id == f"webform:civic-inbox:{request.service_request_id}"
    assert m.conversation_key == f"webform:civic-inbox:{request.service_request_id}"
    assert m.text == "Slab raised\n\nCategory: Highways\nLocation: 22 High St"
    assert m.author.platform_id == "olu@example.org" and m.author.name == "Olu"


def test_same_submission_same_day_gets_the_same_id(services) -> None:
    fields = {"service_code": "waste", "description": "Bins", "lat": "51.48", "long": "-3.18"}
    first = webform.validate(fields, services, now=NOW)
    assert webform.validate(dict(fields), services, now=NOW).service_request_id == first.service_request_id
    assert webform.validate({**fields, "description": "Bins!"}, services, now=NOW).service_request_id != first.service_request_id
    assert first.location() == "51.480000, -3.180000"


@pytest.mark.parametrize("fields, status, field", [
    ({"description": "x", "address_string": "a"}, 400, "service_code"),
    ({"service_code": "nope", "description": "x", "address_string": "a"}, 404, "service_code"),
    ({"service_code": "waste", "description": "x"}, 400, "address_string"),
    ({"service_code": "waste", "description": "x", "lat": "51"}, 400, "long"),
    ({"service_code": "waste", "description": "x", "lat": "951", "long": "0"}, 400, "lat"),
    ({"service_code": "waste", "description": "x", "lat": "north", "long": "0"}, 400, "lat"),
    ({"service_code": "waste", "address_string": "a", "attribute[containers]": "skip"}, 400, "attribute[containers]"),
    ({"service_code": "waste", "address_string": "a", "description": "x" * 4001}, 400, "description"),
    ({"service_code": "waste", "address_string": "a", "description": "x", "email": "not-an-email"}, 400, "email"),
])
def test_invalid_requests_are_refused_with_open311_codes(services, fields, status, field) -> None:
    from connectors.platforms.webform_attributes import attribute_fields

    with pytest.raises(webform.RequestError) as refused:
        webform.validate(fields, services, now=NOW, attributes=attribute_fields({k: [v] for k, v in fields.items()}))
    assert refused.value.status == status and refused.value.field == field
    assert refused.value.as_open311()[0]["code"] == status


def test_description_is_optional_and_attributes_are_read_for_people(services) -> None:
    from connectors.platforms.webform_attributes import attribute_fields

    form = {"service_code": ["waste"], "address_string": ["9 Plas Newydd"], "attribute[containers][]": ["food", "garden"],
            "attribute[missed_on]": ["2026-11-17T07:00:00Z"], "attribute[unknown]": ["ignored"]}
    request = webform.validate({k: v[0] for k, v in form.items()}, services, now=NOW, attributes=attribute_fields(form))
    assert request.description == ""
    assert request.attributes == {"containers": ["food", "garden"], "missed_on": "2026-11-17T07:00:00Z"}
    text = webform.to_message(request, "civic-inbox", raw="{}", now=NOW).text
    assert text.startswith("Category: Waste and street cleansing\nLocation: 9 Plas Newydd")
    assert "Which containers were not collected?: Food waste, Garden waste" in text
