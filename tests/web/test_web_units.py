"""The web app's pure parts: escaping and personal-data marks, SLA wording, the in-memory query matcher
against the saved views, the sign-in rate limit, CSRF tokens, and charts."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from civic_eventing.http_edge import RateLimiter
from inbox.auth.principal import Principal
from inbox.web import charts, csrf, dashboard, matching, queries, render

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


def test_citizen_text_is_escaped_and_personal_data_marked() -> None:
    text = '<img src=x onerror="alert(1)"> call 07700 900123 & ask'
    start = text.index("07700")
    html = str(render.highlight(text, [{"kind": "phone", "start": start, "end": start + 12}]))
    assert "<img" not in html and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    assert '<mark class="pii" title="Personal data: phone">' in html and "07700 900123</mark>" in html
    assert "&amp; ask" in html
    overlapping = str(render.highlight("abcdef", [{"kind": "a", "start": 0, "end": 4}, {"kind": "b", "start": 2, "end": 6},
                                                 {"kind": "c", "start": 9, "end": 12}]))
    assert overlapping.count("<mark") == 2 and overlapping.endswith("ef</mark>")


def test_template_environment_autoescapes_and_links_stay_http() -> None:
    env = render.environment()
    assert env.from_string("{{ x }}").render(x="<script>") == "&lt;script&gt;"
    assert render.safe_href("javascript:alert(1)") is None and render.safe_href("https://fb.example/1") == "https://fb.example/1"


@pytest.mark.parametrize(("clock", "expected"), [
    ({"due": NOW + timedelta(minutes=90), "warn_at": NOW + timedelta(minutes=30)}, ("ok", "First reply due in 1 h 30 min")),
    ({"due": NOW + timedelta(minutes=20), "warn_at": NOW - timedelta(minutes=5)}, ("warning", "First reply due in 20 min")),
    ({"due": NOW - timedelta(minutes=45)}, ("breached", "First reply overdue by 45 min")),
])
def test_sla_wording(clock, expected) -> None:
    state = render.sla_state({"status": "new", "sla": {"first_response": clock}}, NOW)
    assert (state["kind"], state["text"]) == expected
    assert render.sla_state({"status": "resolved", "sla": {"first_response": clock}}, NOW) is None


def conversation(**fields) -> dict:
    return {"_id": fields.pop("_id", "k"), "status": "new", "department": "waste", "urgency": "normal", "abuse": "none",
            "assignee": None, "last_message_at": NOW, **fields}


AGENT = Principal(user_id="a1", name="A", role="agent", departments=("*",))
HIGHWAYS = Principal(user_id="h1", name="H", role="department_staff", departments=("highways",))


@pytest.mark.parametrize(("view", "doc", "principal", "expected"), [
    ("all", conversation(), AGENT, True),
    ("all", conversation(status="closed"), AGENT, False),
    ("all", conversation(routing_blocked=True), AGENT, False),
    ("mine", conversation(assignee="a1"), AGENT, True),
    ("mine", conversation(assignee="a2"), AGENT, False),
    ("unassigned", conversation(), AGENT, True),
    ("unassigned", conversation(assignee="a2"), AGENT, False),
    ("urgent", conversation(urgency="high"), AGENT, True),
    ("urgent", conversation(), AGENT, False),
    ("sla_risk", conversation(sla={"first_response": {"warn_at": NOW - timedelta(minutes=1)}}), AGENT, True),
    ("sla_risk", conversation(sla={"first_response": {"warn_at": NOW - timedelta(minutes=1), "met_at": NOW},
                                   "resolution": {"warn_at": NOW + timedelta(days=1)}}), AGENT, False),
    ("needs_review", conversation(needs_review=True), AGENT, True),
    ("abusive", conversation(abuse="threat"), AGENT, True),
    ("abusive", conversation(), AGENT, False),
    ("done", conversation(status="resolved"), AGENT, True),
    ("all", conversation(department="highways"), HIGHWAYS, True),
    ("all", conversation(department="waste"), HIGHWAYS, False),
    ("my_departments", conversation(department="highways"), HIGHWAYS, True),
    # Not a request: a view of its own, in none of the queues' views.
    ("not_a_request", conversation(not_a_request="thanks"), AGENT, True),
    ("not_a_request", conversation(), AGENT, False),
    ("not_a_request", conversation(not_a_request="thanks", status="closed"), AGENT, False),
    ("not_a_request", conversation(not_a_request="thanks", department="waste"), HIGHWAYS, False),
    ("all", conversation(not_a_request="thanks"), AGENT, False),
    ("unassigned", conversation(not_a_request="news"), AGENT, False),
    ("my_departments", conversation(department="highways", not_a_request="news"), HIGHWAYS, False),
    ("needs_review", conversation(needs_review=True, not_a_request="spam"), AGENT, False),
    ("mine", conversation(assignee="a1", not_a_request="thanks"), AGENT, True),
    ("abusive", conversation(abuse="hate", not_a_request="opinion"), AGENT, True),
])
def test_saved_views_in_memory(view, doc, principal, expected) -> None:
    query = queries.list_query(principal, view=view, filters={}, now=NOW)
    assert matching.matches(doc, query) is expected


def test_filters_and_sorting_match_mongodb() -> None:
    docs = [conversation(_id="a", urgency_rank=0, last_message_at=NOW), conversation(_id="b", urgency_rank=2),
            conversation(_id="c", urgency_rank=None, last_message_at=NOW + timedelta(minutes=1)),
            conversation(_id="d", urgency_rank=2, last_message_at=NOW - timedelta(minutes=1), channel="sms")]
    ordered = matching.sort_docs(docs, queries.SORTS["urgent"])
    assert [d["_id"] for d in ordered] == ["b", "d", "a", "c"]
    query = queries.list_query(AGENT, view="all", filters={"channel": "sms"}, now=NOW)
    assert [d["_id"] for d in docs if matching.matches(d, query)] == ["d"]


def test_sign_in_rate_limit_slides() -> None:
    limiter = RateLimiter(3, 60)
    assert [limiter.hit("k", now=t) for t in (0, 1, 2)] == [None, None, None]
    assert limiter.hit("k", now=3) == pytest.approx(57)
    assert limiter.hit("k", now=61) is None
    limiter.reset("k")
    assert limiter.hit("k", now=62) is None


def test_csrf_token_is_bound_to_the_session() -> None:
    def request(cookie: str | None, header: str | None = None):
        settings = SimpleNamespace(session_cookie="civic_session")
        return SimpleNamespace(cookies={"civic_session": cookie} if cookie else {}, headers={"x-csrf-token": header} if header else {},
                               app=SimpleNamespace(state=SimpleNamespace(settings=settings)))
    token = csrf.session_token(request("session-one"))
    assert token and token != csrf.session_token(request("session-two"))
    csrf.check(request("session-one"), {"csrf_token": token})
    csrf.check(request("session-one", header=token), {})
    with pytest.raises(Exception, match="403"):
        csrf.check(request("session-two"), {"csrf_token": token})
    with pytest.raises(Exception, match="403"):
        csrf.check(request(None), {"csrf_token": token})


def test_charts_are_svg_with_escaped_labels() -> None:
    svg = str(charts.hbars([("<b>x</b>", 3), ("y", 1)], title="T <1>"))
    assert svg.startswith("<svg") and "&lt;b&gt;x&lt;/b&gt;" in svg and "<title" in svg and "style=" not in svg
    assert "<polyline" in str(charts.lines({"negative": [0, 2]}, ["a", "b"], title="S"))


def test_dashboard_figures() -> None:
    start = NOW - timedelta(hours=5)
    docs = [
        {"channel": "sms", "department": "waste", "status": "resolved", "urgency": "high", "sentiment": "negative",
         "first_message_at": start, "sla": {"start": start, "first_response": {"due": start + timedelta(hours=2),
                                                                                "met_at": start + timedelta(hours=1)}}},
        {"channel": "sms", "department": "highways", "status": "new", "urgency": "high", "sentiment": "neutral",
         "first_message_at": start, "sla": {"start": start, "first_response": {"due": start + timedelta(hours=2)}}},
    ]
    figures = dashboard.compute(docs, since=NOW - timedelta(days=6), now=NOW)
    assert figures.total == 2 and figures.by_channel["sms"] == 2 and figures.open_now == 1
    high = figures.sla[("high", "first_response")]
    assert (high.on_time, high.open_overdue, high.median_minutes, high.on_time_percent) == (1, 1, 60.0, 50.0)
    assert figures.sentiment["negative"][-1] == 1 and len(figures.sentiment_days) == 7


@pytest.mark.parametrize(("action", "form", "expected"), [
    ("approve_reply", {"reply_id": "r1", "comment": " looks right ", "idempotency_key": "k1"},
     ("approve", ("r1", "looks right"), "k1")),
    ("approve_reply", {"reply_id": "r2"}, ("approve", ("r2", None), None)),
    ("reject_reply", {"reply_id": "r3", "reason": " tone "}, ("reject", ("r3", "tone"), None)),
])
async def test_approval_forms_call_the_api_with_the_form_fields(action, form, expected) -> None:
    """The approvals page's buttons reach the same actions as the API, with the comment or reason as text."""
    from types import SimpleNamespace

    from inbox.web import views_actions

    calls = []

    class Actions:
        async def approve(self, principal, key, *, reply_id, comment=None, idempotency_key=None):
            calls.append(("approve", (reply_id, comment), idempotency_key))
            return "queued"

        async def reject(self, principal, key, *, reply_id, reason, idempotency_key=None):
            calls.append(("reject", (reply_id, reason), idempotency_key))
            return "queued"

    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(actions=Actions())))
    assert await views_actions.ACTIONS[action](request, None, "facebook:p:1", form) == "queued"
    assert calls == [expected]
