"""One id check per platform, applied to every id before it reaches a platform URL (or a request body).

Ids arrive from conversation keys and commands, which start from what a citizen's platform sent: a forged
or odd id such as `../../tweets?x=` must never turn a private reply into a public post. A command with an id
that fails its check is refused with `invalid_id` (its `ReplyStatus` says failed, and why) and nothing is
sent. The formats are the platforms' own (PLATFORMS.md), kept to characters that cannot alter a URL:

- X: user and post ids are decimal strings of 1-19 digits.
- Meta (Graph API): object ids are digits, comment ids digits joined by `_`; page-scoped and Instagram-scoped
  user ids are opaque tokens, so letters, digits, `_` and `-` (never `/`, `.`, `?`, `#`, `%` or spaces).
- YouTube: comment ids are URL-safe base64-like tokens; a reply's id is `<parent>.<reply>`.
- Twilio: numbers are E.164 (`+` and up to 15 digits), WhatsApp ones prefixed `whatsapp:`; the Account SID
  is `AC` and 32 hex digits (from settings: only letters and digits are required of it).
- Mailgun: the sending domain is a DNS host name; addresses have one `@` and no spaces or line breaks.
"""

import re

from connectors.outbound.errors import Rejected

_X = re.compile(r"[0-9]{1,19}")
_META = re.compile(r"[A-Za-z0-9_-]{1,128}")
_YOUTUBE = re.compile(r"[A-Za-z0-9_-]{1,128}(?:\.[A-Za-z0-9_-]{1,128})?")
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
_TWILIO_SID = re.compile(r"AC[0-9A-Za-z]{1,32}")  # real ones: AC + 32 hex digits
_DOMAIN = re.compile(r"(?=.{1,253}\Z)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,62}")
_EMAIL = re.compile(r"[^@\s<>\"',;:/\\?#%]{1,64}@[A-Za-z0-9.-]{1,253}")


def _check(pattern: re.Pattern, value: str | None, platform: str, what: str) -> str:
    if value is None or not pattern.fullmatch(value):
        shown = repr(value[:40]) if isinstance(value, str) else "none"
        raise Rejected("invalid_id", f"{what} {shown} is not a valid {platform} id; nothing was sent")
    return value


def x_id(value: str | None, what: str) -> str:
    return _check(_X, value, "X", what)


def meta_id(value: str | None, what: str) -> str:
    return _check(_META, value, "Meta", what)


def youtube_id(value: str | None, what: str) -> str:
    return _check(_YOUTUBE, value, "YouTube", what)


def twilio_number(value: str | None, what: str) -> str:
    """An E.164 number, with or without the `whatsapp:` prefix; returned without it."""
    bare = value.removeprefix("whatsapp:") if isinstance(value, str) else value
    return _check(_E164, bare, "Twilio", what)


def twilio_account_sid(value: str | None) -> str:
    return _check(_TWILIO_SID, value, "Twilio", "account SID")


def mailgun_domain(value: str | None) -> str:
    return _check(_DOMAIN, value, "Mailgun", "sending domain")


def email_address(value: str | None, what: str) -> str:
    checked = _check(_EMAIL, value, "email", what)
    mailgun_domain(checked.rsplit("@", 1)[1])
    return checked
