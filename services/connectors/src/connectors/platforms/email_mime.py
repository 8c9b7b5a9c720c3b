"""Reading a raw MIME message (Mailgun routes whose URL ends in `mime` post it as `body-mime`) with the standard
library's `email` package: the headers threading needs, the text a person reads, and the attachments.

The text is the `text/plain` body (else the `text/html` one, reduced to its text); a quoted earlier message at
the end (`On <date>, <someone> wrote:` followed by `>` lines) is cut, as Mailgun's `stripped-text` does.
Attachments are described (type and file name), never kept."""

import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from html.parser import HTMLParser

from civic_contracts import Attachment

from connectors.platforms import PayloadError

MAX_MIME_BYTES = 25 * 1024 * 1024
_WROTE = re.compile(r"^\s*On\b.{0,200}\bwrote:\s*$", re.MULTILINE)
HEADERS = ("message-id", "in-reply-to", "references", "date", "subject", "from", "to")


@dataclass(frozen=True)
class MimeContent:
    headers: dict[str, str]  # lower-cased names, first value each
    text: str
    attachments: list[Attachment] = field(default_factory=list)


class _Text(HTMLParser):
    """The text of an HTML body: tags dropped, block ends as line breaks, scripts and styles skipped."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("script", "style"):
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style") and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data) -> None:
        if not self.skipping:
            self.parts.append(data)

    def text(self) -> str:
        lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(self.parts).split("\n"))
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_text(html: str) -> str:
    reader = _Text()
    reader.feed(html)
    reader.close()
    return reader.text()


def strip_quoted(text: str) -> str:
    """The text without a quoted earlier message at its end."""
    for match in _WROTE.finditer(text):
        rest = [line for line in text[match.end():].splitlines() if line.strip()]
        if rest and all(line.lstrip().startswith(">") for line in rest):
            return text[:match.start()].rstrip()
    lines = text.rstrip().splitlines()
    while lines and lines[-1].lstrip().startswith(">"):
        lines.pop()
    return "\n".join(lines).rstrip()


def _content(part: EmailMessage) -> str:
    try:
        return part.get_content()
    except (LookupError, ValueError, AssertionError):  # unknown charset or broken transfer encoding
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")


def read_mime(raw: str | bytes) -> MimeContent:
    """Headers, text and attachments of a raw MIME message; PayloadError when it is not one."""
    data = raw.encode("utf-8", errors="surrogateescape") if isinstance(raw, str) else raw
    if len(data) > MAX_MIME_BYTES:
        raise PayloadError(f"body-mime is larger than {MAX_MIME_BYTES} bytes")
    message = BytesParser(policy=policy.default).parsebytes(data)
    if not message.keys():
        raise PayloadError("body-mime has no MIME headers")
    headers = {}
    for name in HEADERS:
        value = message.get(name)
        if value is not None:
            headers[name] = str(value)
    body = message.get_body(preferencelist=("plain", "html"))
    text = ""
    if body is not None:
        text = _content(body)
        if body.get_content_type() == "text/html":
            text = html_text(text)
    attachments = [Attachment(type=part.get_content_type(), name=part.get_filename())
                   for part in message.walk() if part is not body and not part.is_multipart()
                   and (part.get_content_disposition() == "attachment" or part.get_filename())]
    return MimeContent(headers=headers, text=strip_quoted(text.replace("\r\n", "\n")).strip(), attachments=attachments)
