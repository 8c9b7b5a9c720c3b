"""The staff interface in English and Welsh (Welsh Language Standards): each person's choice, remembered
in a long-lived cookie and on their account, else the browser's preference. Templates and Python say the
English text (`_("Sign out")`); the Welsh catalog (`locales/cy.json`) maps each to its Welsh. A text with no
Welsh yet shows in English, and a test keeps the catalog complete."""

import json
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from fastapi import Request

LANGUAGES = {"en": "English", "cy": "Cymraeg"}
HTML_LANG = {"en": "en-GB", "cy": "cy"}
COOKIE = "civic_lang"
LOCALES = Path(__file__).resolve().parent.parent / "locales"
current: ContextVar[str] = ContextVar("language", default="en")


@lru_cache(maxsize=4)
def catalog(language: str) -> dict[str, str]:
    path = LOCALES / f"{language}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def gettext(message: str) -> str:
    language = current.get()
    return message if language == "en" else catalog(language).get(message) or message


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


_ = gettext


def language_of(request: Request) -> str:
    """The person's choice (cookie), else the first of the browser's languages we speak, else English."""
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"


class Language:
    """Sets the request's language for everything the web app says while answering it (pure ASGI, so the
    choice reaches the view and the template)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = current.set(language_of(Request(scope)))
        try:
            await self.app(scope, receive, send)
        finally:
            current.reset(token)
