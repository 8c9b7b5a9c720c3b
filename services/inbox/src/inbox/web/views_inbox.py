"""The inbox: every conversation from every channel in one list, with saved views, filters and sorting;
and single rows, fetched by the page's script when a live event says a conversation changed."""


from fastapi import APIRouter, Request, Response

from inbox.web import labels, queries, render
from inbox.web.session import WebPrincipal

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
    return render.render(
        request, "inbox.html", principal=principal, title=f"Inbox: {view.title}", rows=rows, total=total, page=page,
        page_size=page_size, params=params, views=queries.VIEWS, view=view, departments=departments,
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
    return render.fragment(request, "_row.html", principal=principal, item=rows[0])
