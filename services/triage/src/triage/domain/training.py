"""Training rows: parsing labelled JSON lines, applying corrections, and fitting a classifier's model."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from civic_contracts.correction import TriageCorrection
from pydantic import ValidationError

from triage.domain.features import tokens
from triage.domain.model import DepartmentModel, train_model
from triage.domain.taxonomy import Taxonomy
from triage.domain.urgency import fit_urgency

CORRECTION_WEIGHT = 3.0  # a person's correction counts as much as three ordinary examples


class DataError(ValueError):
    """A line of a data file is unusable; the message names the line."""


@dataclass(slots=True)
class Row:
    """One labelled example."""

    text: str
    department: str
    urgency: str | None = None
    id: str | None = None
    weight: float = 1.0
    source: str = "input"


def parse_rows(lines: Iterable[str], *, source: str, departments: Sequence[str]) -> list[Row]:
    """Labelled JSON lines (`text`, `department`, optional `urgency`, `id`) -> rows; DataError names the line."""
    known = set(departments)
    rows = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{source}:{n}: not JSON: {exc.msg}") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not isinstance(obj.get("department"), str):
            raise DataError(f"{source}:{n}: need an object with string fields `text` and `department`")
        if obj["department"] not in known:
            raise DataError(f"{source}:{n}: unknown department id {obj['department']!r}")
        rows.append(Row(text=obj["text"], department=obj["department"], urgency=obj.get("urgency"),
                        id=str(obj["id"]) if obj.get("id") is not None else None, source=source))
    return rows


def parse_corrections(lines: Iterable[str], *, source: str) -> list[TriageCorrection]:
    """JSON lines of `TriageCorrection` -> models; DataError names the line."""
    out = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            out.append(TriageCorrection.model_validate_json(line))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "line"
            raise DataError(f"{source}:{n}: invalid correction: {where}: {first['msg']}") from None
    return out


def corrections_to_rows(corrections: Iterable[TriageCorrection], *, departments: Sequence[str]) -> list[Row]:
    """Training rows from corrections: the latest correction of a message wins; unknown departments are refused."""
    known = set(departments)
    latest: dict[str, TriageCorrection] = {}
    for c in corrections:
        if c.corrected_department not in known:
            raise DataError(f"correction of {c.message_id}: unknown department id {c.corrected_department!r}")
        key = c.message_id
        if key not in latest or c.corrected_at >= latest[key].corrected_at:
            latest[key] = c
    return [
        Row(text=c.text, department=c.corrected_department, urgency=c.corrected_urgency.value, id=c.message_id,
            weight=CORRECTION_WEIGHT, source="correction")
        for c in sorted(latest.values(), key=lambda c: (c.corrected_at, c.message_id))
    ]


def apply_corrections(rows: list[Row], corrections: list[Row]) -> list[Row]:
    """Corrections override the label of the same message (by id, else by identical text); the rest are added."""
    by_id = {r.id: r for r in corrections if r.id}
    by_text = {_text_key(r.text): r for r in corrections}
    used: set[int] = set()
    out = []
    for row in rows:
        fix = by_id.get(row.id) if row.id else None
        fix = fix or by_text.get(_text_key(row.text))
        if fix is not None:
            used.add(id(fix))
            out.append(Row(text=row.text, department=fix.department, urgency=fix.urgency or row.urgency, id=row.id,
                           weight=fix.weight, source="correction"))
        else:
            out.append(row)
    out += [r for r in corrections if id(r) not in used]
    return out


def urgency_seed_rows() -> list[Row]:
    """The project's own written urgency examples (`triage/seed/urgency/*.jsonl`: critical messages and
    alarming-sounding normal ones), always part of the urgency model's training data."""
    from triage.domain.shipped import default_seed_dir

    out: list[Row] = []
    directory = default_seed_dir() / "urgency"
    for path in sorted(directory.glob("*.jsonl")) if directory.is_dir() else []:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                obj = json.loads(line)
                out.append(Row(text=obj["text"], department=obj["department"], urgency=obj.get("urgency"),
                               id=obj.get("id"), source="urgency_seed"))
    return out


def fit(rows: Sequence[Row], *, taxonomy: Taxonomy, version: str, c: float = 16.0,
        class_weight: str | None = "balanced") -> DepartmentModel:
    """Fit the department model on rows, and the urgency model on their urgency labels plus the urgency seed
    (deterministic for the same rows)."""
    if not rows:
        raise DataError("no training rows")
    model = train_model(
        [r.text for r in rows],
        [r.department for r in rows],
        weights=[r.weight for r in rows],
        version=version,
        c=c,
        class_weight=class_weight,
        extra_manifest={"taxonomy_digest": taxonomy.digest, "corrections": sum(r.source == "correction" for r in rows),
                        "class_weight": class_weight or "none"},
    )
    labelled = [r for r in rows if r.urgency] + urgency_seed_rows()
    model.urgency = fit_urgency(
        [tokens(r.text.lower()) for r in labelled],
        [r.urgency == "critical" for r in labelled],
        weights=[r.weight for r in labelled],
    )
    if model.urgency is not None:
        model.manifest["urgency_model"] = model.urgency.info
    return model


def _text_key(text: str) -> str:
    return " ".join(text.lower().split())
