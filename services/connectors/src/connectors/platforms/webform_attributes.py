"""Open311 service definitions: the extra questions (attributes) a service asks, and checking the answers a
client sends as `attribute[CODE]=value` (or `attribute[CODE][]=v1&attribute[CODE][]=v2` for a multi-value list).

Definitions are read from a YAML file staff can edit (`open311_definitions.yaml` shipped beside this module,
or the file named by `CONNECTORS_OPEN311_DEFINITIONS_PATH`): service code -> list of attributes with the
standard's fields (`code`, `datatype`, `required`, `description`, `datatype_description`, `order`,
`variable`, `values` as `{key, name}` pairs)."""

import functools
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

SHIPPED = Path(__file__).with_name("open311_definitions.yaml")
DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")
MAX_VALUE = 1000
_FIELD = re.compile(r"^attribute\[([^\[\]]{1,64})\](\[\])?$")


class InvalidAttribute(ValueError):
    """An answer the service definition does not allow; `field` names the form field."""

    def __init__(self, description: str, field: str) -> None:
        super().__init__(description)
        self.field = field


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str
    description: str
    required: bool = False
    variable: bool = True
    order: int = 1
    datatype_description: str | None = None
    values: tuple[tuple[str, str], ...] = ()  # (key, name)

    def as_open311(self) -> dict:
        return {"variable": self.variable, "code": self.code, "datatype": self.datatype, "required": self.required,
                "datatype_description": self.datatype_description, "order": self.order,
                "description": self.description,
                "values": [{"key": k, "name": n} for k, n in self.values]}


def load_definitions(path: Path | None) -> dict[str, tuple[Attribute, ...]]:
    """Service code -> attributes. Raises ValueError naming the file when it cannot be read."""
    path = Path(path or SHIPPED)
    return _read(path, path.stat().st_mtime_ns if path.exists() else 0)


@functools.lru_cache(maxsize=8)
def _read(path: Path, _mtime: int) -> dict[str, tuple[Attribute, ...]]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        found = {}
        for code, attributes in document.items():
            found[str(code)] = tuple(_attribute(a, i + 1) for i, a in enumerate(attributes or []))
        return found
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"Open311 definitions {path} could not be read: {exc}") from exc


def _attribute(item: dict, order: int) -> Attribute:
    datatype = str(item["datatype"])
    if datatype not in DATATYPES:
        raise ValueError(f"attribute {item.get('code')!r}: datatype {datatype!r} is not one of {', '.join(DATATYPES)}")
    values = tuple((str(v["key"]), str(v["name"])) for v in item.get("values") or [])
    if datatype.endswith("valuelist") and not values:
        raise ValueError(f"attribute {item['code']!r}: a {datatype} needs values")
    return Attribute(code=str(item["code"]), datatype=datatype, description=str(item.get("description") or ""),
                     required=bool(item.get("required", False)), variable=bool(item.get("variable", True)),
                     order=int(item.get("order", order)), datatype_description=item.get("datatype_description"),
                     values=values)


def attribute_fields(fields: dict[str, list[str]]) -> dict[str, list[str]]:
    """`attribute[CODE]` and `attribute[CODE][]` form fields, by code (every value kept)."""
    found: dict[str, list[str]] = {}
    for name, values in fields.items():
        if match := _FIELD.match(name):
            found.setdefault(match.group(1), []).extend(values)
    return found


def _one(attribute: Attribute, values: list[str]) -> str | list[str]:
    field = f"attribute[{attribute.code}]"
    values = [v.strip() for v in values if v.strip()]
    if any(len(v) > MAX_VALUE for v in values):
        raise InvalidAttribute(f"{field} must be at most {MAX_VALUE} characters", field)
    keys = {k for k, _ in attribute.values}
    if attribute.datatype == "multivaluelist":
        if unknown := [v for v in values if v not in keys]:
            raise InvalidAttribute(f"{field}: {unknown[0]!r} is not one of its values", field)
        return list(dict.fromkeys(values))
    if len(values) > 1:
        raise InvalidAttribute(f"{field} takes one value", field)
    value = values[0]
    if attribute.datatype == "singlevaluelist" and value not in keys:
        raise InvalidAttribute(f"{field}: {value!r} is not one of its values", field)
    if attribute.datatype == "number":
        try:
            float(value)
        except ValueError:
            raise InvalidAttribute(f"{field} must be a number", field) from None
    if attribute.datatype == "datetime":
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise InvalidAttribute(f"{field} must be an ISO 8601 date and time", field) from None
    if attribute.datatype == "string" and ("\n" in value or "\r" in value):
        raise InvalidAttribute(f"{field} must be one line", field)
    return value


def check_attributes(attributes: tuple[Attribute, ...], given: dict[str, list[str]], *,
                     required: bool) -> dict[str, str | list[str]]:
    """The answers to the service's own questions (others are ignored), checked against its definition."""
    answers: dict[str, str | list[str]] = {}
    for attribute in attributes:
        values = [v for v in given.get(attribute.code, []) if v.strip()]
        if not values:
            if required and attribute.required and attribute.variable:
                raise InvalidAttribute(f"attribute[{attribute.code}] is required", f"attribute[{attribute.code}]")
            continue
        if attribute.variable:
            answers[attribute.code] = _one(attribute, values)
    return answers
