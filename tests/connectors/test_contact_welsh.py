"""The public contact form in Welsh and English (Welsh Language Standards): the language offered first on every
page, every label, hint, error and confirmation in the chosen language, and the choice carried on the published
message (`InboundMessage.language`). Issue 12's protections (honeypot, signed start time) hold in Welsh too."""

import html
import re
import string
import time
from urllib.parse import urlencode

import pytest
from connectors import contact_page, contact_texts
from support.connector_fakes import app_with_fakes, client_of

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
async def app():
    return app_with_fakes()


@pytest.fixture
async def client(app):
    async with client_of(app) as c:
        yield c


def fields(app, **extra) -> str:
    return urlencode({"service_code": "waste", "description": "Mae'r biniau heb eu casglu ers pythefnos.",
                      "address_string": "Stryd y Felin", "form_started": app.state.webform_guard.start_token(time.time() - 10),
                      **extra})


def test_the_welsh_catalog_is_complete() -> None:
    en, cy = contact_texts.TEXTS["en"], contact_texts.TEXTS["cy"]
    assert set(en) == set(cy)
    for key in en:
        names = lambda s: sorted(f[1] for f in string.Formatter().parse(s) if f[1])  # noqa: E731
        assert names(en[key]) == names(cy[key]), key
        assert en[key] != cy[key] or key in ("send",), key
    from connectors.platforms.webform import load_services

    assert {s.code for s in load_services(None)} <= set(contact_texts.SERVICES_CY)


async def test_the_language_is_offered_first_and_english_is_the_default(client) -> None:
    page = (await client.get("/contact")).text
    assert 'lang="en-GB"' in page and "Contact the council" in page
    nav = page.index('<nav class="languages"')
    assert nav < page.index("<h1>")  # the choice comes before anything else on the page
    assert 'href="/contact?lang=cy" lang="cy" hreflang="cy">Cymraeg' in page
    assert 'href="/contact?lang=en" lang="en-GB" hreflang="en-GB" aria-current="true">English' in page


@pytest.mark.parametrize("how", [{"params": {"lang": "cy"}}, {"headers": {"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"}}])
async def test_the_form_in_welsh(client, how) -> None:
    response = await client.get("/contact", **how)
    page = html.unescape(response.text)
    assert '<html lang="cy">' in page and "<h1>Cysylltu â'r cyngor</h1>" in page
    for label in ("Beth yw testun eich neges?", "Eich neges", "Ble mae hyn?", "Cyfeiriad e-bost (dewisol)",
                  "Rhif ffôn (dewisol)", ">Anfon</button>", "Dewiswch gategori", "Gwastraff a glanhau strydoedd"):
        assert label in page, label
    assert 'name="lang" value="cy"' in page and 'action="/contact?lang=cy"' in page
    assert "Contact the council" not in page and "Your message" not in page
    assert response.headers["content-language"] == "cy"
    assert 'name="website"' in page and 'tabindex="-1"' in page  # the honeypot is there in Welsh too


async def test_welsh_errors_are_in_welsh_and_escaped(client, app) -> None:
    evil = {"lang": "cy", "service_code": "", "description": "<script>alert(1)</script>", "email": 'drwg"><b>'}
    response = await client.post("/contact", content=urlencode(evil), headers=FORM)
    assert response.status_code == 400
    page = response.text
    assert "Mae problem wedi codi" in page and "Gwall:" in page
    for message in ("Dewiswch beth yw testun eich neges", "Rhowch ble mae hyn",
                    "Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.com"):
        assert message in page
    assert "There is a problem" not in page and "<script>" not in page and "&lt;script&gt;" in page
    assert 'drwg"><b>' not in page and app.state.publisher.published == []


async def test_a_welsh_message_is_confirmed_in_welsh_and_carries_its_language(client, app) -> None:
    response = await client.post("/contact?lang=cy", content=fields(app, lang="cy"), headers=FORM)
    assert response.status_code == 200, response.text
    page = html.unescape(response.text)
    assert "Diolch, mae eich neges wedi ein cyrraedd" in page and "Byddwn yn ateb yn Gymraeg." in page
    assert "Testun: Gwastraff a glanhau strydoedd." in page and "Eich cyfeirnod yw <strong id=\"reference\">" in page
    [message] = app.state.publisher.published
    assert message.language == "cy" and message.platform_message_id in page
    english = await client.post("/contact", content=fields(app, description="Fridge dumped in Mill Lane"), headers=FORM)
    assert "Your reference is" in english.text and "We will reply in English." in english.text
    assert app.state.publisher.published[-1].language == "en"


async def test_the_protections_answer_in_welsh(client, app) -> None:
    caught = await client.post("/contact", content=fields(app, lang="cy", website="http://spam.example"), headers=FORM)
    assert caught.status_code == 400 and "Nid oedd modd anfon eich neges eto" in caught.text
    bad_phone = await client.post("/contact", content=fields(app, lang="cy", phone="ffoniwch fi"), headers=FORM)
    assert bad_phone.status_code == 400 and "Rhowch rif ffôn" in bad_phone.text
    assert app.state.publisher.published == []
    busy = html.unescape(contact_page.too_many_page(120, "cy"))
    assert '<html lang="cy">' in busy and "Arhoswch 3 munud" in busy
    assert "Mae'n ddrwg gennym" in html.unescape(contact_page.unavailable_page("cy"))
    assert re.search(r'aria-current="true">Cymraeg', busy)
