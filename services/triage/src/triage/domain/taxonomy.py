"""The organisation's taxonomy: departments, rules and the review threshold, read from YAML.

A bad file is refused with `TaxonomyError`, whose message names the file and the line at fault. The YAML is
composed into nodes first (PyYAML keeps each node's line), then validated with pydantic; each validation
error's location is mapped back to the line of the key or value it points at.
"""

from __future__ import annotations

import hashlib
import re
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from triage.domain.places import Places

URGENCIES = ("critical", "high", "normal")
_ID = r"^[a-z][a-z0-9_]*$"


class Department(BaseModel):
    """One department messages can be routed to."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID, description="Stable id used in results, data sets and evaluation.")
    name: str = Field(min_length=1, description="Name shown to staff.")
    description: str = Field(min_length=1, description="What the department handles.")
    keywords: list[str] = Field(default_factory=list, description="Words or phrases, matched on word boundaries.")
    patterns: list[str] = Field(default_factory=list, description="Regular expressions that count as keyword hits.")
    prior: float | None = Field(
        default=None, gt=0.0, le=1.0,
        description="Expected share of incoming messages for this department. The model is trained with balanced "
        "classes (as if every department were equally common); when priors are set, its probabilities are "
        "corrected by them, so a department that is rare in practice needs more evidence to win.",
    )

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        _check_regexes(value)
        return value


class Rule(BaseModel):
    """A rule checked on every message: sets urgency and/or forces the department."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_.\-]*$", description="Rule id reported in explanations.")
    description: str = Field(default="", description="Why the rule exists.")
    patterns: list[str] = Field(default_factory=list, description="Regular expressions; any match fires the rule.")
    all_of: list[list[str]] = Field(
        default_factory=list,
        description="Groups of regular expressions; the rule also fires when every group has a match somewhere in "
        "the message (co-occurrence of concepts, in any order: a weapon word and a threat word).",
    )
    window: int = Field(
        default=80, ge=1, le=10_000,
        description="For `all_of`: every group must match within this many characters of a first-group match.",
    )
    unless: list[str] = Field(default_factory=list, description="Regular expressions that stop the rule.")
    urgency: str | None = Field(default=None, description="critical, high or normal.")
    department: str | None = Field(default=None, description="Department id forced when the rule fires.")

    @field_validator("patterns", "unless")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        _check_regexes(value)
        return value

    @field_validator("all_of")
    @classmethod
    def _groups_compile(cls, value: list[list[str]]) -> list[list[str]]:
        for g, group in enumerate(value):
            if not group:
                raise _LocatedError((g,), "an all_of group needs at least one pattern")
            try:
                _check_regexes(group)
            except _LocatedError as exc:
                raise _LocatedError((g, *exc.loc), str(exc)) from None
        if len(value) == 1:
            raise _LocatedError((), "all_of needs at least two groups (one group is just `patterns`)")
        return value

    @field_validator("urgency")
    @classmethod
    def _urgency(cls, value: str | None) -> str | None:
        if value is not None and value not in URGENCIES:
            raise ValueError(f"unknown urgency {value!r}; expected one of {', '.join(URGENCIES)}")
        return value

    @model_validator(mode="after")
    def _does_something(self) -> Rule:
        if self.urgency is None and self.department is None:
            raise ValueError("a rule must set `urgency`, `department` or both")
        if not self.patterns and not self.all_of:
            raise ValueError("a rule needs `patterns`, `all_of` or both")
        return self


class RiskTerms(BaseModel):
    """Words that signal risk to life, with a weight (see `Risk`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["danger", "person", "now"] = Field(
        default="danger", description="danger words add their weight; person and now words count once each."
    )
    weight: int = Field(default=1, ge=1, le=10, description="Points each matching pattern adds.")
    patterns: list[str] = Field(min_length=1, description="Regular expressions, one concept each.")

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        _check_regexes(value)
        return value


class Risk(BaseModel):
    """A risk score for urgency: the weights of the distinct danger patterns found, plus one point if a person is
    mentioned and one if it is happening now. At `threshold` (with at least `min_danger` danger points) the message
    gets `urgency`. Catches what no single phrase rule foresaw ("swallowed bleach", "face down in the stream")."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    threshold: int = Field(ge=1, description="Score at which the urgency applies.")
    min_danger: int = Field(default=2, ge=1, description="Danger points needed whatever the other points.")
    window: int = Field(
        default=150, ge=10, le=10_000,
        description="Danger points are added up within this many characters (a long report mentioning a river in one "
        "paragraph and a crash in another is not one danger).",
    )
    urgency: str = Field(default="critical", description="Urgency given at the threshold.")
    terms: list[RiskTerms] = Field(min_length=1, description="Weighted groups of patterns.")

    @field_validator("urgency")
    @classmethod
    def _urgency(cls, value: str) -> str:
        if value not in URGENCIES:
            raise ValueError(f"unknown urgency {value!r}; expected one of {', '.join(URGENCIES)}")
        return value


class Taxonomy(BaseModel):
    """The whole configuration file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: str = Field(description="Version of this configuration, chosen by its editors.")
    review_threshold: float = Field(ge=0.0, le=1.0, description="Below this confidence a person confirms the routing.")
    critical_model_threshold: float | None = Field(
        default=None, ge=0.05, le=0.99,
        description="The learned urgency model marks a message critical at this probability or above (default: the "
                    "threshold stored with the model). Lower catches more emergencies and wakes the duty officer "
                    "more often for nothing.",
    )
    default_department: str | None = Field(
        default=None, description="Department when nothing points anywhere (default: `general` if listed, else the first)."
    )
    departments: list[Department] = Field(min_length=2, description="Departments, in display order.")
    rules: list[Rule] = Field(default_factory=list, description="Urgency and forced-routing rules, in order.")
    risk: Risk | None = Field(default=None, description="Weighted risk words that can make a message urgent.")
    places: Places | None = Field(default=None, description="Roads, junctions, areas and assets, and who owns them.")
    digest: str = Field(default="", description="Hash of the file's bytes (set by the loader).")

    @model_validator(mode="after")
    def _references(self) -> Taxonomy:
        ids = [d.id for d in self.departments]
        seen: set[str] = set()
        for i, dep in enumerate(ids):
            if dep in seen:
                raise _LocatedError(("departments", i, "id"), f"department id {dep!r} is listed twice")
            seen.add(dep)
        if self.default_department is None:
            object.__setattr__(self, "default_department", "general" if "general" in seen else ids[0])
        elif self.default_department not in seen:
            raise _LocatedError(("default_department",), f"unknown department id {self.default_department!r}")
        rule_ids: set[str] = set()
        for i, rule in enumerate(self.rules):
            if rule.department is not None and rule.department not in seen:
                raise _LocatedError(("rules", i, "department"), f"unknown department id {rule.department!r} in rule {rule.id!r}")
            if rule.id in rule_ids:
                raise _LocatedError(("rules", i, "id"), f"rule id {rule.id!r} is used twice")
            rule_ids.add(rule.id)
        for dep in sorted((self.places.departments() if self.places else set()) - seen):
            raise _LocatedError(("places",), f"unknown department id {dep!r} in places")
        return self

    @property
    def department_ids(self) -> list[str]:
        return [d.id for d in self.departments]


class TaxonomyError(ValueError):
    """The taxonomy file is invalid; the message names the file and the line."""


class _LocatedError(ValueError):
    def __init__(self, loc: tuple[Any, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc


def _check_regexes(patterns: list[str]) -> None:
    for i, pattern in enumerate(patterns):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise _LocatedError((i,), f"bad regular expression {pattern!r}: {exc}") from None


def default_taxonomy_path() -> Path:
    """The taxonomy shipped with the product."""
    return Path(str(resources.files("triage.taxonomy").joinpath("default.yaml")))


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read and validate a taxonomy file (the shipped default when `path` is None)."""
    path = Path(path) if path is not None else default_taxonomy_path()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TaxonomyError(f"{path}: cannot read taxonomy: {exc}") from None
    return parse_taxonomy(raw.decode("utf-8"), source=str(path))


def parse_taxonomy(text: str, *, source: str = "<taxonomy>") -> Taxonomy:
    """Validate taxonomy YAML text; errors name `source` and the line."""
    lines: dict[tuple[Any, ...], int] = {}
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise TaxonomyError(f"{source}:{line}: invalid YAML: {exc.problem or exc}") from None
    if node is None:
        raise TaxonomyError(f"{source}:1: the file is empty")
    data = _to_python(node, (), lines, source)
    if not isinstance(data, dict):
        raise TaxonomyError(f"{source}:{node.start_mark.line + 1}: the top level must be a mapping")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    try:
        return Taxonomy.model_validate({**data, "digest": digest})
    except ValidationError as exc:
        raise TaxonomyError(_describe(exc, lines, source)) from None
    except _LocatedError as exc:  # raised directly by an "after" validator
        raise TaxonomyError(_located(exc.loc, str(exc), lines, source)) from None


def _to_python(node: yaml.Node, path: tuple[Any, ...], lines: dict[tuple[Any, ...], int], source: str) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in out:
                raise TaxonomyError(f"{source}:{key_node.start_mark.line + 1}: duplicate key {key!r}")
            lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _to_python(value_node, (*path, key), lines, source)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, (*path, i), lines, source) for i, item in enumerate(node.value)]
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def _describe(exc: ValidationError, lines: dict[tuple[Any, ...], int], source: str) -> str:
    messages = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        msg = err["msg"]
        ctx_error = (err.get("ctx") or {}).get("error")
        if isinstance(ctx_error, _LocatedError):
            loc = loc + ctx_error.loc
            msg = str(ctx_error)
        elif err["type"] == "extra_forbidden":
            msg = f"unknown key {loc[-1]!r}"
        elif err["type"] == "missing":
            msg = f"missing field {loc[-1]!r}"
        messages.append(_located(loc, msg, lines, source))
    return "\n".join(messages)


def _located(loc: tuple[Any, ...], msg: str, lines: dict[tuple[Any, ...], int], source: str) -> str:
    probe = tuple(loc)
    while probe not in lines and probe:
        probe = probe[:-1]
    line = lines.get(probe, 1)
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    return f"{source}:{line}: {where}: {msg}" if where else f"{source}:{line}: {msg}"
