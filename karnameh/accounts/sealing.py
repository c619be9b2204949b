"""Small secrets kept encrypted in the database, under a key derived from SECRET_KEY.

Used for the TOTP secrets: a database dump or a backup archive alone then gives no one the
codes of staff, evaluators and approvers. The standard library has no cipher, so this is
HMAC-SHA256 used as a pseudorandom function: a keystream of HMAC(key₁, nonce ‖ counter)
XORed with the plain text, then HMAC(key₂, nonce ‖ cipher text) over the result
(encrypt-then-MAC, a fresh 128-bit nonce each time). Whoever holds SECRET_KEY and the
database can still read the secrets; rotating SECRET_KEY needs the old key kept in
SECRET_KEY_FALLBACKS, and a secret opened with a fallback is sealed again under the new key.
"""

import base64
import hmac
import secrets

from django.conf import settings
from django.utils.crypto import salted_hmac

VERSION = "s1"
NONCE_BYTES = 16
TAG_BYTES = 32
BLOCK = 32  # one SHA-256 output


class SealBroken(Exception):
    """The text was altered, or sealed under a key this installation no longer has."""


def _prf(purpose: str, part: str, key: str | bytes, data: bytes) -> bytes:
    return salted_hmac(
        f"karnameh.seal.{purpose}.{part}", data, secret=key, algorithm="sha256"
    ).digest()


def _stream(purpose: str, key: str | bytes, nonce: bytes, length: int) -> bytes:
    blocks = (length + BLOCK - 1) // BLOCK
    out = b"".join(
        _prf(purpose, "stream", key, nonce + n.to_bytes(4, "big")) for n in range(blocks)
    )
    return out[:length]


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


def seal(plain: bytes, *, purpose: str) -> str:
    """``s1$…``: nonce, cipher text and tag, base64. ``purpose`` keeps keys apart per use."""
    key = settings.SECRET_KEY
    nonce = secrets.token_bytes(NONCE_BYTES)
    cipher = _xor(plain, _stream(purpose, key, nonce, len(plain)))
    tag = _prf(purpose, "tag", key, nonce + cipher)
    return f"{VERSION}${base64.urlsafe_b64encode(nonce + cipher + tag).decode()}"


def unseal(text: str, *, purpose: str) -> tuple[bytes, bool]:
    """The plain bytes, and whether they were sealed under the current SECRET_KEY."""
    version, _sep, body = text.partition("$")
    try:
        raw = base64.urlsafe_b64decode(body.encode())
    except ValueError:
        raise SealBroken from None
    if version != VERSION or len(raw) < NONCE_BYTES + TAG_BYTES:
        raise SealBroken
    nonce, cipher, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    for index, key in enumerate(keys):
        if hmac.compare_digest(_prf(purpose, "tag", key, nonce + cipher), tag):
            return _xor(cipher, _stream(purpose, key, nonce, len(cipher))), index == 0
    raise SealBroken
