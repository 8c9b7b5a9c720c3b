"""One module per external system: Twilio, Mailgun, the chat webhook, MongoDB, Kafka."""


class SendFailed(Exception):
    """A platform refused or failed a send; `retryable` when trying again later may work."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable
