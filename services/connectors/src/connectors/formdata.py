"""Form bodies read from the raw bytes (urlencoded or multipart), keeping every value of every field.

Platforms sign what they sent (Twilio signs each parameter value), so forms are decoded here from the exact
bytes received rather than through a framework parser; multipart bodies (Mailgun with attachments) are read
with the standard library's MIME parser. Files are described, never kept."""

from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qs


class FormError(ValueError):
    """The body is not a form of the type it claims."""


@dataclass(frozen=True)
class FormFile:
    name: str
    filename: str | None
    content_type: str
    size: int


@dataclass
class Form:
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: list[FormFile] = field(default_factory=list)

    def first(self, name: str) -> str | None:
        values = self.fields.get(name)
        return values[0] if values else None


def parse_form(body: bytes, content_type: str | None) -> Form:
    """Fields (name -> every value, in order) and file descriptions of a form body."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media == "multipart/form-data":
        return _multipart(body, content_type or "")
    if media in ("application/x-www-form-urlencoded", ""):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FormError("form body is not UTF-8") from exc
        return Form(fields=parse_qs(text, keep_blank_values=True))
    raise FormError(f"expected a form, got {media!r}")


def _multipart(body: bytes, content_type: str) -> Form:
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n" + body
    )
    if not message.is_multipart():
        raise FormError("multipart body without parts (missing or wrong boundary)")
    form = Form()
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        payload = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            form.files.append(FormFile(name, filename, part.get_content_type(), len(payload)))
            continue
        charset = part.get_content_charset() or "utf-8"
        form.fields.setdefault(name, []).append(payload.decode(charset, errors="replace"))
    return form
