"""Checks every reply passes before it leaves: no personal data in public, none of the organisation's banned
phrases or tone, Welsh answered in Welsh, and only from an account the person may use.

The personal-data patterns are deliberately simple (UK phone numbers, email addresses, postcodes, National
Insurance numbers, card numbers that pass the Luhn check); the organisation's own published contacts are
allowed."""

import re
from dataclasses import dataclass

from responder.domain.policy import ReplyChecks
from responder.domain.states import may_use_account

PII_PATTERNS: dict[str, re.Pattern[str]] = {
    "email": re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),
    "phone": re.compile(r"(?<![\d+])(?:\+44\s?\(?0?\)?\s?|0)(?:\d[\s-]?){9,10}(?!\d)"),
    "postcode": re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE),
    "national_insurance_number": re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE),
}
_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
# Words that appear in almost any Welsh sentence and hardly ever in English ones.
_WELSH_WORDS = frozenset(
    "yn yr y ac a'r mae ein eich chi ni ydy yw wedi gyda diolch bore prynhawn croeso cyngor rydym byddwn "
    "os gwelwch dda ffoniwch neges cyfeirnod helo hefyd ddim gallwn".split()
)


@dataclass(frozen=True)
class Finding:
    check: str  # pii | banned_phrase | tone | language | account
    detail: str  # for the agent; never repeats the personal data itself


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _normalised(value: str) -> str:
    return re.sub(r"[\s()-]", "", value).lower()


def personal_data(text: str, allowed: list[str]) -> list[str]:
    """Kinds of personal data in `text`, ignoring the organisation's own published contacts."""
    allowed_norm = {_normalised(a) for a in allowed}
    kinds: list[str] = []
    for kind, pattern in PII_PATTERNS.items():
        if any(_normalised(m.group(0)) not in allowed_norm for m in pattern.finditer(text)):
            kinds.append(kind)
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if 13 <= len(digits) <= 19 and luhn_ok(digits) and _normalised(m.group(0)) not in allowed_norm:
            kinds.append("card_number")
            break
    return kinds


def looks_welsh(text: str) -> bool:
    words = re.findall(r"[a-zâêîôûŵŷ']+", text.lower())
    return sum(1 for w in words if w in _WELSH_WORDS) >= 2


def shouting(text: str, ratio: float) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 20 and sum(c.isupper() for c in letters) / len(letters) >= ratio


def check_reply(
    text: str,
    *,
    public: bool,
    conversation_language: str | None,
    account_id: str,
    actor_accounts: list[str],
    rules: ReplyChecks,
) -> list[Finding]:
    """Everything wrong with the reply; empty when it may leave."""
    found: list[Finding] = []
    if public:
        for kind in personal_data(text, rules.allowed_public_contacts):
            found.append(Finding("pii", f"a public reply must not contain a {kind.replace('_', ' ')}"))
    lowered = text.lower()
    for phrase in rules.banned_phrases:
        if re.search(rf"(?<!\w){re.escape(phrase.lower())}(?!\w)", lowered):
            found.append(Finding("banned_phrase", f"the phrase “{phrase}” is not used in replies"))
    for rule in rules.tone_rules:
        if re.search(rule.pattern, text, re.IGNORECASE):
            found.append(Finding("tone", rule.message))
    if shouting(text, rules.shouting_ratio):
        found.append(Finding("tone", "the reply is mostly capital letters, which reads as shouting"))
    if (conversation_language or "en") == "cy" and not looks_welsh(text):
        found.append(Finding("language", "the citizen wrote in Welsh: answer in Welsh (or bilingually)"))
    if not may_use_account(actor_accounts, account_id):
        found.append(Finding("account", f"you may not reply from account {account_id}"))
    return found
