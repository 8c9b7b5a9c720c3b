"""Mailgun: send an email (`POST /v3/<domain>/messages`, HTTP Basic `api:<key>`, form fields `from`, `to`,
`subject`, `text`, `html`, custom headers as `h:<Name>`)."""

import httpx

from notifier.adapters import SendFailed


class MailgunEmail:
    def __init__(self, client: httpx.AsyncClient, *, base_url: str, api_key: str, domain: str, sender: str) -> None:
        self.client, self.base_url = client, base_url.rstrip("/")
        self.api_key, self.domain, self.sender = api_key, domain, sender

    @property
    def configured(self) -> bool:
        return bool(self.api_key and self.domain)

    async def send(self, to: str, subject: str, text: str, html: str, *, reference: str) -> str:
        """Sends the email; Mailgun's message id. `reference` goes in a header, to find it again."""
        form = {"from": self.sender, "to": to, "subject": subject, "text": text, "html": html,
                "h:X-Civic-Inbox-Alert": reference, "o:tag": "duty-alert"}
        try:
            response = await self.client.post(f"{self.base_url}/v3/{self.domain}/messages", data=form,
                                              auth=("api", self.api_key))
        except httpx.HTTPError as exc:
            raise SendFailed(f"mailgun unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 300:
            raise SendFailed(f"mailgun {response.status_code}", retryable=response.status_code == 429 or response.status_code >= 500)
        try:
            return str(response.json().get("id"))
        except ValueError:
            return ""
