"""Twilio: X-Twilio-Signature exactly as the official SDK validates it, and SMS / WhatsApp mapping."""

import json
import random
import string
from pathlib import Path

import pytest
from civic_contracts import Channel, MessageKind
from connectors.platforms import PayloadError, twilio
from twilio.request_validator import RequestValidator

PAYLOADS = Path(__file__).parent / "payloads"
TOKEN = "test_auth_token"


def load(name: str) -> dict[str, list[str]]:
    return {k: [v] for k, v in json.loads((PAYLOADS / f"{name}.json").read_text()).items()}


def test_signature_matches_published_vector() -> None:
    params = {"Body": ["hi"], "From": ["+15550001111"], "MessageSid": ["SM123"], "To": ["+15552223333"]}
    assert twilio.compute_signature("https://example.com/sms", params, TOKEN) == "78GZ0ocUgd6ncK2h3SLByPyIv8w="
    assert twilio.signature_valid("https://example.com/sms", params, "78GZ0ocUgd6ncK2h3SLByPyIv8w=", TOKEN)


def _random_params(rng: random.Random) -> dict[str, list[str]]:
    alphabet = string.ascii_letters + string.digits + " +:/?&=%£é"
    return {"".join(rng.choices(string.ascii_letters, k=rng.randint(1, 12))):
            ["".join(rng.choices(alphabet, k=rng.randint(0, 20))) for _ in range(rng.randint(1, 3))]
            for _ in range(rng.randint(0, 8))}


class _Multi(dict):
    def getall(self, name):  # the multi-value interface the SDK reads (Flask's MultiDict)
        return self[name]


@pytest.mark.parametrize("seed", range(40))
def test_agrees_with_the_official_sdk_on_random_requests(seed: int) -> None:
    rng = random.Random(seed)
    params = _random_params(rng)
    url = rng.choice(["https://example.com/sms", "https://example.com:443/webhooks/twilio?x=1&y=%20",
                      "http://127.0.0.1:8081/webhooks/twilio", "https://a.example/p?bodySHA256=abc"])
    sdk = RequestValidator(TOKEN)
    signature = sdk.compute_signature(url, _Multi(params))
    assert twilio.compute_signature(url, params, TOKEN) == signature
    assert twilio.signature_valid(url, params, signature, TOKEN) == sdk.validate(url, _Multi(params), signature)
    assert not twilio.signature_valid(url, params, signature, "other_token")


def test_port_variants_and_sha256_settings_are_accepted_like_the_sdk() -> None:
    params = {"Body": ["hi"], "To": ["+44"]}
    sdk = RequestValidator(TOKEN)
    signed_with_port = sdk.compute_signature("https://example.com:443/sms", _Multi(params))
    assert twilio.signature_valid("https://example.com/sms", params, signed_with_port, TOKEN)
    signed_256 = sdk.compute_signature("https://example.com/sms", _Multi(params), "HMAC_SHA256")
    algorithm = twilio.algorithm_of("key=webhooks_sharedkey_1,algorithm=HMAC_SHA256")
    assert algorithm == "HMAC_SHA256" and twilio.signature_valid("https://example.com/sms", params, signed_256, TOKEN,
                                                                 algorithm=algorithm)
    assert not twilio.signature_valid("https://example.com/sms", params, signed_256, TOKEN)
    assert not twilio.signature_valid("https://example.com/sms", params, signed_256, TOKEN, algorithm="HMAC_MD5")


def test_json_bodies_are_checked_by_their_hash_like_the_sdk() -> None:
    body = '{"Body":"hi"}'
    import hashlib

    url = f"https://example.com/hook?bodySHA256={hashlib.sha256(body.encode()).hexdigest()}"
    signature = RequestValidator(TOKEN).compute_signature(url, {})
    assert RequestValidator(TOKEN).validate(url, body, signature)
    assert twilio.signature_valid(url, None, signature, TOKEN, json_body=body.encode())
    assert not twilio.signature_valid(url, None, signature, TOKEN, json_body=b'{"Body":"changed"}')


def test_missing_or_forged_signature_is_invalid() -> None:
    params = load("twilio_sms_inbound")
    assert not twilio.signature_valid("https://example.com/sms", params, None, TOKEN)
    assert not twilio.signature_valid("https://example.com/sms", params, "", TOKEN)
    assert not twilio.signature_valid("https://example.com/sms", params, "78GZ0ocUgd6ncK2h3SLByPyIv8w=", TOKEN)


def test_sms_becomes_private_message_keyed_by_both_numbers() -> None:
    m = twilio.parse(load("twilio_sms_inbound"), raw="raw")
    assert m.channel is Channel.SMS and m.kind is MessageKind.PRIVATE_MESSAGE
    assert m.id == "sms:+447700900100:SM9f1c2b3a4d5e6f708192a3b4c5d6e7f8"
    assert m.conversation_key == "sms:+447700900100:+447700900555"
    assert m.author.platform_id == "+447700900555" and m.text.startswith("Bins not collected")


def test_whatsapp_is_recognised_by_its_prefix_with_profile_name_and_media() -> None:
    m = twilio.parse(load("twilio_whatsapp_inbound"), raw="raw")
    assert m.channel is Channel.WHATSAPP
    assert m.account_id == "+447700900100" and m.conversation_key == "whatsapp:+447700900100:+447700900777"
    assert m.author.name == "Hannah"
    assert m.attachments[0].type == "image/jpeg" and m.attachments[0].url.endswith("/Media/ME1")


def test_message_without_sid_or_numbers_is_unparseable() -> None:
    with pytest.raises(PayloadError, match="MessageSid, From"):
        twilio.parse({"To": ["+44"]}, raw="")
