"""The sandbox's own routes (`/_sandbox/...`): what the stand-ins were sent, faults to inject, and new items
for the polled feeds."""

from typing import Literal

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from sandbox import seed
from sandbox.platforms import state
from sandbox.state import Fault

router = APIRouter(prefix="/_sandbox", tags=["sandbox control"])
Platform = Literal["meta", "x", "youtube", "twilio", "mailgun", "slack", "teams"]


class FaultRequest(BaseModel):
    platform: Platform = Field(description="Which stand-in fails.")
    kind: Literal["rate_limit", "server_error", "token_expired", "quota"] = Field(description="How it fails.")
    count: int = Field(default=1, ge=1, le=1000, description="How many calls fail.")
    match: str | None = Field(default=None, max_length=200, description="Only calls whose path contains this.")
    retry_after_seconds: int = Field(default=0, ge=0, le=86400, description="Rate limits: when access is regained.")


class MentionRequest(BaseModel):
    account: str | None = Field(default=None, description="X account mentioned (default: the configured one).")
    text: str = Field(min_length=1, max_length=1000)
    author_name: str = Field(default="Sam Hughes", max_length=100)
    author_id: str | None = Field(default=None, pattern=r"^\d{1,19}$")
    reply_to: str | None = Field(default=None, pattern=r"^\d{1,19}$")


class CommentRequest(BaseModel):
    channel: str | None = Field(default=None, description="YouTube channel (default: the configured one).")
    text: str = Field(min_length=1, max_length=10000)
    author: str = Field(default="Priya Shah", max_length=100)
    video: str = Field(default="dQ4cIvIcInb", max_length=20)
    reply_to: str | None = Field(default=None, description="Thread (top-level comment id) to reply in.")


@router.get("/sent", summary="Calls the stand-ins accepted (replies, DMs, moderation), oldest first")
async def sent(request: Request, platform: Platform | None = None) -> list[dict]:
    return [s for s in state(request).sent if platform is None or s["platform"] == platform]


@router.delete("/sent", status_code=204, summary="Forget recorded calls")
async def clear_sent(request: Request) -> None:
    state(request).sent.clear()


@router.post("/faults", status_code=201, summary="Make the next matching calls fail")
async def add_fault(request: Request, fault: FaultRequest) -> dict:
    armed = Fault(**fault.model_dump())
    state(request).faults.append(armed)
    return armed.as_dict()


@router.get("/faults", summary="Faults still armed")
async def faults(request: Request) -> list[dict]:
    return [f.as_dict() for f in state(request).faults]


@router.delete("/faults", status_code=204, summary="Disarm every fault")
async def clear_faults(request: Request) -> None:
    state(request).faults.clear()


@router.post("/x/mentions", status_code=201, summary="A new mention in the X mentions timeline")
async def new_mention(request: Request, body: MentionRequest) -> dict:
    account = body.account or request.app.state.settings.x_account_id
    return seed.add_mention(state(request), account, text=body.text, author_name=body.author_name,
                            author_id=body.author_id, reply_to=body.reply_to)


@router.post("/youtube/comments", status_code=201, summary="A new YouTube comment (or a reply in a thread)")
async def new_comment(request: Request, body: CommentRequest) -> dict:
    channel = body.channel or request.app.state.settings.youtube_channel_id
    try:
        return seed.add_comment(state(request), channel, text=body.text, author=body.author, video=body.video,
                                reply_to=body.reply_to)
    except StopIteration:
        raise HTTPException(404, f"no thread {body.reply_to} on {channel}") from None
