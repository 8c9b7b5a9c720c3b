"""Ops: one trace as a span waterfall (`/ops/traces/{trace_id}`), read on the server from the trace store
(`inbox.adapters.traces`), for supervisors and admins. The conversation page's Trace links open it when
`INBOX_WEB_TRACE_QUERY_URL` is set (as `make run` and compose do)."""

from fastapi import APIRouter, Request, Response

from inbox.adapters.traces import TRACE_ID, TraceStore, TraceStoreUnavailable
from inbox.web import render, traces
from inbox.web.i18n import _
from inbox.web.session import WebPrincipal, error_page
from inbox.web.views_ops import ops_only

router = APIRouter(include_in_schema=False)


def store_of(request: Request) -> TraceStore | None:
    """The app's trace store reader (made once), or None when no trace store is configured."""
    url = request.app.state.web_settings.trace_query_url
    if not url:
        return None
    store = getattr(request.app.state, "trace_store", None)
    if store is None or store.base_url != url.rstrip("/"):
        store = request.app.state.trace_store = TraceStore(url)
    return store


@router.get("/ops/traces/{trace_id}")
async def trace_page(request: Request, principal: WebPrincipal, trace_id: str) -> Response:
    if (refused := ops_only(request, principal)) is not None:
        return refused
    trace_id = trace_id.lower()
    if not TRACE_ID.fullmatch(trace_id):
        return error_page(request, principal, 404, _("A trace id is 32 hexadecimal digits."))
    store = store_of(request)
    if store is None:
        return error_page(request, principal, 404, _("No trace store is configured (INBOX_WEB_TRACE_QUERY_URL)."))
    try:
        trace = await store.trace(trace_id)
    except TraceStoreUnavailable as exc:
        return error_page(request, principal, 503, _("The trace store could not be read: %(why)s. Try again shortly.")
                          % {"why": str(exc)})
    settings = request.app.state.web_settings
    viewer = settings.trace_url_template.replace("{trace_id}", trace_id) if settings.trace_url_template else ""
    if trace is None:
        return render.render(request, "trace.html", principal=principal, status_code=404, title=_("Trace not found"),
                             trace_id=trace_id, waterfall=None, viewer=viewer)
    return render.render(request, "trace.html", principal=principal, title=_("Trace %(id)s") % {"id": trace_id[:12]},
                         trace_id=trace_id, waterfall=traces.waterfall(trace), viewer=viewer)
