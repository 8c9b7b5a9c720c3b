"""Open311 GeoReport v2 documents in both formats: XML (the standard's required format) and JSON, mapped from
the same structure by the Spark convention the standard names (an element holding repeated children becomes a
JSON array of them; a leaf becomes a value; an empty leaf is null).

Structures are plain Python: a dict is an element's children by tag, a `Repeated(tag, items)` a list of
`<tag>` elements. Every value is escaped by the XML library; nothing is built by string concatenation."""

import json
from dataclasses import dataclass
from datetime import datetime
from xml.etree import ElementTree

from fastapi.responses import Response

FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}


@dataclass(frozen=True)
class Repeated:
    """`<tag>` elements, one per item (in JSON: an array)."""

    tag: str
    items: list


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _json_value(value: object) -> object:
    if isinstance(value, Repeated):
        return [_json_value(item) for item in value.items]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _fill(element: ElementTree.Element, value: object) -> None:
    if isinstance(value, Repeated):
        for item in value.items:
            _fill(ElementTree.SubElement(element, value.tag), item)
    elif isinstance(value, dict):
        for tag, child in value.items():
            _fill(ElementTree.SubElement(element, tag), child)
    elif value is not None:
        element.text = _text(value)


def xml_bytes(root: str, value: object) -> bytes:
    element = ElementTree.Element(root)
    _fill(element, value)
    ElementTree.indent(element)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(element, encoding="utf-8",
                                                                            xml_declaration=False) + b"\n"


def document(fmt: str, root: str, value: object, status_code: int = 200) -> Response:
    """`value` under `<root>` in XML, or as JSON (a `Repeated` root becomes the top-level array)."""
    if fmt == "xml":
        return Response(xml_bytes(root, value), status_code=status_code, media_type=FORMATS["xml"])
    body = json.dumps(_json_value(value), ensure_ascii=False)
    return Response(body.encode("utf-8"), status_code=status_code, media_type=FORMATS["json"])


def errors(fmt: str, status_code: int, description: str, *, code: int | None = None) -> Response:
    """The standard's error body: `<errors><error><code/><description/></error></errors>` or
    `[{"code": ..., "description": ...}]`; `code` may be more specific than the HTTP status."""
    items = [{"code": code or status_code, "description": description}]
    return document(fmt if fmt in FORMATS else "xml", "errors", Repeated("error", items), status_code)
