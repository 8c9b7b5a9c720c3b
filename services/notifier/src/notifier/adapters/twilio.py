"""Twilio Programmable Messaging: send an SMS (Messages API, HTTP Basic `AccountSid:AuthToken`, form fields
`To`, `From`/`MessagingServiceSid`, `Body`), and check the `X-Twilio-Signature` of a reply with Twilio's
own validator."""

import httpx
from twilio.request_validator import RequestValidator

from notifier.adapters import SendFailed

SIGNATURE_HEADER = "X-Twilio-Signature"


class TwilioSms:
    def __init__(self, client: httpx.AsyncClient, *, base_url: str, account_sid: str, auth_token: str, sender: str) -> None:
        self.client, self.base_url = client, base_url.rstrip("/")
        self.account_sid, self.auth_token, self.sender = account_sid, auth_token, sender

    @property
    def configured(self) -> bool:
        return bool(self.account_sid and self.auth_token and self.sender)

    async def send(self, to: str, body: str) -> str:
        """Sends `body` to `to`; the message SID."""
        sender = {"MessagingServiceSid": self.sender} if self.sender.startswith("MG") else {"From": self.sender}
        url = f"{self.base_url}/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        try:
            response = await self.client.post(url, data={"To": to, **sender, "Body": body[:1600]},
                                              auth=(self.account_sid, self.auth_token))
        except httpx.HTTPError as exc:
            raise SendFailed(f"twilio unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 300:
            code = _json(response).get("code")
            raise SendFailed(f"twilio {response.status_code} {code}", retryable=response.status_code in (429,) or response.status_code >= 500)
        return str(_json(response).get("sid"))

    def reply_is_genuine(self, url: str, params: dict[str, str], signature: str | None) -> bool:
        return bool(signature) and bool(self.auth_token) and RequestValidator(self.auth_token).validate(url, params, signature)


def _json(response: httpx.Response) -> dict:
    try:
        found = response.json()
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
