"""What another service wrote for people (a timeline event's summary), in the reader's language.

Responder stores each event with its English `summary` (kept for the audit, exports and older readers) and,
since events carry one, its `phrase`: the English template (the key of `locales/cy.json`) and the values it
names (`civic_contracts.Phrase`). A value whose name is a kind of label (a channel, a department, a status,
...) is shown as that label in the reader's language; a value that is a phrase itself (a refusal's reason) is
said the same way, and a `reason` written as a fixed sentence (responder's `refused("...")`, the permission
rules) is looked up in the catalog; names, references and ids are shown as written. An event
stored before phrases existed, or one whose template the catalog cannot fill, shows its stored summary."""

from inbox.web.i18n import _
from inbox.web.labels import label

# Parameter names that are kinds of label (`labels.label`); those in LOWER read mid-sentence in lower case.
LABELLED = ("channel", "department", "status", "urgency", "close_reason", "not_a_request", "by", "purpose",
            "reply_status", "strategy", "clock")
LOWER = ("status", "urgency", "close_reason", "not_a_request", "by", "purpose", "reply_status", "strategy", "clock")


def _value(name: str, value) -> object:
    if value is None:
        return ""
    if isinstance(value, dict) and value.get("template"):
        return _say(value)  # a phrase inside a phrase (a refusal's reason)
    if name == "reason" and isinstance(value, str):
        return _(value)  # a reason written as a fixed sentence reads in the catalog's language when it has it
    if name not in LABELLED or not isinstance(value, str):
        return value
    words = label(name, value)
    return words[:1].lower() + words[1:] if name in LOWER else words


def _say(phrase: dict) -> str:
    return _(phrase["template"]) % {k: _value(k, v) for k, v in (phrase.get("params") or {}).items()}


def said(event: dict) -> str:
    """The event's summary in the current language (`i18n.current`)."""
    summary = str(event.get("summary") or "")
    phrase = event.get("phrase")
    if not isinstance(phrase, dict) or not phrase.get("template"):
        return summary
    try:
        return _say(phrase)
    except (KeyError, TypeError, ValueError, AttributeError):
        return summary
