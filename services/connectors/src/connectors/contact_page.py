"""The HTML of the contact form, in Welsh or English (`contact_texts`): plain, accessible HTML with no script.
The language choice comes first on every page (Cymraeg, English: links to `?lang=cy` / `?lang=en`); every label
is tied to its field, personal fields carry `autocomplete`, errors are listed in a summary at the top (linking to
each field) and next to the field, and every value shown is escaped."""

import base64
import hashlib
from html import escape

from connectors.contact_texts import HTML_LANG, LANGUAGES, NAMES, service_name, text
from connectors.platforms.webform import MAX_DESCRIPTION, Service

STYLE = """body{font-family:Arial,sans-serif;max-width:40em;margin:2em auto;padding:0 1em;line-height:1.5}
label{display:block;font-weight:bold;margin-top:1.2em}.hint{color:#505a5f;margin:0}
input,select,textarea{font-size:1rem;width:100%;padding:.3em;border:2px solid #0b0c0c;box-sizing:border-box}
:focus{outline:3px solid #fd0}.error-summary{border:4px solid #d4351c;padding:1em}
.error{color:#d4351c;font-weight:bold;margin:0}[aria-invalid=true]{border-color:#d4351c}
.visually-hidden{position:absolute;left:-10000px}
.languages ul{list-style:none;padding:0;display:flex;gap:1.5em;margin:0 0 1em}.languages a{font-weight:bold}
button{margin-top:1.5em;font-size:1.1rem;padding:.5em 1em;background:#00703c;color:#fff;border:0}"""

# Inline style only, by its hash: no script at all, nothing from elsewhere, never inside another site's frame.
CSP = ("default-src 'none'; style-src 'sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
       + "'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = {"content-security-policy": CSP, "x-frame-options": "DENY", "cache-control": "no-store",
           "referrer-policy": "no-referrer"}

FIELDS = [  # name, has a hint, autocomplete, input type
    ("address_string", True, "street-address", "text"),
    ("first_name", False, "given-name", "text"),
    ("last_name", False, "family-name", "text"),
    ("email", True, "email", "email"),
    ("phone", False, "tel", "tel"),
]


def _languages(language: str) -> str:
    """The language choice, first on the page: each name in its own language, the current one marked."""
    links = "".join(
        f'<li><a href="/contact?lang={code}" lang="{HTML_LANG[code]}" hreflang="{HTML_LANG[code]}"'
        + (' aria-current="true"' if code == language else "") + f">{NAMES[code]}</a></li>"
        for code in LANGUAGES)
    return f'<nav class="languages" aria-label="{escape(text(language, "language_nav"))}"><ul>{links}</ul></nav>'


def _page(title: str, body: str, language: str) -> str:
    return (f'<!DOCTYPE html><html lang="{HTML_LANG.get(language, "en-GB")}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>{_languages(language)}"
            f"<main>{body}</main></body></html>")


def _described(name: str, hint: str | None, errors: dict[str, str]) -> str:
    ids = [i for i, present in ((f"{name}-hint", hint), (f"{name}-error", name in errors)) if present]
    invalid = ' aria-invalid="true"' if name in errors else ""
    return (f' aria-describedby="{" ".join(ids)}"' if ids else "") + invalid


def _hint_and_error(name: str, hint: str | None, errors: dict[str, str], language: str) -> str:
    out = f'<p class="hint" id="{name}-hint">{escape(hint)}</p>' if hint else ""
    if name in errors:
        out += (f'<p class="error" id="{name}-error"><span class="visually-hidden">'
                f'{escape(text(language, "error_prefix"))}</span> {escape(errors[name])}</p>')
    return out


def form_page(services: list[Service], values: dict[str, str], errors: dict[str, str], *, started: str,
              language: str = "en") -> str:
    """The form in `language`, filled with `values` and showing `errors` (field name -> message, already in that
    language); `started` is the signed time the form was shown (checked with the honeypot, see `webform_guard`)."""
    t = lambda key, **v: text(language, key, **v)  # noqa: E731
    parts = [f"<h1>{escape(t('title'))}</h1>"]
    if errors:
        items = "".join(f'<li><a href="#{escape(name)}">{escape(message)}</a></li>' for name, message in errors.items())
        parts.append('<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">'
                     f'<h2 id="error-summary-title">{escape(t("problem"))}</h2><ul>{items}</ul></div>')
    parts.append(f'<form method="post" action="/contact?lang={language}" novalidate>'
                 f'<input type="hidden" name="lang" value="{language}">'
                 f'<input type="hidden" name="form_started" value="{escape(started)}">'
                 # The honeypot: hidden from people and from assistive technology, never focusable.
                 f'<div class="visually-hidden" aria-hidden="true"><label for="website">{escape(t("honeypot"))}</label>'
                 '<input id="website" name="website" type="text" tabindex="-1" autocomplete="off" value=""></div>')
    chosen = values.get("service_code", "")
    options = f'<option value="">{escape(t("service_choose"))}</option>' + "".join(
        f'<option value="{escape(s.code)}"{" selected" if s.code == chosen else ""}>'
        f"{escape(service_name(language, s.code, s.name))}</option>" for s in services
    )
    parts.append(f'<label for="service_code">{escape(t("service_label"))}</label>'
                 + _hint_and_error("service_code", None, errors, language)
                 + f'<select id="service_code" name="service_code"{_described("service_code", None, errors)}>{options}</select>')
    hint = t("description_hint", n=MAX_DESCRIPTION)
    parts.append(f'<label for="description">{escape(t("description_label"))}</label>'
                 + _hint_and_error("description", hint, errors, language)
                 + f'<textarea id="description" name="description" rows="6" maxlength="{MAX_DESCRIPTION}"'
                 + f'{_described("description", hint, errors)}>{escape(values.get("description", ""))}</textarea>')
    for name, has_hint, autocomplete, kind in FIELDS:
        field_hint = t(f"{name}_hint") if has_hint else None
        parts.append(f'<label for="{name}">{escape(t(f"{name}_label"))}</label>'
                     + _hint_and_error(name, field_hint, errors, language)
                     + f'<input id="{name}" name="{name}" type="{kind}" autocomplete="{autocomplete}" '
                     + f'value="{escape(values.get(name, ""))}"{_described(name, field_hint, errors)}>')
    parts.append(f'<button type="submit">{escape(t("send"))}</button></form>')
    title = (t("error_prefix") + " " if errors else "") + t("title")
    return _page(title, "".join(parts), language)


def confirmation_page(reference: str, service_name_shown: str, language: str = "en") -> str:
    t = lambda key, **v: text(language, key, **v)  # noqa: E731
    strong = f'<strong id="reference">{escape(reference)}</strong>'
    body = (f"<h1>{escape(t('done_heading'))}</h1><p>{escape(t('done_about', service=service_name_shown))}</p>"
            f"<p>{escape(t('done_reference', reference='{reference}')).replace('{reference}', strong)}</p>"
            f"<p>{escape(t('done_language'))}</p>"
            f'<p><a href="/open311/v2/requests/{escape(reference)}.json">{escape(t("done_status"))}</a></p>')
    return _page(t("done_title"), body, language)


def too_many_page(retry_seconds: int, language: str = "en") -> str:
    minutes = retry_seconds // 60 + 1
    return _page(text(language, "busy_title"), f"<h1>{escape(text(language, 'busy_heading'))}</h1>"
                 f"<p>{escape(text(language, 'busy_text', minutes=minutes))}</p>", language)


def unavailable_page(language: str = "en") -> str:
    return _page(text(language, "down_title"), f"<h1>{escape(text(language, 'down_heading'))}</h1>"
                 f"<p>{escape(text(language, 'down_text'))}</p>", language)
