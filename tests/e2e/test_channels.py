"""One message per channel, from its entry point (a signed webhook, a poll, an Open311 request or the HTML
form) to `GET /api/conversations`: through real Kafka and FerretDB, with the platforms' APIs answered by the
sandbox. Follow-ups thread into the same conversation."""

import time
import uuid

import pytest
from sandbox import seed
from support.channels import post_email, post_open311, post_twilio, post_x, session_accounts
from support.system import System

pytestmark = [pytest.mark.integration, pytest.mark.e2e]


def triaged(conversation: dict) -> bool:
    """Stored and routed: the message is in the conversation and triage's department reached it. (Whether each
    message also shows its own triage result is responder's join, tested with responder.)"""
    return bool(conversation["department"] and conversation["messages"])


@pytest.fixture
def accounts(system: System):
    return session_accounts(system.run_id)


def sandbox_state(system: System):
    return system.sandbox._transport.app.state.sandbox


async def test_instagram_comment_and_dm(system: System, accounts) -> None:
    ig_id = accounts.instagram
    comment_id, igsid = str(17_850_000_000_000_000 + int(time.time() * 1000) % 10**9), uuid.uuid4().hex[:12]
    comment = {"object": "instagram", "entry": [{"id": ig_id, "time": int(time.time()), "changes": [{
        "field": "comments", "value": {"id": comment_id, "from": {"id": "661234", "username": "seaside_sam"},
                                       "text": "Litter all along the seafront after the weekend, the bins are overflowing",
                                       "media": {"id": "178874"}}}]}]}
    dm = {"object": "instagram", "entry": [{"id": ig_id, "time": int(time.time() * 1000), "messaging": [{
        "sender": {"id": igsid}, "recipient": {"id": ig_id}, "timestamp": int(time.time() * 1000),
        "message": {"mid": f"ig_{igsid}", "text": "How do I get a parking permit for my street?"}}]}]}
    assert (await system.post_meta(comment)).status_code == 200
    assert (await system.post_meta(dm)).status_code == 200
    convo = await system.wait_for_conversation(f"instagram:{ig_id}:{comment_id}", until=triaged)
    assert convo["channel"] == "instagram" and convo["kind"] == "public_comment" and convo["department"] == "waste"
    convo = await system.wait_for_conversation(f"instagram:{ig_id}:dm:{igsid}", until=triaged)
    assert convo["kind"] == "private_message" and convo["department"] == "parking"


async def test_x_mention_by_webhook(system: System, accounts) -> None:
    x_account = accounts.x
    tweet_id = str(1_925_000_000_000_000_000 + uuid.uuid4().int % 10**15)
    payload = {"for_user_id": x_account, "tweet_create_events": [{
        "id_str": tweet_id, "created_at": time.strftime("%a %b %d %H:%M:%S +0000 %Y", time.gmtime()),
        "text": "@CivicCouncil whole row of street lights out on Canal Walk, pitch black at night",
        "user": {"id_str": "98765432", "screen_name": "samhughes", "name": "Sam Hughes"}}]}
    assert (await post_x(system.connectors, payload)).status_code == 200
    convo = await system.wait_for_conversation(f"x:{x_account}:{tweet_id}", until=triaged)
    assert convo["channel"] == "x" and convo["department"] == "street_lighting"
    assert (await system.connectors.get("/webhooks/x", params={"crc_token": "abc"})).json()["response_token"].startswith("sha256=")


async def test_x_mention_by_polling(system: System, accounts) -> None:
    x_account = accounts.x
    post = seed.add_mention(sandbox_state(system), x_account, author_name="Megan Williams",
                            text=f"@CivicCouncil fly tipped sofa and black bags at the end of Cedar Lane ({uuid.uuid4().hex[:6]})")
    poller = system.apps["connectors"].state.pollers[f"x-mentions:{x_account}"]
    assert await poller.poll_once() >= 1
    assert await poller.poll_once() == 0  # the cursor moved past it
    convo = await system.wait_for_conversation(f"x:{x_account}:{post['id']}", until=triaged)
    assert convo["department"] == "waste" and convo["messages"][0]["platform_message_id"] == post["id"]


async def test_youtube_comment_by_polling(system: System, accounts) -> None:
    yt_channel = accounts.youtube
    comment = seed.add_comment(sandbox_state(system), yt_channel, author="Dylan Price",
                               text=f"When is the park and ride bus going to start running on Sundays? {uuid.uuid4().hex[:6]}")
    poller = system.apps["connectors"].state.pollers[f"youtube-comments:{yt_channel}"]
    assert await poller.poll_once() >= 1
    convo = await system.wait_for_conversation(f"youtube:{yt_channel}:{comment['id']}", until=triaged)
    assert convo["channel"] == "youtube" and convo["department"] == "transport"


@pytest.mark.parametrize("whatsapp", [False, True])
async def test_sms_and_whatsapp(system: System, accounts, whatsapp: bool) -> None:
    number = accounts.number
    citizen, sid = f"+4477009{uuid.uuid4().int % 100000:05d}", f"SM{uuid.uuid4().hex}"
    prefix = "whatsapp:" if whatsapp else ""
    params = {"MessageSid": sid, "AccountSid": "AC00000000000000000000000000000001", "From": prefix + citizen,
              "To": prefix + number, "Body": "Bins not collected on Orchard Way again, whole street missed",
              "NumMedia": "0"}
    for _ in range(2):  # Twilio retried: still one message
        assert (await post_twilio(system.connectors, params)).status_code == 200
    channel = "whatsapp" if whatsapp else "sms"
    convo = await system.wait_for_conversation(f"{channel}:{number}:{citizen}", until=triaged)
    assert convo["channel"] == channel and convo["department"] == "waste" and convo["message_count"] == 1


async def test_email_and_its_reply_thread_by_message_id(system: System, accounts) -> None:
    mailbox = accounts.mailbox
    root, reply = f"{uuid.uuid4().hex}@mail.example.org", f"{uuid.uuid4().hex}@mail.example.org"
    first = {"recipient": mailbox, "from": "Jo Bloggs <jo@example.org>", "subject": "Mould in bathroom",
             "stripped-text": "Black mould in the bathroom of my council flat is back and my daughter has asthma.",
             "message-headers": f'[["Message-Id", "<{root}>"], ["Subject", "Mould in bathroom"]]'}
    follow = {"recipient": mailbox, "from": "jo@example.org", "subject": "Re: Mould in bathroom",
              "stripped-text": "Any news on the repair?",
              "message-headers": f'[["Message-Id", "<{reply}>"], ["In-Reply-To", "<{root}>"], ["References", "<{root}>"]]'}
    assert (await post_email(system.connectors, first)).status_code == 200
    assert (await post_email(system.connectors, follow)).status_code == 200
    convo = await system.wait_for_conversation(f"email:{mailbox}:{root}", until=lambda c: len(c["messages"]) == 2 and triaged(c))
    assert convo["channel"] == "email" and convo["department"] == "housing"
    assert [m["platform_message_id"] for m in convo["messages"]] == [root, reply]


async def test_web_form_by_open311_and_by_the_html_form(system: System, accounts) -> None:
    marker = uuid.uuid4().hex[:6]
    created = await post_open311(system.connectors, {"service_code": "highways", "address_string": "22 High Street",
                                                     "description": f"Raised paving slab outside the pharmacy ({marker})"})
    assert created.status_code == 200, created.text
    request_id = created.json()[0]["service_request_id"]
    convo = await system.wait_for_conversation(f"webform:{accounts.jurisdiction}:{request_id}", until=triaged)
    assert convo["channel"] == "webform" and convo["kind"] == "form" and convo["department"] == "highways"
    html = await system.connectors.post("/contact", data={
        "service_code": "waste", "description": f"Needles dumped in the alley behind the shops ({marker})",
        "address_string": "Market Row",
        "form_started": system.apps["connectors"].state.webform_guard.start_token(time.time() - 10)})  # shown 10 s ago
    assert html.status_code == 200 and "Your reference is" in html.text
    reference = html.text.split('id="reference">')[1].split("<")[0]
    await system.wait_for_conversation(f"webform:{accounts.jurisdiction}:{reference}", until=triaged)
    status = await system.connectors.get(f"/open311/v2/requests/{reference}.json")
    assert status.json()[0]["status"] == "open"
