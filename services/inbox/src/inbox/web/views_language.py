"""Choosing the interface language (English or Welsh): a long-lived cookie, and on the person's account when
they are signed in, so the choice follows them to another browser at their next sign-in."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from inbox.web import csrf, i18n
from inbox.web.views_auth import safe_next

router = APIRouter(include_in_schema=False)
YEAR = 365 * 24 * 3600


def set_language_cookie(response: Response, language: str) -> None:
    response.set_cookie(i18n.COOKIE, language, max_age=YEAR, path="/", samesite="lax", httponly=True,
                        secure=False)


@router.post("/language")
async def choose_language(request: Request) -> Response:
    form = await csrf.read_form(request)
    language = form.get("language") if form.get("language") in i18n.LANGUAGES else "en"
    response = RedirectResponse(safe_next(form.get("next")), status_code=303)
    set_language_cookie(response, language)
    session = await _signed_in_user(request)
    if session is not None:  # a change to the account: only from the person's own page
        csrf.check(request, form)
        await request.app.state.users.set_ui_language(session, language)
    return response


async def remember_language(request: Request, response: Response, user_id: str) -> None:
    """At sign-in: the language the person chose before, on any browser."""
    user = await request.app.state.users.get(user_id)
    if user and user.get("ui_language") in i18n.LANGUAGES:
        set_language_cookie(response, user["ui_language"])


async def _signed_in_user(request: Request) -> str | None:
    from inbox.web.session import web_principal

    try:
        return (await web_principal(request)).user_id
    except Exception:  # noqa: BLE001 - not signed in: the cookie alone holds the choice
        return None
