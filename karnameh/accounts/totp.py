"""One-time codes (RFC 4226 HOTP, RFC 6238 TOTP) with the standard library only.

The parameters are the ones every authenticator app assumes when the otpauth:// address
names no others: SHA-1, six digits, thirty-second steps. Nothing here touches the database.
"""

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
# A phone's clock a little off, or a code typed just as it changed: one step either side.
DRIFT_STEPS = 1
SECRET_BYTES = 20  # 160 bits, the length RFC 4226 recommends
# Recovery codes: 16 letters of base32 carry 80 random bits, so (like API tokens) a plain
# SHA-256 digest is enough to store them.
RECOVERY_LETTERS = 16
RECOVERY_CODES = 8


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, digest: str = "sha1") -> str:
    """RFC 4226: the code for one counter value, zero-padded to ``digits``."""
    mac = hmac.new(key, struct.pack(">Q", counter), getattr(hashlib, digest)).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def step_at(unix_time: float) -> int:
    return int(unix_time // STEP_SECONDS)


def totp(key: bytes, unix_time: float, *, digits: int = DIGITS, digest: str = "sha1") -> str:
    """RFC 6238: the code shown at that moment."""
    return hotp(key, step_at(unix_time), digits=digits, digest=digest)


def matching_step(key: bytes, code: str, unix_time: float) -> int | None:
    """The time step whose code this is (within the drift allowed), or None."""
    code = code.strip()
    if len(code) != DIGITS or not code.isascii() or not code.isdigit():
        return None
    now = step_at(unix_time)
    found = None
    # Every candidate is compared, so the time taken says nothing about which one matched.
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(hotp(key, step), code):
            found = step
    return found


def new_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


def base32(secret: bytes) -> str:
    """The secret as apps take it typed in: base32 without padding."""
    return base64.b32encode(secret).decode().rstrip("=")


def grouped(text: str, size: int = 4) -> str:
    """``JBSW Y3DP EHPK …``: easier to read aloud and to type."""
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


def otpauth_uri(secret: bytes, *, account: str, issuer: str) -> str:
    """The address an authenticator app reads (usually from a QR code) to add the account."""
    label = quote(f"{issuer}:{account}", safe="")
    query = urlencode(
        {
            "secret": base32(secret),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"


def new_recovery_code() -> str:
    """``ABCD-EFGH-IJKL-MNOP``: base32 letters and digits 2–7, so no 0/O or 1/I to confuse."""
    letters = base64.b32encode(secrets.token_bytes(10)).decode()[:RECOVERY_LETTERS]
    return "-".join(letters[i : i + 4] for i in range(0, RECOVERY_LETTERS, 4))


def normal_recovery_code(text: str) -> str:
    """What was typed, as stored: capitals, without spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def recovery_digest(text: str) -> str:
    return hashlib.sha256(normal_recovery_code(text).encode()).hexdigest()
