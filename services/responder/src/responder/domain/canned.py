"""Canned responses: approved texts in English and Welsh with `{placeholder}` slots.

Placeholders are replaced by plain substitution (no format mini-language, no attribute access), so a value
can never reach into the program."""

import re

from responder.domain.policy import CannedResponse

_SLOT = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


class CannedError(ValueError):
    """The canned response cannot be used as asked (unknown, no such language, missing values)."""


def placeholders(template: str) -> list[str]:
    return sorted(set(_SLOT.findall(template)))


def render(canned: CannedResponse, language: str, values: dict[str, str | None]) -> str:
    template = canned.text.get(language)
    if template is None:
        raise CannedError(f"canned response {canned.id!r} has no {language!r} text")
    missing = [name for name in placeholders(template) if not values.get(name)]
    if missing:
        raise CannedError(f"canned response {canned.id!r} needs: {', '.join(missing)}")
    return _SLOT.sub(lambda m: str(values[m.group(1)]), template)
