"""The inbox: every conversation from every channel in one list, with saved views, filters and sorting;
single rows, fetched by the page's script when a live event says a conversation changed; and "no reply needed"
for the rows selected in the "Not a request" view."""

import uuid

from civic_contracts.commands import CloseCommand, CloseReason
from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import JSONResponse

from inbox.web import csrf, labels, queries, render
from inbox.web.i18n import _
from inbox.web.session import WebPrincipal, error_page, wants_json

NOT_A_REQUEST = "not_a_request"
SELECT = "select:"  # a row's checkbox: `select:<conversation key>`

router = APIRouter(include_in_schema=False)


def list_params(request: Request) -> dict[str, str]:
    q = request.query_params
    params = {name: q.get(name, "").strip()[:64] for name in (*queries.FILTERS, "view", "sort")}
    if params["view"] not in queries.VIEW_IDS:
        params["view"] = "all"
    if params["sort"] not in queries.SORTS:
        params["sort"] = "urgent"
    return params


def filters_of(params: dict[str, str]) -> dict[str, str]:
    return {k: params[k] for k in queries.FILTERS if params.get(k)}


@router.get("/inbox")
async def inbox(request: Request, principal: WebPrincipal) -> Response:
    params = list_params(request)
    try:
        page = max(1, min(int(request.query_params.get("page", "1")), 10_000))
    except ValueError:
        page = 1
    page_size = request.app.state.web_settings.page_size
    rows, total = await queries.inbox_rows(request.app.state.store, principal, view=params["view"], filters=filters_of(params),
                                           sort=params["sort"], page=page, page_size=page_size,
                                           index=request.app.state.inbox_index)
    departments = request.app.state.web_settings.departments
    if not principal.all_departments:
        departments = [d for d in departments if d in principal.departments]
    view = queries.VIEW_IDS[params["view"]]
    counts = {NOT_A_REQUEST: total if view.id == NOT_A_REQUEST and not filters_of(params) else await queries.view_count(
        request.app.state.store, principal, NOT_A_REQUEST, index=request.app.state.inbox_index)}
    return render.render(
        request, "inbox.html", principal=principal, title=f"Inbox: {view.title}", rows=rows, total=total, page=page,
        page_size=page_size, params=params, views=queries.VIEWS, view=view, departments=departments, counts=counts,
        no_reply=view.id == NOT_A_REQUEST and principal.may("close"), bulk_key=uuid.uuid4().hex,
        options={"channel": labels.CHANNELS, "urgency": labels.URGENCIES, "sentiment": labels.SENTIMENTS,
                 "language": labels.LANGUAGES, "status": labels.STATUSES},
    )


@router.get("/inbox/row")
async def inbox_row(request: Request, principal: WebPrincipal, key: str) -> Response:
    """The row of conversation `key` as it stands, if it belongs in the list with these parameters; else 204."""
    params = list_params(request)
    rows, _ = await queries.inbox_rows(request.app.state.store, principal, view=params["view"], filters=filters_of(params),
                                       sort=params["sort"], page=1, page_size=1, only_key=key[:500],
                                       index=request.app.state.inbox_index)
    if not rows:
        return Response(status_code=204, headers=render.NO_STORE)
    return render.fragment(request, "_row.html", principal=principal, item=rows[0],
                           no_reply=params["view"] == NOT_A_REQUEST and principal.may("close"))


@router.post("/inbox/no_reply_needed")
async def no_reply_needed(request: Request, principal: WebPrincipal) -> Response:
    """Close every selected row of the "Not a request" view with "no reply needed": one close command each,
    through the same actions as the one-click button (and the API), each checked on its own."""
    try:
        form = await csrf.read_form(request)
        csrf.check(request, form)
    except HTTPException as exc:
        return error_page(request, principal, exc.status_code, str(exc.detail))
    keys = [name[len(SELECT):][:500] for name, value in form.items() if name.startswith(SELECT) and value]
    if not keys:
        return error_page(request, principal, 422, "Select the conversations that need no reply.")
    body = CloseCommand(reason=CloseReason.NO_REPLY_NEEDED)
    batch = (form.get("idempotency_key") or uuid.uuid4().hex)[:100]
    queued, refused = await request.app.state.actions.close_many(principal, keys, body, batch=batch)
    if wants_json(request):
        return JSONResponse({"ok": not refused, "closed": len(queued),
                             "refused": {k: why for k, (_code, why) in refused.items()}}, status_code=202)
    return render.render(request, "done.html", principal=principal, title="No reply needed", back="/inbox?view=not_a_request",
                         message=_closed_message(len(queued), len(refused)))


def _closed_message(closed: int, refused: int) -> str:
    message = _("Closed with no reply needed: %(n)s conversation(s).") % {"n": closed}
    if refused:
        message += " " + _("%(n)s could not be closed: someone acted on them first, or they are not yours.") % {
            "n": refused}
    return message
