"""Types shared by several topics."""

from enum import StrEnum

from pydantic import RootModel


class Channel(StrEnum):
    """The platform a message arrived on or is sent through."""

    FACEBOOK = "facebook"
    MESSENGER = "messenger"
    INSTAGRAM = "instagram"
    X = "x"
    YOUTUBE = "youtube"
    SMS = "sms"
    WHATSAPP = "whatsapp"
    EMAIL = "email"
    WEBFORM = "webform"


class MessageKind(StrEnum):
    """How the citizen wrote to the organisation: in public, privately, by email or through a form."""

    PUBLIC_COMMENT = "public_comment"
    PRIVATE_MESSAGE = "private_message"
    EMAIL = "email"
    FORM = "form"


class ConversationKey(RootModel[str]):
    """Kafka key of every per-conversation topic: the conversation key, so one conversation stays on one
    partition and its events are read in order."""

    def encode(self) -> bytes:
        return self.root.encode("utf-8")
