"""Signing in with a local account (Argon2id password hashes, a server-side session in an HttpOnly,
SameSite=Lax cookie), signing out, who am I, and personal API tokens for API clients (Bearer)."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Request, Response, status
from pydantic import BaseModel, Field

from inbox.auth.deps import CurrentPrincipal
from inbox.auth.principal import Principal
from inbox.auth.signin import sign_in

router = APIRouter(prefix="/api/auth", tags=["auth"])


class Login(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class Me(BaseModel):
    user_id: str
    name: str
    role: str = Field(description="agent, department_staff, supervisor or admin.")
    departments: list[str]
    accounts: list[str]
    languages: list[str]
    auth: str = Field(description="session or token.")


class NewToken(BaseModel):
    name: str = Field(min_length=1, max_length=100, description="What the token is for.")
    days: int = Field(default=90, ge=1, le=365, description="Days until it expires.")


class TokenView(BaseModel):
    id: str
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    token: str | None = Field(default=None, description="The token itself: shown once, when created.")


def me(principal: Principal) -> Me:
    return Me(user_id=principal.user_id, name=principal.name, role=principal.role, departments=list(principal.departments),
              accounts=list(principal.accounts), languages=list(principal.languages), auth=principal.auth)


def set_session_cookie(request: Request, response: Response, session: str) -> None:
    settings = request.app.state.settings
    response.set_cookie(settings.session_cookie, session, max_age=int(settings.session_hours * 3600), httponly=True,
                        samesite="lax", secure=settings.cookie_secure, path="/")


@router.post("/login", response_model=Me, summary="Sign in with a username and password",
             responses={401: {"description": "Wrong username or password."},
                        429: {"description": "Too many attempts from this address (Retry-After says when to retry)."}})
async def login(request: Request, response: Response, body: Login) -> Me:
    users, settings = request.app.state.users, request.app.state.settings
    user = await sign_in(request, body.username, body.password)  # throttled, off-loop hashing (inbox.auth.signin)
    await users.good_login(user["_id"])
    session = await users.open_session(user["_id"], hours=settings.session_hours)
    set_session_cookie(request, response, session)
    return me(Principal.from_user(user, auth="session"))


@router.post("/logout", status_code=204, summary="Sign out (ends the session on the server)")
async def logout(request: Request, response: Response, principal: CurrentPrincipal) -> Response:
    if principal.session_id:
        await request.app.state.users.close_session(principal.session_id)
    out = Response(status_code=204)
    out.delete_cookie(request.app.state.settings.session_cookie, path="/", httponly=True, samesite="lax")
    return out


@router.get("/me", response_model=Me, summary="Who is signed in")
async def whoami(principal: CurrentPrincipal) -> Me:
    return me(principal)


@router.post("/tokens", response_model=TokenView, status_code=201, summary="Create a personal API token (shown once)")
async def create_token(request: Request, principal: CurrentPrincipal, body: Annotated[NewToken, Body()]) -> TokenView:
    if principal.auth != "session":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "tokens are created from a signed-in session")
    token, row = await request.app.state.users.create_token(principal.user_id, name=body.name, days=body.days)
    return TokenView(id=row["_id"], token=token, **{k: row[k] for k in ("name", "prefix", "created_at", "expires_at")})


@router.get("/tokens", response_model=list[TokenView], summary="Your API tokens (without the secrets)")
async def list_tokens(request: Request, principal: CurrentPrincipal) -> list[TokenView]:
    rows = await request.app.state.users.tokens_of(principal.user_id)
    return [TokenView(id=r["_id"], **{k: r[k] for k in ("name", "prefix", "created_at", "expires_at")}) for r in rows]


@router.delete("/tokens/{token_id}", status_code=204, summary="Revoke one of your API tokens")
async def revoke_token(request: Request, principal: CurrentPrincipal, token_id: str) -> Response:
    if not await request.app.state.users.revoke_token(principal.user_id, token_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such token")
    return Response(status_code=204)
