"""The signed-in person for web pages, through the agents' API's own dependency (same session cookie, same
roles): a page that needs a sign-in redirects to it; a script gets a 401 it can act on."""

import json
from collections.abc import Awaitable, Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import ValidationError

from inbox.auth.deps import current_principal
from inbox.auth.principal import Principal
from inbox.web import render


class SignInRequired(Exception):
    def __init__(self, next_url: str) -> None:
        super().__init__("sign in first")
        self.next_url = next_url


def wants_json(request: Request) -> bool:
    return request.headers.get("accept", "").startswith("application/json") or "x-csrf-token" in request.headers


async def web_principal(request: Request) -> Principal:
    try:
        return await current_principal(request)
    except HTTPException as exc:
        if exc.status_code == 401:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise SignInRequired(target if request.method == "GET" else "/inbox") from None
        raise


WebPrincipal = Annotated[Principal, Depends(web_principal)]


async def sign_in_required(request: Request, exc: SignInRequired) -> Response:
    if wants_json(request) or request.url.path.startswith("/live/"):
        return JSONResponse({"detail": "sign in first", "sign_in": "/login"}, status_code=401)
    return RedirectResponse(f"/login?next={quote(exc.next_url, safe='/')}", status_code=303)


def error_page(request: Request, principal: Principal | None, status_code: int, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"ok": False, "message": message}, status_code=status_code)
    return render.render(request, "error.html", principal=principal, status_code=status_code,
                         title="Something went wrong", message=message, status=status_code)


def detail(exc: HTTPException | ValidationError) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'form'}: {e['msg']}" for e in exc.errors())
    return exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)


async def act(request: Request, principal: Principal, action: str, call: Callable[[], Awaitable[str]], *,
              back: str, on_error: Callable[[int, str], Awaitable[Response]] | None = None) -> Response:
    """Run one of the inbox's actions (it returns the command id); 303 back to the page (or JSON for
    scripts), or the page with the error."""
    try:
        command_id = await call()
    except (HTTPException, ValidationError) as exc:
        code = exc.status_code if isinstance(exc, HTTPException) else 422
        if on_error is not None and not wants_json(request):
            return await on_error(code, detail(exc))
        return error_page(request, principal, code, detail(exc))
    message = render.FLASH.get(action, "Done.")
    if wants_json(request):
        return JSONResponse({"ok": True, "action": action, "command_id": command_id, "message": message},
                            status_code=202)
    path, _, anchor = back.partition("#")
    separator = "&" if "?" in path else "?"
    return RedirectResponse(f"{path}{separator}done={action}" + (f"#{anchor}" if anchor else ""), status_code=303)
