"""Words people read for the ids the system uses (in English here; shown in the person's language)."""

from civic_contracts import ConversationStatus

from inbox.web.i18n import _

DEPARTMENTS = {
    "waste": "Waste and recycling", "highways": "Highways", "parks_trees": "Parks and trees",
    "street_lighting": "Street lighting", "parking": "Parking", "transport": "Transport", "housing": "Housing",
    "council_tax_benefits": "Council tax and benefits", "environmental_health_asb": "Environmental health and ASB",
    "planning": "Planning", "libraries_leisure": "Libraries and leisure", "social_care": "Social care",
    "police": "Police matters", "out_of_scope": "Another body's job", "general": "General",
}
CHANNELS = {
    "facebook": "Facebook", "messenger": "Messenger", "instagram": "Instagram", "x": "X", "youtube": "YouTube",
    "sms": "SMS", "whatsapp": "WhatsApp", "email": "Email", "webform": "Web form",
}
STATUSES = {s.value: s.value.replace("_", " ").capitalize() for s in ConversationStatus}
URGENCIES = {"critical": "Critical", "high": "High", "normal": "Normal"}
SENTIMENTS = {"negative": "Negative", "neutral": "Neutral", "positive": "Positive"}
ABUSE = {"none": "None", "offensive": "Offensive", "hate": "Hate", "threat": "Threat"}
LANGUAGES = {"en": "English", "cy": "Welsh"}
PRIVATE_CHANNELS = ("messenger", "instagram", "x", "email", "sms", "whatsapp")
ROLES = {"admin": "Administrator", "supervisor": "Supervisor", "agent": "Agent", "department_staff": "Department staff"}
# Why triage judged a conversation not a request (`not_a_request`), as staff read it.
NOT_A_REQUEST = {
    "thanks": "Thanks", "praise": "Praise", "greeting": "Good wishes", "opinion": "Opinion", "news": "News or a share",
    "conversation": "Conversation between others", "spam": "Spam", "empty": "Nothing to act on",
    "not_actionable": "Nothing to act on",
}
CLOSE_REASONS = {"no_reply_needed": "No reply needed"}
KINDS = {"public_comment": "Public comment", "private_message": "Private message", "email": "Email", "form": "Form"}
# Words in the phrases responder writes on the timeline (`web/phrases.py`).
BY = {"author": "Its author", "account": "The organisation's account", "platform": "The platform"}
PURPOSES = {"reply": "Reply", "holding": "Holding reply", "private_opening": "Private thread opening",
            "hide_comment": "Hide comment"}
REPLY_STATUSES = {"sent": "Sent", "failed": "Failed", "waiting": "Waiting", "blocked": "Blocked",
                  "awaiting_approval": "Awaiting approval", "approved": "Approved", "sending": "Sending",
                  "rejected": "Rejected"}
STRATEGIES = {"round_robin": "Round robin", "least_loaded": "Least loaded"}
CLOCKS = {"first_response": "First response", "resolution": "Resolution"}


def label(kind: str, value: str | None) -> str:
    if value is None or value == "":
        return "—"
    return _(_english(kind, value))


def _english(kind: str, value: str) -> str:
    table = {"department": DEPARTMENTS, "channel": CHANNELS, "status": STATUSES, "urgency": URGENCIES,
             "sentiment": SENTIMENTS, "abuse": ABUSE, "language": LANGUAGES, "kind": KINDS, "role": ROLES,
             "not_a_request": NOT_A_REQUEST, "close_reason": CLOSE_REASONS, "by": BY, "purpose": PURPOSES,
             "reply_status": REPLY_STATUSES, "strategy": STRATEGIES, "clock": CLOCKS}.get(kind, {})
    return table.get(value, value.replace("_", " ").capitalize())
