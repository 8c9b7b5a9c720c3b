"""The HTML of the contact form: plain, accessible HTML with no script. Every label is tied to its field,
personal fields carry `autocomplete`, errors are listed in a summary at the top (linking to each field) and
next to the field, and every value shown is escaped."""

import base64
import hashlib
from html import escape

from connectors.platforms.webform import MAX_DESCRIPTION, Service

STYLE = """body{font-family:Arial,sans-serif;max-width:40em;margin:2em auto;padding:0 1em;line-height:1.5}
label{display:block;font-weight:bold;margin-top:1.2em}.hint{color:#505a5f;margin:0}
input,select,textarea{font-size:1rem;width:100%;padding:.3em;border:2px solid #0b0c0c;box-sizing:border-box}
:focus{outline:3px solid #fd0}.error-summary{border:4px solid #d4351c;padding:1em}
.error{color:#d4351c;font-weight:bold;margin:0}[aria-invalid=true]{border-color:#d4351c}
.visually-hidden{position:absolute;left:-10000px}
button{margin-top:1.5em;font-size:1.1rem;padding:.5em 1em;background:#00703c;color:#fff;border:0}"""

# Inline style only, by its hash: no script at all, nothing from elsewhere, never inside another site's frame.
CSP = ("default-src 'none'; style-src 'sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
       + "'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = {"content-security-policy": CSP, "x-frame-options": "DENY", "cache-control": "no-store",
           "referrer-policy": "no-referrer"}

FIELDS = [  # name, label, hint, autocomplete, input type
    ("address_string", "Where is it?", "A street address or a description of the place.", "street-address", "text"),
    ("first_name", "First name (optional)", None, "given-name", "text"),
    ("last_name", "Last name (optional)", None, "family-name", "text"),
    ("email", "Email address (optional)", "So we can reply to you.", "email", "email"),
    ("phone", "Phone number (optional)", None, "tel", "tel"),
]


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body><main>{body}</main></body></html>")


def _described(name: str, hint: str | None, errors: dict[str, str]) -> str:
    ids = [i for i, present in ((f"{name}-hint", hint), (f"{name}-error", name in errors)) if present]
    invalid = ' aria-invalid="true"' if name in errors else ""
    return (f' aria-describedby="{" ".join(ids)}"' if ids else "") + invalid


def _hint_and_error(name: str, hint: str | None, errors: dict[str, str]) -> str:
    out = f'<p class="hint" id="{name}-hint">{escape(hint)}</p>' if hint else ""
    if name in errors:
        out += f'<p class="error" id="{name}-error"><span class="visually-hidden">Error:</span> {escape(errors[name])}</p>'
    return out


def form_page(services: list[Service], values: dict[str, str], errors: dict[str, str], *, started: str) -> str:
    """The form, filled with `values` and showing `errors` (field name -> message); `started` is the signed
    time the form was shown (checked on submission with the honeypot field, see `webform_guard`)."""
    parts = ["<h1>Contact the council</h1>"]
    if errors:
        items = "".join(f'<li><a href="#{escape(name)}">{escape(message)}</a></li>' for name, message in errors.items())
        parts.append('<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">'
                     f'<h2 id="error-summary-title">There is a problem</h2><ul>{items}</ul></div>')
    parts.append('<form method="post" action="/contact" novalidate>'
                 f'<input type="hidden" name="form_started" value="{escape(started)}">'
                 # The honeypot: hidden from people and from assistive technology, never focusable.
                 '<div class="visually-hidden" aria-hidden="true"><label for="website">Leave this empty</label>'
                 '<input id="website" name="website" type="text" tabindex="-1" autocomplete="off" value=""></div>')
    chosen = values.get("service_code", "")
    options = '<option value="">Choose a category</option>' + "".join(
        f'<option value="{escape(s.code)}"{" selected" if s.code == chosen else ""}>{escape(s.name)}</option>'
        for s in services
    )
    parts.append('<label for="service_code">What is it about?</label>'
                 + _hint_and_error("service_code", None, errors)
                 + f'<select id="service_code" name="service_code"{_described("service_code", None, errors)}>{options}</select>')
    hint = f"Tell us what is wrong and since when. Up to {MAX_DESCRIPTION} characters. Do not include bank details."
    parts.append('<label for="description">Your message</label>' + _hint_and_error("description", hint, errors)
                 + f'<textarea id="description" name="description" rows="6" maxlength="{MAX_DESCRIPTION}"'
                 + f'{_described("description", hint, errors)}>{escape(values.get("description", ""))}</textarea>')
    for name, label, field_hint, autocomplete, kind in FIELDS:
        parts.append(f'<label for="{name}">{escape(label)}</label>' + _hint_and_error(name, field_hint, errors)
                     + f'<input id="{name}" name="{name}" type="{kind}" autocomplete="{autocomplete}" '
                     + f'value="{escape(values.get(name, ""))}"{_described(name, field_hint, errors)}>')
    parts.append('<button type="submit">Send</button></form>')
    title = ("Error: " if errors else "") + "Contact the council"
    return _page(title, "".join(parts))


def confirmation_page(reference: str, service_name: str) -> str:
    body = (f"<h1>Thank you, we have your message</h1><p>It is about: {escape(service_name)}.</p>"
            f'<p>Your reference is <strong id="reference">{escape(reference)}</strong>. '
            "Quote it if you contact us about this again.</p>"
            f'<p><a href="/open311/v2/requests/{escape(reference)}.json">Check its status</a></p>')
    return _page("Message received", body)


def too_many_page(retry_seconds: int) -> str:
    return _page("Too many messages", "<h1>Too many messages from your connection</h1>"
                 f"<p>Your message was not sent. Please wait {retry_seconds // 60 + 1} minutes and try again.</p>")


def unavailable_page() -> str:
    return _page("Sorry, there is a problem", "<h1>Sorry, there is a problem with the service</h1>"
                 "<p>Your message was not sent. Please try again in a few minutes.</p>")
