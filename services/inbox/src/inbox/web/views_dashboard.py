"""The dashboard: volume by channel, department and hour, first-response and resolution against SLA,
sentiment over time and open incidents, as SVG charts drawn on the server, each with its figures in a table."""

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request, Response

from inbox.adapters.conversations import started_since_query
from inbox.web import charts, dashboard, labels, render
from inbox.web.i18n import _
from inbox.web.session import WebPrincipal
from inbox.web.views_supervision import load_incidents

router = APIRouter(include_in_schema=False)
FIELDS = ("channel", "department", "status", "urgency", "sentiment", "first_message_at", "sla")


@router.get("/dashboard")
async def dashboard_page(request: Request, principal: WebPrincipal) -> Response:
    days = request.app.state.web_settings.dashboard_days
    now = datetime.now(UTC)
    since = (now - timedelta(days=days - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    query = started_since_query(principal.scope(), since)
    index = request.app.state.inbox_index
    if index is not None and index.ready.is_set() and days <= index.keep_days:
        docs = index.select(query, [])  # every conversation that started in the window is in the list
    else:
        docs = await request.app.state.store.find_list(query, limit=100_000, fields=FIELDS)
    figures = dashboard.compute(docs, since=since, now=now)
    try:
        incidents = [i for i in await load_incidents(request, principal) if i.status != "closed"]
        incidents_error = None
    except Exception as exc:  # noqa: BLE001 - Kafka unavailable: the rest of the dashboard still shows
        incidents, incidents_error = [], f"Incidents could not be read: {type(exc).__name__}"
    channels = [(labels.label("channel", c), n) for c, n in figures.by_channel.most_common()]
    departments = [(labels.label("department", d), n) for d, n in figures.by_department.most_common()]
    hours = [(f"{h:02d}", n) for h, n in enumerate(figures.by_hour)]
    sla_rows = []
    for urgency in dashboard.URGENCIES:
        for clock, clock_label in dashboard.CLOCKS:
            f = figures.sla[(urgency, clock)]
            sla_rows.append({"urgency": urgency, "clock": clock_label, "f": f})
    sla_bars = [(f"{labels.label('urgency', r['urgency'])}: {_(r['clock']).lower()}", r["f"].on_time_percent or 0)
                for r in sla_rows if r["f"].finished or r["f"].open_overdue]
    svg = {
        "channel": charts.hbars(channels, title=_("Conversations by channel, last %(n)s days") % {"n": days}),
        "department": charts.hbars(departments, title=_("Conversations by department, last %(n)s days") % {"n": days}),
        "hour": charts.vbars(hours, title=_("Conversations by hour of the day (UK time)"), every=3),
        "sla": charts.hbars(sla_bars, title=_("Share on time against SLA, by urgency"), unit="%", maximum=100,
                            target=100, late={n for n, v in sla_bars if v < 90}),
        "sentiment": charts.lines(figures.sentiment, figures.sentiment_days, title=_("Sentiment per day, last %(n)s days") % {"n": days}),
    }
    return render.render(request, "dashboard.html", principal=principal, title="Dashboard", figures=figures, days=days,
                         svg=svg, channels=channels, departments=departments, hours=hours, sla_rows=sla_rows,
                         incidents=incidents, incidents_error=incidents_error)
