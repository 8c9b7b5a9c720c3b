"""One module per platform: verify its requests, parse its payloads into `InboundMessage`s."""


class PayloadError(ValueError):
    """A verified request whose payload cannot be understood; it is dead-lettered with this reason."""
