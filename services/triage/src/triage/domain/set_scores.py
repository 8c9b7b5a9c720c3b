"""Figures for the issue's targets on labelled sets of messages: not a request, urgency and abuse.

A row is a JSON object with `text`, optional `channel`, and any of the gold labels it carries:
- `intent` (`not_actionable`, `request`, `question`, `emergency`) and, for the actionable ones, `department`:
  non-request recall (gold not_actionable judged not_actionable), request precision (of those judged
  actionable, the share that are), and the department macro-F1 over the gold actionable rows;
- `urgency` (`critical`, `high`, `normal`): critical recall, critical-or-high recall (gold critical or high
  judged either), false criticals (gold normal judged critical, as a share of the normal rows);
- `abuse` (`none`, `offensive`, `hate`, `threat`): abuse recall (gold abusive judged abusive), false alarms
  (gold none judged abusive), hate recall as hate.
"""

from __future__ import annotations

from collections.abc import Sequence

from sklearn.metrics import f1_score

NOT_ACTIONABLE = "not_actionable"


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def intent_scores(gold: Sequence[dict], predicted: Sequence[dict]) -> dict:
    """`gold`: rows with `intent`; `predicted`: the classifications' `{intent: {kind}, department}`."""
    pairs = [(g, p) for g, p in zip(gold, predicted, strict=True) if g.get("intent")]
    na = [p for g, p in pairs if g["intent"] == NOT_ACTIONABLE]
    judged_work = [g for g, p in pairs if p["intent"]["kind"] != NOT_ACTIONABLE]
    work = [(g, p) for g, p in pairs if g["intent"] != NOT_ACTIONABLE and g.get("department")]
    truth = [g["department"] for g, _ in work]
    macro = f1_score(truth, [p["department"] for _, p in work], labels=sorted(set(truth)), average="macro",
                     zero_division=0) if work else None
    return {
        "n": len(pairs),
        "not_a_request_recall": _share(sum(p["intent"]["kind"] == NOT_ACTIONABLE for p in na), len(na)),
        "request_precision": _share(sum(g["intent"] != NOT_ACTIONABLE for g in judged_work), len(judged_work)),
        "requests_set_aside": sum(p["intent"]["kind"] == NOT_ACTIONABLE for g, p in pairs
                                  if g["intent"] != NOT_ACTIONABLE),
        "department_macro_f1": None if macro is None else round(float(macro), 4),
    }


def urgency_scores(gold: Sequence[dict], predicted: Sequence[dict]) -> dict:
    pairs = [(g["urgency"], p["urgency"]) for g, p in zip(gold, predicted, strict=True) if g.get("urgency")]
    crit = [q for t, q in pairs if t == "critical"]
    severe = [q for t, q in pairs if t in ("critical", "high")]
    normal = [q for t, q in pairs if t == "normal"]
    return {
        "n": len(pairs),
        "critical_recall": _share(sum(q == "critical" for q in crit), len(crit)),
        "critical_or_high_recall": _share(sum(q in ("critical", "high") for q in severe), len(severe)),
        "false_critical": _share(sum(q == "critical" for q in normal), len(normal)),
        "counts": {"critical": len(crit), "critical_or_high": len(severe), "normal": len(normal)},
    }


def abuse_scores(gold: Sequence[dict], predicted: Sequence[dict]) -> dict:
    pairs = [(g["abuse"], p["abuse"]) for g, p in zip(gold, predicted, strict=True) if g.get("abuse")]
    abusive = [q for t, q in pairs if t != "none"]
    clean = [q for t, q in pairs if t == "none"]
    hate = [q for t, q in pairs if t == "hate"]
    return {
        "n": len(pairs),
        "abuse_recall": _share(sum(q != "none" for q in abusive), len(abusive)),
        "false_alarms": _share(sum(q != "none" for q in clean), len(clean)),
        "hate_recall_as_hate": _share(sum(q == "hate" for q in hate), len(hate)),
        "counts": {"abusive": len(abusive), "none": len(clean), "hate": len(hate)},
    }


def score_rows(rows: Sequence[dict], predicted: Sequence[dict]) -> dict:
    """Every figure the rows' labels allow (a section only when some row carries its label)."""
    out: dict = {}
    if any(r.get("intent") for r in rows):
        out["intent"] = intent_scores(rows, predicted)
    if any(r.get("urgency") for r in rows):
        out["urgency"] = urgency_scores(rows, predicted)
    if any(r.get("abuse") for r in rows):
        out["abuse"] = abuse_scores(rows, predicted)
    return out
