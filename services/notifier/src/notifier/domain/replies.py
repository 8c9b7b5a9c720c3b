"""A text message sent back to an alert: `ACK`, `ACK 4821`, `OK 4821`, or just the code."""

import re

_ACK = re.compile(r"^\s*(?:(?:ack|acknowledge[d]?|ok|yes|y|on it)\b[\s.,!:-]*)?(\d{4})?\s*[.!]?\s*$", re.IGNORECASE)


def parse_ack(body: str) -> tuple[bool, str | None]:
    """(is an acknowledgement, the alert's code if given). An empty or unrelated text is not one."""
    text = (body or "").strip()
    if not text:
        return False, None
    match = _ACK.match(text)
    if match is None:
        return False, None
    return True, match.group(1)
