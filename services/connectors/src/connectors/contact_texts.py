"""Every text of the public contact form in Welsh and English (Welsh Language Standards: a Welsh form that is no
less favourable than the English one). The language is chosen up front (`?lang=cy` / `?lang=en`, else the
browser's Accept-Language, else English) and travels with the submission (`InboundMessage.language`), so the
organisation answers in it."""

LANGUAGES = ("cy", "en")  # Welsh first, as the choice is offered
HTML_LANG = {"cy": "cy", "en": "en-GB"}
NAMES = {"cy": "Cymraeg", "en": "English"}

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Contact the council",
        "language_nav": "Language",
        "problem": "There is a problem",
        "error_prefix": "Error:",
        "honeypot": "Leave this empty",
        "service_label": "What is it about?",
        "service_choose": "Choose a category",
        "description_label": "Your message",
        "description_hint": "Tell us what is wrong and since when. Up to {n} characters. Do not include bank details.",
        "address_string_label": "Where is it?",
        "address_string_hint": "A street address or a description of the place.",
        "first_name_label": "First name (optional)",
        "last_name_label": "Last name (optional)",
        "email_label": "Email address (optional)",
        "email_hint": "So we can reply to you.",
        "phone_label": "Phone number (optional)",
        "send": "Send",
        "error_service": "Choose what your message is about",
        "error_description": "Enter your message",
        "error_description_long": "Your message must be {n} characters or fewer",
        "error_address": "Enter where it is",
        "error_email": "Enter an email address in the correct format, like name@example.com",
        "error_phone": "Enter a phone number using only digits, spaces and + ( ) - . /",
        "error_other": "Check what you entered here",
        "error_automated": "We could not send your message yet. Check it, then select Send again.",
        "done_title": "Message received",
        "done_heading": "Thank you, we have your message",
        "done_about": "It is about: {service}.",
        "done_reference": "Your reference is {reference}. Quote it if you contact us about this again.",
        "done_language": "We will reply in English.",
        "done_status": "Check its status",
        "busy_title": "Too many messages",
        "busy_heading": "Too many messages from your connection",
        "busy_text": "Your message was not sent. Please wait {minutes} minutes and try again.",
        "down_title": "Sorry, there is a problem",
        "down_heading": "Sorry, there is a problem with the service",
        "down_text": "Your message was not sent. Please try again in a few minutes.",
    },
    "cy": {
        "title": "Cysylltu â'r cyngor",
        "language_nav": "Iaith",
        "problem": "Mae problem wedi codi",
        "error_prefix": "Gwall:",
        "honeypot": "Gadewch hwn yn wag",
        "service_label": "Beth yw testun eich neges?",
        "service_choose": "Dewiswch gategori",
        "description_label": "Eich neges",
        "description_hint": "Dywedwch wrthym beth sydd o'i le ac ers pryd. Hyd at {n} nod. Peidiwch â chynnwys manylion banc.",
        "address_string_label": "Ble mae hyn?",
        "address_string_hint": "Cyfeiriad stryd neu ddisgrifiad o'r lle.",
        "first_name_label": "Enw cyntaf (dewisol)",
        "last_name_label": "Cyfenw (dewisol)",
        "email_label": "Cyfeiriad e-bost (dewisol)",
        "email_hint": "Er mwyn i ni allu eich ateb.",
        "phone_label": "Rhif ffôn (dewisol)",
        "send": "Anfon",
        "error_service": "Dewiswch beth yw testun eich neges",
        "error_description": "Rhowch eich neges",
        "error_description_long": "Rhaid i'ch neges fod yn {n} nod neu lai",
        "error_address": "Rhowch ble mae hyn",
        "error_email": "Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.com",
        "error_phone": "Rhowch rif ffôn gan ddefnyddio digidau, bylchau a + ( ) - . / yn unig",
        "error_other": "Gwiriwch yr hyn a roesoch yma",
        "error_automated": "Nid oedd modd anfon eich neges eto. Gwiriwch hi, yna dewiswch Anfon eto.",
        "done_title": "Neges wedi dod i law",
        "done_heading": "Diolch, mae eich neges wedi ein cyrraedd",
        "done_about": "Testun: {service}.",
        "done_reference": "Eich cyfeirnod yw {reference}. Nodwch ef os byddwch yn cysylltu â ni am hyn eto.",
        "done_language": "Byddwn yn ateb yn Gymraeg.",
        "done_status": "Gwirio ei statws",
        "busy_title": "Gormod o negeseuon",
        "busy_heading": "Gormod o negeseuon o'ch cysylltiad",
        "busy_text": "Ni anfonwyd eich neges. Arhoswch {minutes} munud a rhowch gynnig arall arni.",
        "down_title": "Mae'n ddrwg gennym, mae problem wedi codi",
        "down_heading": "Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth",
        "down_text": "Ni anfonwyd eich neges. Rhowch gynnig arall arni ymhen ychydig funudau.",
    },
}

# The services' names in Welsh, by code (the English names come from the taxonomy).
SERVICES_CY = {
    "waste": "Gwastraff a glanhau strydoedd",
    "highways": "Priffyrdd",
    "parks_trees": "Parciau, coed a mannau agored",
    "street_lighting": "Goleuadau stryd",
    "parking": "Parcio",
    "transport": "Trafnidiaeth",
    "housing": "Tai",
    "council_tax_benefits": "Y dreth gyngor a budd-daliadau",
    "environmental_health_asb": "Iechyd yr amgylchedd ac ymddygiad gwrthgymdeithasol",
    "planning": "Cynllunio a rheoli adeiladu",
    "libraries_leisure": "Llyfrgelloedd, hamdden a diwylliant",
    "social_care": "Gofal cymdeithasol",
    "police": "Heddlu",
    "out_of_scope": "Gwaith corff arall",
    "general": "Ymholiadau cyffredinol",
}


def text(language: str, key: str, **values) -> str:
    """The text in that language (English for an unknown language), with `values` filled in."""
    found = TEXTS.get(language, TEXTS["en"])[key]
    return found.format(**values) if values else found


def service_name(language: str, code: str, english: str) -> str:
    return SERVICES_CY.get(code, english) if language == "cy" else english


def chosen(query: str | None, accept_language: str | None) -> str:
    """`?lang=` when it names one of the form's languages, else the browser's first preference among them."""
    if query in LANGUAGES:
        return query
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.split("-")[0] in LANGUAGES:
            return tag.split("-")[0]
    return "en"
