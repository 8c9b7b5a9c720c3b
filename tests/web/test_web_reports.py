"""Reports: the figures per group (pure), then the page and its CSV over HTTP against the real server."""

import csv
import io
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from inbox.web import reports
from support.system import System
from web_support import arrive, messenger

NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)


def _conversation(channel: str, *, replied_after: int | None, due_after: int = 60, agent: str | None = None) -> dict:
    start = NOW - timedelta(hours=5)
    clock = {"due": start + timedelta(minutes=due_after)}
    if replied_after is not None:
        clock["met_at"] = start + timedelta(minutes=replied_after)
    return {"channel": channel, "assignee": agent, "status": "answered" if replied_after else "new",
            "sla": {"start": start, "first_response": clock}, "first_message_at": start}


def test_report_rows_group_and_total() -> None:
    docs = [_conversation("sms", replied_after=30, agent="t-agent"), _conversation("sms", replied_after=90),
            _conversation("email", replied_after=None), _conversation("email", replied_after=10, agent="t-agent")]
    rows = reports.compute(docs, by="channel", now=NOW)
    assert [r.group for r in rows] == ["email", "sms", "All"]
    email, sms, total = rows
    assert (sms.first_reply.on_time, sms.first_reply.late, sms.first_reply.median_minutes) == (1, 1, 60.0)
    assert (email.first_reply.on_time, email.first_reply.open_overdue, email.open) == (1, 1, 2)  # answered is still open
    assert total.conversations == 4 and total.first_reply.on_time_percent == 50.0
    by_agent = {r.group: r.conversations for r in reports.compute(docs, by="agent", now=NOW)}
    assert by_agent == {"t-agent": 2, "unassigned": 2, "All": 4}
    lines = list(reports.csv_rows(rows))
    assert lines[0][0] == "group" and lines[-1][:2] == ("All", 4) and len(lines) == 4


@pytest.mark.integration
@pytest.mark.e2e
async def test_reports_page_and_csv(web_url, system: System) -> None:
    await arrive(system, messenger(system, "The street light on Bryn Road has been out for a fortnight"))
    today = datetime.now(UTC).date()
    async with httpx.AsyncClient(base_url=web_url, timeout=30) as client:
        await client.post("/api/auth/login", json={"username": "t-super", "password": system.passwords["t-super"]})
        page = await client.get("/reports", params={"by": "channel", "from": str(today - timedelta(days=2)), "to": str(today)})
        assert page.status_code == 200 and "Messenger" in page.text and "Download CSV" in page.text
        download = await client.get("/reports.csv", params={"by": "department"})
        assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
        assert "attachment" in download.headers["content-disposition"]
        rows = list(csv.reader(io.StringIO(download.text)))
        assert rows[0] == list(reports.CSV_HEADER) and rows[-1][0] == "All" and int(rows[-1][1]) >= 1
        assert (await client.get("/reports", params={"by": "postcode"})).status_code == 422
        assert (await client.get("/reports", params={"from": "yesterday"})).status_code == 422
        assert (await client.get("/reports", params={"from": str(today), "to": str(today - timedelta(days=3))})).status_code == 422
