"""The one-sentence explanation a person reads next to a triage decision."""

from __future__ import annotations

from triage.domain.taxonomy import Rule

_LANGUAGES = {"cy": "Welsh", "en": "English"}
_REASONS = {"thanks": "thanks", "praise": "praise", "opinion": "an opinion", "news": "news or a shared post",
            "conversation": "a conversation between other people", "spam": "spam", "empty": "only @handles or emoji"}


def summarise(
    *,
    department_name: str,
    confidence: float,
    urgency: str,
    fired: list[Rule],
    forced: Rule | None,
    abuse: str,
    pii_kinds: list[str],
    language: str,
    needs_review: bool,
    place=None,
    not_actionable: str | None = None,
) -> str:
    """One sentence: where it goes, how sure, how urgent and why, and what else a person must know."""
    if not_actionable is not None:
        head = f"Not a request ({_REASONS.get(not_actionable, not_actionable)}): {department_name}, no reply needed"
    elif forced is not None:
        head = f"Routed to {department_name} by rule {forced.id}"
    elif place is not None and place.on and not place.ours and place.department and place.weight >= 1.0:
        head = f"Routed to {department_name}: {place.name} belongs to {place.owner} (matched {_evidence(place)})"
    else:
        head = f"Routed to {department_name} with {confidence:.0%} confidence"
    parts = [head]
    if place is not None and not_actionable is None and not (place.on and not place.ours and place.department and place.weight >= 1.0
                                  and forced is None):
        where = "at" if place.on else "near"
        parts.append(f"{where} {place.name} (owned by {place.owner}, matched {_evidence(place)})")
    if urgency != "normal":
        why = fired[0].description.rstrip(".").lower() if fired and fired[0].description else ""
        parts.append(f"urgency {urgency}" + (f" ({why})" if why else " (threat of violence)" if abuse == "threat" else ""))
    if abuse != "none":
        parts.append(f"{abuse} content")
    if pii_kinds:
        parts.append("personal data: " + ", ".join(k.replace("_", " ") for k in pii_kinds))
    if language not in ("en", "und"):
        parts.append(f"written in {_LANGUAGES.get(language, language)}")
    if needs_review:
        parts.append("a person should confirm the routing")
    return "; ".join(parts) + "."


def _evidence(place) -> str:
    return "by coordinates" if place.how == "coordinates" else f'"{place.evidence}"'
