"""Meta handshake and X-Hub-Signature-256, against the test vector in PLATFORMS.md."""

from connectors.platforms import meta

VECTOR_BODY = b'{"object":"page","entry":[]}'
VECTOR_SIGNATURE = "sha256=5da47c9c7409e70d7a1851f0cfd9bc27786bd99587a9bf1dd5b51e23a2de03cf"


def test_signature_matches_published_vector() -> None:
    assert meta.sign(VECTOR_BODY, "test_app_secret") == VECTOR_SIGNATURE
    assert meta.signature_valid(VECTOR_BODY, VECTOR_SIGNATURE, "test_app_secret")


def test_signature_rejects_forged_missing_and_malformed() -> None:
    assert not meta.signature_valid(VECTOR_BODY, VECTOR_SIGNATURE, "another_secret")
    assert not meta.signature_valid(VECTOR_BODY + b" ", VECTOR_SIGNATURE, "test_app_secret")
    assert not meta.signature_valid(VECTOR_BODY, None, "test_app_secret")
    assert not meta.signature_valid(VECTOR_BODY, VECTOR_SIGNATURE.removeprefix("sha256="), "test_app_secret")
    assert not meta.signature_valid(VECTOR_BODY, "sha1=abc", "test_app_secret")


def test_handshake_echoes_challenge_only_for_the_right_token() -> None:
    assert meta.handshake("subscribe", "tok", "1158201444", "tok") == "1158201444"
    assert meta.handshake("subscribe", "wrong", "1158201444", "tok") is None
    assert meta.handshake("unsubscribe", "tok", "1158201444", "tok") is None
    assert meta.handshake("subscribe", "tok", None, "tok") is None
