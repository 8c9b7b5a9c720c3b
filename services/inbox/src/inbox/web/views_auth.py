"""Signing in and out of the web app, through the agents' API's own sign-in (the same Argon2id check, the
same throttle per address and per account from that address, session and cookie); the form adds a CSRF
token. Unknown usernames and wrong passwords get the same page, and so do throttled attempts at either."""

from fastapi import APIRouter, HTTPException, Request, Response, status
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from inbox.api import auth as api_auth
from inbox.auth.deps import current_principal
from inbox.web import csrf, render
from inbox.web.session import WebPrincipal

router = APIRouter(include_in_schema=False)


def safe_next(value: str | None) -> str:
    if value and value.startswith("/") and not value.startswith(("//", "/\\")) and not value.startswith("/login"):
        return value
    return "/inbox"


def login_page(request: Request, *, error: str | None = None, username: str = "", next_url: str = "/inbox",
               status_code: int = 200, retry_after: float | None = None) -> Response:
    holder = Response()
    token = csrf.login_token(request, holder)
    page = render.render(request, "login.html", principal=None, title="Sign in", error=error, username=username,
                         next_url=safe_next(next_url), login_csrf=token, status_code=status_code)
    for name, value in holder.raw_headers:
        if name == b"set-cookie":
            page.raw_headers.append((name, value))
    if retry_after is not None:
        page.headers["Retry-After"] = str(int(retry_after) + 1)
    return page


@router.get("/")
async def home() -> RedirectResponse:
    return RedirectResponse("/inbox", status_code=303)


@router.get("/login")
async def login_form(request: Request, next: str | None = None) -> Response:
    try:
        await current_principal(request)
        return RedirectResponse(safe_next(next), status_code=303)
    except HTTPException:
        return login_page(request, next_url=safe_next(next))


@router.post("/login")
async def login(request: Request) -> Response:
    form = await csrf.read_form(request)
    username, next_url = form.get("username", "").strip(), safe_next(form.get("next"))
    if not csrf.check_login(request, form):
        return login_page(request, error=csrf.EXPIRED, username=username, next_url=next_url, status_code=403)
    holder = Response()
    try:
        body = api_auth.Login(username=username, password=form.get("password", ""))
        await api_auth.login(request, holder, body)
    except ValidationError:
        return login_page(request, error="Enter your username and password.", username=username, next_url=next_url,
                          status_code=400)
    except HTTPException as exc:
        if exc.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
            wait = float((exc.headers or {}).get("Retry-After", "60"))
            minutes = max(1, round(wait / 60))
            return login_page(request, error=f"Too many sign-in attempts. Try again in {minutes} minute{'s' * (minutes > 1)}.",
                              username=username, next_url=next_url, status_code=429, retry_after=wait)
        return login_page(request, error="The username or password is wrong.", username=username, next_url=next_url,
                          status_code=exc.status_code)
    response = RedirectResponse(next_url, status_code=303)
    for name, value in holder.raw_headers:
        if name == b"set-cookie":
            response.raw_headers.append((name, value))
    response.delete_cookie(csrf.LOGIN_COOKIE, path="/", httponly=True, samesite="strict")
    from inbox.web.views_language import remember_language

    await remember_language(request, response, username)
    return response


@router.post("/logout")
async def logout(request: Request, principal: WebPrincipal) -> Response:
    csrf.check(request, await csrf.read_form(request))
    out = await api_auth.logout(request, Response(), principal)
    response = RedirectResponse("/login?done=signed_out", status_code=303)
    for name, value in out.raw_headers:
        if name == b"set-cookie":
            response.raw_headers.append((name, value))
    return response
