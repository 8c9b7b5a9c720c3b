"""One conversation: the thread with the citizen's earlier conversations, triage's decision and why, replies
with their checks and status, private notes, the history, and the forms for every action."""

from fastapi import APIRouter, HTTPException, Request, Response

from inbox.actions import visible_conversation
from inbox.auth.principal import Principal
from inbox.web import labels, queries, render, traces
from inbox.web.session import WebPrincipal, error_page

router = APIRouter(include_in_schema=False)
PLACEHOLDERS = ("name", "department", "organisation", "phone", "case_reference")


def latest_triage(messages: list[dict]) -> dict | None:
    for m in reversed(messages):
        if m.get("triage"):
            return m["triage"]
    return None


def approval_hints(principal: Principal, conversation: dict, policy: dict) -> list[str]:
    """Why a public reply from this person on this conversation would wait for a supervisor (the published
    rules responder applies; the business-hours rule is left to responder)."""
    rules = policy.get("approval") or {}
    if principal.role in (rules.get("exempt_roles") or ()):
        return []
    hints = []
    if rules.get("abusive_thread_public") and conversation.get("abuse") not in (None, "none"):
        hints.append("A public reply on an abusive thread needs a supervisor's approval.")
    if rules.get("new_staff_weeks") and principal.staff_since is not None:
        hints.append(f"Replies from staff in their first {rules['new_staff_weeks']} weeks may need approval.")
    return hints


async def parts(request: Request, principal: Principal, key: str) -> dict:
    """What the live parts of the page show (status, thread, replies, notes, history)."""
    store = request.app.state.store
    conversation = await visible_conversation(store, principal, key)
    messages = await queries.messages_of(store, key, request.app.state.inbox_index)
    return {
        "c": conversation, "key": key, "messages": messages, "triage": latest_triage(messages),
        "replies": await store.replies_of(key), "notes": await store.notes_of(key),
        "timeline": await store.timeline_of(key), "trace_url": traces.link_template(request.app.state.web_settings, principal),
    }


async def page(request: Request, principal: Principal, key: str, *, error: str | None = None,
               status_code: int = 200) -> Response:
    try:
        context = await parts(request, principal, key)
    except HTTPException as exc:
        return error_page(request, principal, exc.status_code, str(exc.detail))
    conversation = context["c"]
    policy = await request.app.state.records.published_policy()
    author = conversation.get("author") or {}
    fill = {"name": author.get("name") or author.get("handle") or "", "organisation": policy.get("organisation") or "",
            "department": labels.label("department", conversation.get("department")).lower(),
            "phone": policy.get("phone") or "", "case_reference": conversation.get("case_reference") or ""}
    canned = [c for c in policy.get("canned_responses", []) if not str(c.get("id", "")).startswith("handover_")]
    staff = await queries.staff_choices(request.app.state.users) if principal.privileged else []
    return render.render(
        request, "conversation.html", principal=principal, status_code=status_code,
        title=f"Conversation with {fill['name'] or 'a citizen'}", error=error, **context,
        earlier=await queries.earlier_conversations(request.app.state.store, principal, conversation, index=request.app.state.inbox_index),
        canned=canned, fill=fill,
        hints=approval_hints(principal, conversation, policy), staff=staff,
        departments=request.app.state.web_settings.departments, policy=policy,
    )


@router.get("/conversations/{key:path}")
async def conversation(request: Request, principal: WebPrincipal, key: str) -> Response:
    return await page(request, principal, key)
