"""A subject access or FOI bundle as files a person can read: `index.html` (printable, every value escaped),
`bundle.json` (the same, machine-readable) and `redactions.json` (the redaction log)."""

import json
from datetime import datetime
from html import escape
from pathlib import Path

TITLES = {"subject_access": "Subject access request", "foi_export": "Freedom of Information disclosure"}
STYLE = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#0b0c0c;line-height:1.5}
h1{font-size:1.8rem}h2{font-size:1.2rem;margin-top:2rem;border-top:2px solid #0b0c0c;padding-top:.5rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;border-bottom:1px solid #b1b4b6;padding:.4rem}
.note{background:#f3f2f1;padding:.6rem 1rem;border-left:4px solid #1d70b8}
@media print{h2{break-before:page}}"""


CHANNELS = {"sms": "SMS", "whatsapp": "WhatsApp", "youtube": "YouTube", "x": "X", "webform": "web form", "email": "email"}


def _when(value) -> str:
    return value.strftime("%d %b %Y %H:%M UTC") if isinstance(value, datetime) else escape(str(value or ""))


def _words(value) -> str:
    """An id or a list of ids as words (`street_lighting` -> `Street lighting`)."""
    if isinstance(value, list | tuple):
        return ", ".join(_words(v) for v in value) or "none"
    text = str(value if value is not None else "").replace("_", " ")
    return escape(text[:1].upper() + text[1:])


def _channels(values) -> str:
    return ", ".join(escape(CHANNELS.get(v, "")) or _words(v) for v in values or []) or "none"


def render_html(bundle: dict) -> str:
    title = TITLES.get(bundle["kind"], "Records bundle")
    summary = "".join(f"<dt>{_words(k)}</dt><dd>{_channels(v) if k == 'channels' else _words(v)}</dd>"
                      for k, v in bundle["summary"].items())
    parts = [
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>',
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head><body><main>',
        f"<h1>{escape(title)}</h1>",
        f"<dl><dt>Request</dt><dd>{escape(str(bundle['request']))}</dd><dt>Made</dt><dd>{_when(bundle['made_at'])}</dd>"
        f"{summary}</dl>",
        '<p class="note">Personal data of other people has been redacted; each redaction is listed in '
        "<code>redactions.json</code> with its reason. Text in square brackets was added by the organisation.</p>",
    ]
    for section in bundle["conversations"]:
        channel = section.get("channel")
        parts.append(f"<h2>Conversation on {_channels([channel]) if channel else 'an unknown channel'}</h2>")
        refs = ", ".join(section.get("case_references") or [])
        parts.append(f"<dl><dt>Opened</dt><dd>{_when(section.get('opened'))}</dd>"
                     f"<dt>Department</dt><dd>{_words(section.get('department') or 'not routed')}</dd>"
                     f"<dt>Status</dt><dd>{_words(section.get('status') or '')}</dd>"
                     + (f"<dt>Case reference</dt><dd>{escape(refs)}</dd>" if refs else "") + "</dl>")
        rows = "".join(
            f"<tr><td>{_when(i['at'])}</td><td>{escape(str(i['from']))}</td><td>{escape(str(i['text']))}"
            + (f" <em>({i['attachments']} attachment(s) not included)</em>" if i.get("attachments") else "")
            + _history(i) + "</td></tr>" for i in section["items"])
        parts.append('<table><thead><tr><th scope="col">When</th><th scope="col">From</th>'
                     f'<th scope="col">Message</th></tr></thead><tbody>{rows}</tbody></table>')
    parts.append("</main></body></html>")
    return "\n".join(parts)


BY = {"author": "its author", "account": "the organisation's account", "platform": "the platform"}


def _history(item: dict) -> str:
    """An edited message's earlier versions and a deletion, under its text."""
    parts = []
    if item.get("deleted"):
        parts.append(f"<p><strong>Deleted by {BY.get(item['deleted'].get('by'), 'the platform')} on "
                     f"{_when(item['deleted'].get('at'))}</strong> (the text above is the archived copy).</p>")
    versions = item.get("versions") or []
    if versions:
        rows = "".join(f"<li>Written {_when(v.get('written_at'))}"
                       + (f", replaced {_when(v.get('replaced_at'))} by {BY.get(v.get('replaced_by'), 'the platform')}"
                          if v.get("replaced_at") else "")
                       + f": {escape(str(v.get('text') or ''))}</li>" for v in versions)
        parts.append(f"<p>Edited; earlier versions:</p><ol>{rows}</ol>")
    return "".join(parts)


def write(bundle: dict, directory: str | Path) -> list[Path]:
    """Writes the bundle's three files into `directory` (created if missing); returns their paths."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    data = {k: v for k, v in bundle.items() if k != "_id"} | {"id": bundle["_id"]}
    files = {
        "index.html": render_html(bundle),
        "bundle.json": json.dumps(data, default=str, indent=2, ensure_ascii=False),
        "redactions.json": json.dumps(bundle["redactions"], default=str, indent=2),
    }
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
    return [out / name for name in files]
