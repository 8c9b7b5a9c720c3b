"""The out-of-hours rules outside the notifier, without infrastructure: who may lift a freeze, which freeze
holds a send, the out-of-hours lock, the escalation chain, own-account echoes, bursts and silence."""

import json
from datetime import UTC, datetime, time, timedelta

from civic_contracts import Actor, Channel, StaffRole
from connectors.bursts import BurstWatch
from connectors.echoes import alert_for, meta_echoes, x_echoes
from connectors.silence import is_silent
from responder.config import load_policy
from responder.domain.approval import approval_reasons
from responder.domain.calendar import BusinessCalendar
from responder.domain.duty import escalation_chain, on_duty
from responder.domain.freeze import holding, lift_decision

POLICY = load_policy()
CALENDAR = BusinessCalendar(POLICY.business_hours)
SATURDAY_NIGHT = datetime(2026, 12, 5, 23, 0, tzinfo=UTC)


def test_lifting_a_freeze_takes_two_different_admins() -> None:
    frozen = {"_id": "*", "frozen": True}
    assert lift_decision(frozen, "supervisor", "s") == ("refuse", "only an admin lifts a freeze")
    assert lift_decision(None, "admin", "a") == ("refuse", "not frozen")
    assert lift_decision(frozen, "admin", "a") == ("request", None)
    asked = {**frozen, "unfreeze_request": {"by": "a"}}
    assert lift_decision(asked, "admin", "a")[0] == "refuse"
    assert lift_decision(asked, "admin", "b") == ("lift", None)


def test_the_freeze_of_every_account_holds_every_send() -> None:
    freezes = [{"_id": "page1", "frozen": True}, {"_id": "page2", "frozen": False}]
    assert holding(freezes, "page1")["_id"] == "page1"
    assert holding(freezes, "page2") is None and holding(freezes, None) is None
    assert holding([*freezes, {"_id": "*", "frozen": True}], "page2")["_id"] == "*"


def test_the_out_of_hours_lock_holds_supervisors_too_except_on_emergency_accounts() -> None:
    rules = POLICY.approval.model_copy(update={"out_of_hours_lock": True, "emergency_accounts": ["ooh-service"]})
    supervisor = Actor(user_id="s", name="S", role=StaffRole.SUPERVISOR)
    common = dict(rules=rules, actor=supervisor, abusive_thread=False, calendar=CALENDAR)
    assert approval_reasons(public=True, at=SATURDAY_NIGHT, account_id="page", **common) == ["out-of-hours lock"]
    assert approval_reasons(public=True, at=SATURDAY_NIGHT, account_id="ooh-service", **common) == []
    assert approval_reasons(public=False, at=SATURDAY_NIGHT, account_id="page", **common) == []
    monday_noon = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    assert approval_reasons(public=True, at=monday_noon, account_id="page", **common) == []
    unlocked = dict(common, rules=POLICY.approval)
    assert approval_reasons(public=True, at=SATURDAY_NIGHT, account_id="page", **unlocked) == []


def test_escalation_goes_to_the_next_on_the_rota_then_the_fallback() -> None:
    in_hours, people = on_duty(POLICY.duty_rota, SATURDAY_NIGHT, CALENDAR)
    assert not in_hours and [p.name for p in people] == ["Out-of-hours duty officer (weekend)"]
    assert people[0].phone == "+447700900103"
    chain = escalation_chain(POLICY.duty_rota, people)
    assert [p.name for p in chain] == ["Head of customer services", "Emergency control room"]


def test_own_account_echoes_are_found_in_meta_and_x_payloads() -> None:
    feed = {"object": "page", "entry": [{"id": "100", "changes": [
        {"field": "feed", "value": {"item": "status", "verb": "add", "post_id": "100_1", "from": {"id": "100"}}},
        {"field": "feed", "value": {"item": "comment", "verb": "add", "comment_id": "100_1_2", "from": {"id": "555"}}},
        {"field": "feed", "value": {"item": "comment", "verb": "edited", "comment_id": "100_1_3", "from": {"id": "100"}}},
    ], "messaging": [{"sender": {"id": "100"}, "message": {"mid": "m_1", "is_echo": True}},
                     {"sender": {"id": "9"}, "message": {"mid": "m_2"}}]}]}
    found = meta_echoes(json.dumps(feed).encode())
    assert [(e.channel, e.platform_id, e.what) for e in found] == [
        (Channel.FACEBOOK, "100_1", "post"), (Channel.MESSENGER, "m_1", "message")]
    x = {"for_user_id": "7", "tweet_create_events": [{"id_str": "1", "user": {"id_str": "7"}}, {"id_str": "2", "user": {"id_str": "8"}}],
         "direct_message_events": [{"id": "d1", "message_create": {"sender_id": "7"}}]}
    assert [(e.platform_id, e.what) for e in x_echoes(json.dumps(x).encode())] == [("1", "post"), ("d1", "message")]
    assert meta_echoes(b"not json") == [] and x_echoes(b"{}") == []
    for malformed in ({"object": "page", "entry": "not-a-list"}, {"entry": [{"id": "1", "changes": "x", "messaging": [1]}]},
                      {"entry": [{"id": "1", "changes": [{"field": "feed", "value": "v"}]}]}):
        assert meta_echoes(json.dumps(malformed).encode()) == []
    assert x_echoes(json.dumps({"for_user_id": "7", "tweet_create_events": "x", "direct_message_events": [3]}).encode()) == []
    alert = alert_for(found[0], SATURDAY_NIGHT)
    assert alert.security and alert.id == "unsent:facebook:100:100_1" and "did not send" in alert.summary


async def test_a_burst_is_far_above_the_usual_rate_and_raised_once() -> None:
    class Keeper:
        class broker:  # noqa: N801 - stands in for the broker's publish
            sent: list = []

            @classmethod
            async def publish(cls, alert, **_):
                cls.sent.append(alert)

    watch = BurstWatch(keeper=Keeper, window_seconds=60, factor=5, minimum=10)
    start = datetime.combine(SATURDAY_NIGHT.date(), time(20), tzinfo=UTC)
    for minute in range(60):  # an hour at two a minute
        for second in (0, 30):
            assert watch.observe(Channel.X, "acct", start + timedelta(minutes=minute, seconds=second)) is None
    burst = start + timedelta(minutes=61)
    raised = [watch.observe(Channel.X, "acct", burst + timedelta(seconds=i)) for i in range(12)]
    found = [a for a in raised if a is not None]
    assert len(found) == 1 and found[0].data["count"] == 10 and found[0].security
    assert watch.observe(Channel.X, "other", burst) is None  # a new account has no usual rate, and is under the minimum


def test_silence_is_far_below_a_usual_level_worth_watching() -> None:
    assert is_silent(0, 40.0, ratio=0.2, minimum_usual=10)
    assert is_silent(8, 40.0, ratio=0.2, minimum_usual=10)
    assert not is_silent(9, 40.0, ratio=0.2, minimum_usual=10)
    assert not is_silent(0, 5.0, ratio=0.2, minimum_usual=10)


def test_channel_health_knows_meta_accounts_from_the_start_and_counts_signature_failures() -> None:
    from connectors.config import Settings
    from connectors.health import HealthTracker
    from connectors.main import configured_accounts
    from prometheus_client import CollectorRegistry

    settings = Settings(meta_app_secret="s", meta_verify_token="v",
                        meta_page_tokens={"104729113": "t", "17841400000000001": "t"})
    accounts = configured_accounts(settings)
    assert accounts[Channel.FACEBOOK] == ["104729113"] and accounts[Channel.MESSENGER] == ["104729113"]
    assert accounts[Channel.INSTAGRAM] == ["17841400000000001"]
    tracker = HealthTracker(CollectorRegistry())
    for channel, ids in accounts.items():
        for account in ids:
            tracker.known(channel, account)
    tracker.signature_failure(Channel.FACEBOOK)
    tracker.signature_failure(Channel.FACEBOOK)
    tracker.failure(Channel.INSTAGRAM, "17841400000000001", "190: token expired", credentials=True)
    health = {(h.channel, h.account_id): h for h in tracker.snapshot()}
    assert health[(Channel.FACEBOOK, "104729113")].signature_failures == 2
    assert health[(Channel.MESSENGER, "104729113")].signature_failures == 0
    instagram = health[(Channel.INSTAGRAM, "17841400000000001")]
    assert instagram.credentials_rejected and instagram.credentials_rejections == 1
    tracker.event(Channel.FACEBOOK, "104729113")
    [(key, count)] = tracker.take_inbound().items()
    assert key[:2] == (Channel.FACEBOOK, "104729113") and count == 1 and tracker.take_inbound() == {}


async def test_bad_signatures_piling_up_on_a_channel_raise_one_alert_per_pile() -> None:
    from connectors.health import HealthTracker
    from connectors.silence import SilenceWatch
    from prometheus_client import CollectorRegistry

    class Keeper:
        class broker:  # noqa: N801 - stands in for the broker's publish
            sent: list = []

            @classmethod
            async def publish(cls, alert, **_):
                cls.sent.append(alert)

    tracker = HealthTracker(CollectorRegistry())
    tracker.known(Channel.X, "1456")
    watch = SilenceWatch(volume=None, tracker=tracker, keeper=Keeper, ratio=0.2, minimum_usual=10, weeks=4)
    for _ in range(19):
        tracker.signature_failure(Channel.X)
    assert await watch.signatures(SATURDAY_NIGHT) == []
    tracker.signature_failure(Channel.X)
    [alert] = await watch.signatures(SATURDAY_NIGHT)
    assert alert.kind.value == "signature_failures" and alert.data["failures"] == 20 and Keeper.broker.sent == [alert]
    assert await watch.signatures(SATURDAY_NIGHT + timedelta(minutes=5)) == []  # the same pile is not raised again
