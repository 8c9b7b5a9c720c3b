"""The inbox's "Not a request" view in the web app: its rows with triage's reason and a count, kept out of the
queues' views; "No reply needed" for one row, for the selected rows, and on the conversation page; what
department staff may see and do there; the view in Welsh."""

import re

import pytest
from support.agents import detail, wait_for
from support.system import System
from web_support import page_id, stored

pytestmark = [pytest.mark.integration]


async def not_a_request(system: System, reason: str, text: str, department: str = "general") -> str:
    return await stored(system, department=department, text=text, channel="facebook", kind="public_comment",
                        account=page_id(system), not_a_request=reason, intent="not_actionable")


def token(page: str) -> str:
    return re.search(r'data-csrf="([0-9a-f]{64})"', page).group(1)


async def closed(client, key: str) -> dict | None:
    found = (await detail(client, key))["conversation"]
    return found if found["status"] == "closed" else None


async def test_the_view_lists_them_with_the_reason_and_a_count_and_the_queues_do_not(system: System) -> None:
    news = await not_a_request(system, "news", "RT @localpaper: new cycle lanes open on the A40 next week")
    chat = await not_a_request(system, "conversation", "@jo_b haha see you at the match later")
    work = await stored(system, department="general", text="When is the library open on Sunday?")
    agent = await system.sign_in("t-agent")
    page = (await agent.get("/inbox", params={"view": "not_a_request"})).text
    assert '<span class="subtitle">Not a request</span>' in page
    for key, reason in ((news, "News or a share"), (chat, "Conversation between others")):
        row = re.search(rf'data-key="{re.escape(key)}">(.*?)</li>', page, re.S).group(1)
        assert reason in row and "No reply needed" in row and f'name="select:{key}"' in row
    assert f'data-key="{work}"' not in page
    shown = int(re.search(r'id="count-not_a_request">(\d+)', page).group(1))
    listed = int(re.search(r"of (\d+) conversation\(s\)", page).group(1))  # the open ones the view lists
    assert shown == listed >= 2
    everything = (await agent.get("/inbox", params={"view": "all", "department": "general"})).text
    assert f'data-key="{work}"' in everything and f'data-key="{news}"' not in everything
    assert f'id="count-not_a_request">{shown}' in everything  # the count shows on every view
    # The conversation page says why, and offers the one click.
    conversation = (await agent.get(f"/conversations/{news}")).text
    assert "Not a request (news or a share)" in conversation
    assert '<input type="hidden" name="reason" value="no_reply_needed">' in conversation


async def test_the_selected_rows_close_with_no_reply_needed(system: System) -> None:
    keys = [await not_a_request(system, "thanks", f"thanks {n}, you lot are stars ⭐") for n in range(3)]
    agent = await system.sign_in("t-agent")
    page = (await agent.get("/inbox", params={"view": "not_a_request"})).text
    assert 'id="bulk-no-reply"' in page and "No reply needed for the selected" in page
    form = {"csrf_token": token(page), "idempotency_key": "bulk-test-1", **{f"select:{k}": "on" for k in keys[:2]}}
    done = await agent.post("/inbox/no_reply_needed", data=form)
    assert done.status_code == 200 and "Closed with no reply needed: 2 conversation(s)." in done.text
    for key in keys[:2]:
        state = await wait_for(lambda key=key: closed(agent, key))
        assert state["closed_reason"] == "no_reply_needed"
    assert (await detail(agent, keys[2]))["conversation"]["status"] == "new"  # not selected: left alone
    nothing = await agent.post("/inbox/no_reply_needed", data={"csrf_token": token(page)})
    assert nothing.status_code == 422 and "Select the conversations" in nothing.text
    forged = await agent.post("/inbox/no_reply_needed", data={"csrf_token": "0" * 64, f"select:{keys[2]}": "on"})
    assert forged.status_code == 403
    assert (await detail(agent, keys[2]))["conversation"]["status"] == "new"


async def test_department_staff_see_and_close_only_their_own(system: System) -> None:
    general = await not_a_request(system, "praise", "Love the new park benches")
    theirs = await not_a_request(system, "thanks", "thanks for filling the pothole so fast", department="highways")
    staff = await system.sign_in("t-highways")
    page = (await staff.get("/inbox", params={"view": "not_a_request"})).text
    assert f'data-key="{theirs}"' in page and f'data-key="{general}"' not in page
    form = {"csrf_token": token(page), f"select:{general}": "on", f"select:{theirs}": "on"}
    done = await staff.post("/inbox/no_reply_needed", data=form)
    assert "Closed with no reply needed: 1 conversation(s)." in done.text and "1 could not be closed" in done.text
    assert (await wait_for(lambda: closed(staff, theirs)))["closed_reason"] == "no_reply_needed"
    agent = await system.sign_in("t-agent")
    assert (await detail(agent, general))["conversation"]["status"] == "new"


async def test_the_view_in_welsh(system: System) -> None:
    key = await not_a_request(system, "thanks", "Diolch yn fawr, gwaith gwych")
    agent = await system.sign_in("t-agent")
    agent.cookies.set("civic_lang", "cy")
    page = (await agent.get("/inbox", params={"view": "not_a_request"})).text
    row = re.search(rf'data-key="{re.escape(key)}">(.*?)</li>', page, re.S).group(1)
    assert "Nid cais" in page and "Diolch" in row and "Dim angen ateb" in row
