"""Cross-site request forgery protection for the web app's forms.

Signed in, the token is bound to the session: an HMAC of the session cookie (which is HttpOnly, so a page
on another site can neither read it nor compute the token). It needs no server-side state, so every
replica checks it alike, and it changes with every sign-in. The sign-in form, before there is a session,
uses a double-submit token: a random value in a SameSite=Strict, HttpOnly cookie that the form must echo.
Forms carry the token in `csrf_token`; scripts send it in the `X-CSRF-Token` header. On top of this the
API's own Origin check (`inbox.auth.deps`) refuses cross-site changes made with the session cookie."""

import hashlib
import hmac
import secrets
from urllib.parse import parse_qsl

from fastapi import HTTPException, Request, Response, status

LOGIN_COOKIE = "civic_login_csrf"
HEADER = "x-csrf-token"
FIELD = "csrf_token"
MAX_FORM_BYTES = 64_000
EXPIRED = "This form has expired or did not come from Civic Inbox. Reload the page and try again."


def session_token(request: Request) -> str | None:
    """The token for forms of the signed-in session, or None when there is no session cookie."""
    session = request.cookies.get(request.app.state.settings.session_cookie)
    if not session:
        return None
    return hmac.new(session.encode(), b"civic-inbox web csrf v1", hashlib.sha256).hexdigest()


def _matches(expected: str | None, given: str | None) -> bool:
    return bool(expected and given) and hmac.compare_digest(expected.encode(), given.encode())


def check(request: Request, form: dict[str, str]) -> None:
    """403 unless the form (or the header) carries this session's token."""
    given = form.get(FIELD) or request.headers.get(HEADER)
    if not _matches(session_token(request), given):
        raise HTTPException(status.HTTP_403_FORBIDDEN, EXPIRED)


def login_token(request: Request, response: Response) -> str:
    """The sign-in form's token; sets its cookie when there is none yet."""
    token = request.cookies.get(LOGIN_COOKIE)
    if not token or len(token) != 43:
        token = secrets.token_urlsafe(32)
        response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", path="/",
                            secure=request.app.state.settings.cookie_secure, max_age=3600)
    return token


def check_login(request: Request, form: dict[str, str]) -> bool:
    return _matches(request.cookies.get(LOGIN_COOKIE), form.get(FIELD))


async def read_form(request: Request) -> dict[str, str]:
    """A URL-encoded form body as a dict (the last value of a repeated field wins); 415 or 413 otherwise."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, "send the form as application/x-www-form-urlencoded")
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "the form is too large")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=200, strict_parsing=False)
    except (UnicodeDecodeError, ValueError) as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "the form could not be read") from exc
    return {k: v for k, v in pairs}
