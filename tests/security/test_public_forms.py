"""The public contact form and Open311 POST: rate limits per address, bounded fields, the contact form's
anti-automation (honeypot and minimum fill time, nothing to solve), its security headers, and unguessable
Open311 references."""

import hashlib
import json
import re
import time
from pathlib import Path
from urllib.parse import urlencode

from security_support import client_for, connectors_app

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
OPEN311 = json.loads((Path(__file__).parents[1] / "connectors" / "payloads" / "open311_request_create.json").read_text())


def contact_fields(app, *, age: float = 10, **extra) -> str:
    fields = {"service_code": "waste", "description": "Fridge dumped in the lane", "address_string": "Mill Lane",
              "form_started": app.state.webform_guard.start_token(time.time() - age), **extra}
    return urlencode(fields)


async def test_the_contact_form_refuses_automation_but_not_people() -> None:
    app = connectors_app()
    async with client_for(app) as c:
        page = await c.get("/contact")
        assert 'name="website"' in page.text and 'aria-hidden="true"' in page.text and 'tabindex="-1"' in page.text
        assert "captcha" not in page.text.lower()
        started = re.search(r'name="form_started" value="([^"]+)"', page.text).group(1)
        refusals = [
            contact_fields(app, website="http://spam.example"),  # the honeypot was filled in
            contact_fields(app, age=0.5),  # sent back faster than a person could fill it
            contact_fields(app, age=3 * 86400),  # shown days ago
            urlencode({"service_code": "waste", "description": "x", "address_string": "y", "form_started": "1.forged"}),
            urlencode({"service_code": "waste", "description": "x", "address_string": "y"}),  # never shown by us
            urlencode({"service_code": "waste", "description": "x", "address_string": "y", "form_started": started}),
        ]
        for body in refusals:
            refused = await c.post("/contact", content=body, headers=FORM)
            assert refused.status_code == 400 and "Send again" in refused.text
            assert 'name="form_started"' in refused.text  # a person just sends it again
        assert app.state.publisher.published == []
        ok = await c.post("/contact", content=contact_fields(app), headers=FORM)
    assert ok.status_code == 200 and "Your reference is" in ok.text
    assert len(app.state.publisher.published) == 1


async def test_the_contact_form_and_open311_are_rate_limited_per_address() -> None:
    app = connectors_app(webform_posts_per_address=3, open311_posts_per_address=2)
    async with client_for(app, address="198.51.100.5") as c, client_for(app, address="198.51.100.6") as other:
        codes = [(await c.post("/contact", content=contact_fields(app, description=f"Bins {i}"), headers=FORM)).status_code
                 for i in range(4)]
        assert codes == [200, 200, 200, 429]
        assert (await other.post("/contact", content=contact_fields(app), headers=FORM)).status_code == 200
        forged = {"X-Forwarded-For": "192.0.2.1", **FORM}  # not from a trusted proxy: ignored
        assert (await c.post("/contact", content=contact_fields(app), headers=forged)).status_code == 429
        open311 = [(await c.post("/open311/v2/requests.json", content=urlencode({**OPEN311, "description": f"Hole {i}"}),
                                 headers=FORM)) for i in range(3)]
    assert [r.status_code for r in open311] == [200, 200, 429]
    assert open311[-1].json()[0]["code"] == 429 and int(open311[-1].headers["retry-after"]) > 0


async def test_every_citizen_field_is_bounded() -> None:
    app = connectors_app()
    async with client_for(app) as c:
        for field, value in [("first_name", "N" * 5000), ("last_name", "N" * 101), ("address_string", "A" * 501),
                             ("phone", "call me maybe"), ("email", "e" * 250 + "@x.example"), ("device_id", "d" * 129),
                             ("attribute[colour]", "c" * 501), ("description", "d" * 4001)]:
            response = await c.post("/open311/v2/requests.json", content=urlencode({**OPEN311, field: value}), headers=FORM)
            assert response.status_code == 400, field
            form = await c.post("/contact", content=contact_fields(app, **{field: value}), headers=FORM)
            assert form.status_code in (200, 400), field  # the form keeps only its own fields
        huge = await c.post("/open311/v2/requests.json", content=urlencode({**OPEN311, "first_name": "N" * 100_000}),
                            headers=FORM)
        assert huge.status_code == 413
    stored = [m for m in app.state.publisher.published if len(m.author.name or "") > 100 or len(m.text) > 5000]
    assert stored == []


async def test_open311_references_are_unguessable_but_stable_for_a_retry() -> None:
    first, second = connectors_app(form_key="key-one"), connectors_app(form_key="key-two")
    async with client_for(first) as a, client_for(second) as b:
        one = (await a.post("/open311/v2/requests.json", content=urlencode(OPEN311), headers=FORM)).json()[0]
        again = (await a.post("/open311/v2/requests.json", content=urlencode(OPEN311), headers=FORM)).json()[0]
        other = (await b.post("/open311/v2/requests.json", content=urlencode(OPEN311), headers=FORM)).json()[0]
    reference = one["service_request_id"]
    assert re.fullmatch(r"WF-[A-Z2-7]{16}", reference)  # 80 bits
    assert again["service_request_id"] == reference  # a client retry is the same request
    assert other["service_request_id"] != reference  # it depends on the server's key, not only on the submission
    clean = {k: (OPEN311.get(k) or "").strip() for k in ("service_code", "lat", "long", "address_string", "address_id",
                                                          "email", "device_id", "account_id", "first_name", "last_name",
                                                          "phone", "description", "media_url")}
    old_formula = "WF-" + hashlib.sha256("\n".join([time.strftime("%Y-%m-%d", time.gmtime()), *clean.values()])
                                         .encode()).hexdigest()[:10].upper()
    assert reference != old_formula


async def test_public_pages_refuse_framing_and_caching() -> None:
    app = connectors_app()
    async with client_for(app) as c:
        for response in (await c.get("/contact"), await c.post("/contact", content=contact_fields(app), headers=FORM)):
            csp = response.headers["content-security-policy"]
            assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp and "script-src" not in csp
            assert "'unsafe-inline'" not in csp and "style-src 'sha256-" in csp
            assert response.headers["x-frame-options"] == "DENY" and response.headers["cache-control"] == "no-store"
        status = await c.get("/open311/v2/requests/WF-AAAAAAAAAAAAAAAA.json")
        assert status.headers["cache-control"] == "no-store" and status.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in (await c.get("/open311/v2/services.json")).headers["content-security-policy"]
