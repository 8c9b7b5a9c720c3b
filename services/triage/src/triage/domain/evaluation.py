"""Evaluation figures: per-department precision, recall and F1, macro-F1, confusion, critical recall."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support


@dataclass(slots=True)
class Report:
    """What `evaluate` prints. Macro-F1 averages over the departments present in the truth."""

    labels: list[str]
    per_class: dict[str, dict[str, float]]
    macro_f1: float
    accuracy: float
    confusion: list[list[int]]
    confusion_labels: list[str]
    n: int
    review_rate: float
    accuracy_when_confident: float | None
    urgency: dict[str, dict[str, float]] = field(default_factory=dict)
    critical_recall: float | None = None

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__}


def evaluate(
    truth: Sequence[str],
    predicted: Sequence[str],
    *,
    needs_review: Sequence[bool] | None = None,
    urgency_truth: Sequence[str | None] | None = None,
    urgency_predicted: Sequence[str] | None = None,
) -> Report:
    labels = sorted(set(truth))
    p, r, f, s = precision_recall_fscore_support(truth, predicted, labels=labels, zero_division=0)
    per_class = {
        lab: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4), "f1": round(float(f[i]), 4), "support": int(s[i])}
        for i, lab in enumerate(labels)
    }
    macro = float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0))
    all_labels = sorted(set(truth) | set(predicted))
    cm = confusion_matrix(truth, predicted, labels=all_labels).tolist()
    n = len(truth)
    acc = sum(t == q for t, q in zip(truth, predicted, strict=True)) / n if n else 0.0
    review_rate, acc_conf = 0.0, None
    if needs_review is not None and n:
        review_rate = sum(needs_review) / n
        kept = [(t, q) for t, q, nr in zip(truth, predicted, needs_review, strict=True) if not nr]
        acc_conf = sum(t == q for t, q in kept) / len(kept) if kept else None
    report = Report(labels=labels, per_class=per_class, macro_f1=round(macro, 4), accuracy=round(acc, 4),
                    confusion=cm, confusion_labels=all_labels, n=n, review_rate=round(review_rate, 4),
                    accuracy_when_confident=None if acc_conf is None else round(acc_conf, 4))
    if urgency_truth is not None and urgency_predicted is not None:
        pairs = [(t, q) for t, q in zip(urgency_truth, urgency_predicted, strict=True) if t]
        if pairs:
            ut, uq = zip(*pairs, strict=True)
            ulabels = [u for u in ("critical", "high", "normal") if u in set(ut) | set(uq)]
            up, ur, uf, us = precision_recall_fscore_support(ut, uq, labels=ulabels, zero_division=0)
            report.urgency = {
                lab: {"precision": round(float(up[i]), 4), "recall": round(float(ur[i]), 4), "f1": round(float(uf[i]), 4), "support": int(us[i])}
                for i, lab in enumerate(ulabels)
            }
            crit = [(t, q) for t, q in pairs if t == "critical"]
            if crit:
                report.critical_recall = round(sum(q == "critical" for _, q in crit) / len(crit), 4)
    return report


def format_report(report: Report) -> str:
    """A plain-text table for a terminal."""
    lines = [f"{'department':<26}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
    for lab in report.labels:
        m = report.per_class[lab]
        lines.append(f"{lab:<26}{m['precision']:>10.3f}{m['recall']:>10.3f}{m['f1']:>10.3f}{m['support']:>10}")
    lines.append(f"\nmacro-F1 {report.macro_f1:.4f}   accuracy {report.accuracy:.4f}   n {report.n}")
    lines.append(f"needs_review rate {report.review_rate:.4f}   accuracy when not sent for review {report.accuracy_when_confident}")
    if report.urgency:
        lines.append("\nurgency:")
        for lab, m in report.urgency.items():
            lines.append(f"  {lab:<10} precision {m['precision']:.3f} recall {m['recall']:.3f} f1 {m['f1']:.3f} support {m['support']}")
    if report.critical_recall is not None:
        lines.append(f"critical recall {report.critical_recall:.4f}")
    width = max(len(x) for x in report.confusion_labels)
    lines.append("\nconfusion (rows: truth, columns: predicted, in this order):")
    lines.append(" " * (width + 1) + " ".join(f"{i:>5}" for i in range(len(report.confusion_labels))))
    for i, (lab, row) in enumerate(zip(report.confusion_labels, report.confusion, strict=True)):
        lines.append(f"{lab:<{width}} " + " ".join(f"{v:>5}" for v in row) + f"   [{i}]")
    return "\n".join(lines)
