"""Reports: response and resolution times and SLA attainment for a chosen date range, grouped by channel,
department, account, agent, language or urgency, as a table with a chart, and as CSV. Scoped like the
inbox: department staff see their departments only."""

import csv
import io
from datetime import UTC, date, datetime, time, timedelta

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import StreamingResponse

from inbox.spreadsheet import safe_cell
from inbox.web import charts, labels, render, reports
from inbox.web.i18n import _
from inbox.web.session import WebPrincipal

router = APIRouter(include_in_schema=False)
DEFAULT_DAYS = 30
MAX_DAYS = 400


def report_window(start: str | None, end: str | None, by: str | None) -> tuple[datetime, datetime, str]:
    """(from, to exclusive, dimension) from the query, with a clear 422 for what does not parse."""
    try:
        last = date.fromisoformat(end) if end else datetime.now(UTC).date()
        first = date.fromisoformat(start) if start else last - timedelta(days=DEFAULT_DAYS - 1)
    except ValueError as exc:
        raise HTTPException(422, "dates are YYYY-MM-DD") from exc
    if first > last or (last - first).days >= MAX_DAYS:
        raise HTTPException(422, f"the range must run forwards and cover at most {MAX_DAYS} days")
    dimension = by or "department"
    if dimension not in reports.DIMENSIONS:
        raise HTTPException(422, f"group by one of: {', '.join(reports.DIMENSIONS)}")
    return (datetime.combine(first, time(), UTC), datetime.combine(last + timedelta(days=1), time(), UTC), dimension)


async def report_rows(request: Request, principal, since: datetime, until: datetime, by: str) -> list[reports.ReportRow]:
    docs = await request.app.state.store.conversations_started(since, until, principal.scope(), reports.FIELDS)
    return reports.compute(docs, by=by, now=datetime.now(UTC))


def group_label(by: str, value: str) -> str:
    return labels.label(by, value) if by in ("channel", "department", "urgency") else value


@router.get("/reports")
async def reports_page(request: Request, principal: WebPrincipal) -> Response:
    q = request.query_params
    since, until, by = report_window(q.get("from"), q.get("to"), q.get("by"))
    rows = await report_rows(request, principal, since, until, by)
    bars = [(group_label(by, r.group), r.first_reply.on_time_percent or 0) for r in rows[:-1]
            if r.first_reply.finished or r.first_reply.open_overdue]
    svg = charts.hbars(bars, title=_("First reply on time, by %(dimension)s") % {"dimension": _(reports.DIMENSIONS[by][1]).lower()}, unit="%",
                       maximum=100, target=100, late={n for n, v in bars if v < 90})
    return render.render(request, "reports.html", principal=principal, title="Reports", rows=rows, by=by,
                         dimensions=reports.DIMENSIONS, since=since.date(), until=(until - timedelta(days=1)).date(),
                         svg=svg, group_label=group_label)


@router.get("/reports.csv")
async def reports_csv(request: Request, principal: WebPrincipal) -> Response:
    q = request.query_params
    since, until, by = report_window(q.get("from"), q.get("to"), q.get("by"))
    rows = await report_rows(request, principal, since, until, by)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in reports.csv_rows(rows):
        writer.writerow([safe_cell(v) for v in row])
    name = f"civic-inbox-report-{by}-{since.date()}-{(until - timedelta(days=1)).date()}.csv"
    return StreamingResponse(iter([buffer.getvalue()]), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


