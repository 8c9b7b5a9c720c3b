"""Tokens at rest: Fernet (AES-128-CBC with HMAC-SHA256, from the `cryptography` package) under keys from the
environment (`CONNECTORS_TOKEN_KEYS`, newest first). Several keys allow rotation: the first encrypts, every one
decrypts, and `rotate` re-encrypts under the first."""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from pydantic import SecretStr


class TokenKeyError(ValueError):
    """No key, a malformed key, or a stored token none of the keys opens."""


class TokenCipher:
    def __init__(self, keys: list[SecretStr]) -> None:
        if not keys:
            raise TokenKeyError("no token encryption key: set CONNECTORS_TOKEN_KEYS (Fernet keys, newest first)")
        try:
            self._fernet = MultiFernet([Fernet(k.get_secret_value().encode()) for k in keys])
        except (ValueError, TypeError) as exc:
            raise TokenKeyError("CONNECTORS_TOKEN_KEYS holds a key that is not a Fernet key "
                                "(32 url-safe base64-encoded bytes)") from exc

    @staticmethod
    def new_key() -> str:
        return Fernet.generate_key().decode()

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as exc:
            raise TokenKeyError("a stored token cannot be decrypted with the configured keys") from exc

    def rotate(self, sealed: str) -> str:
        return self._fernet.rotate(sealed.encode()).decode()
