"""FastAPI dependencies: the signed-in principal (session cookie or bearer token) and role checks.

Cookie-authenticated changes are accepted only from the API's own origin (or `allowed_origins`): the
cookie is SameSite=Lax and every action takes a JSON body, and the Origin check closes what is left of
cross-site request forgery."""

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request, status

from inbox.auth.principal import Principal

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _unauthorised(detail: str = "sign in first") -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "Bearer"})


def _origin_allowed(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None:
        fetch_site = request.headers.get("sec-fetch-site")
        return fetch_site in (None, "same-origin", "none")
    allowed = set(request.app.state.settings.allowed_origins)
    own = f"{request.url.scheme}://{request.url.netloc}"
    host = request.headers.get("host")
    parts = urlsplit(origin)
    return origin in allowed or origin == own or (host is not None and parts.netloc == host)


async def current_principal(request: Request) -> Principal:
    users = request.app.state.users
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        user = await users.token_user(authorization[7:].strip())
        if user is None:
            raise _unauthorised("invalid or expired token")
        return Principal.from_user(user, auth="token")
    session = request.cookies.get(request.app.state.settings.session_cookie)
    if not session:
        raise _unauthorised()
    found = await users.session_user(session)
    if found is None:
        raise _unauthorised("your session has ended; sign in again")
    if request.method not in SAFE_METHODS and not _origin_allowed(request):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "cross-site request refused")
    user, session_id = found
    return Principal.from_user(user, auth="session", session_id=session_id)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_privileged(principal: CurrentPrincipal) -> Principal:
    if not principal.privileged:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "supervisors and admins only")
    return principal


def require_admin(principal: CurrentPrincipal) -> Principal:
    if principal.role != "admin":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "admins only")
    return principal


Supervisor = Annotated[Principal, Depends(require_privileged)]
Admin = Annotated[Principal, Depends(require_admin)]
