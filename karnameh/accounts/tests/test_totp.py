"""One-time codes against the RFCs' own examples, and the sealing of their secrets."""

import pytest

from karnameh.accounts import sealing, totp

# RFC 4226 appendix D and RFC 6238 appendix B (SHA-1): the shared secret of both.
RFC_KEY = b"12345678901234567890"


RFC_4226_CODES = (
    *("755224", "287082", "359152", "969429", "338314"),
    *("254676", "287922", "162583", "399871", "520489"),
)


@pytest.mark.parametrize(("counter", "code"), list(enumerate(RFC_4226_CODES)))
def test_hotp_matches_rfc_4226(counter, code):
    assert totp.hotp(RFC_KEY, counter) == code


@pytest.mark.parametrize(
    ("unix_time", "code"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_totp_matches_rfc_6238_for_sha1(unix_time, code):
    assert totp.totp(RFC_KEY, unix_time, digits=8) == code


def test_a_code_is_accepted_one_step_either_side_and_no_further():
    # given: the code shown at 1111111109 s, and the six-digit code of that step
    step = totp.step_at(1111111109)
    code = totp.totp(RFC_KEY, 1111111109)
    # when / then
    assert totp.matching_step(RFC_KEY, code, 1111111109) == step
    assert totp.matching_step(RFC_KEY, code, 1111111109 - 30) == step
    assert totp.matching_step(RFC_KEY, code, 1111111109 + 30) == step
    assert totp.matching_step(RFC_KEY, code, 1111111109 + 60) is None
    assert totp.matching_step(RFC_KEY, code, 1111111109 - 60) is None


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "12a456", "۱۲۳۴۵۶"])
def test_malformed_codes_match_nothing(typed):
    assert totp.matching_step(RFC_KEY, typed, 59) is None


def test_the_secret_is_shown_in_groups_of_four_and_in_an_otpauth_address():
    # given
    secret = b"\x00" * 20
    # when
    shown = totp.grouped(totp.base32(secret))
    uri = totp.otpauth_uri(secret, account="staff", issuer="کارنامه")
    # then
    assert shown == "AAAA AAAA AAAA AAAA AAAA AAAA AAAA AAAA"
    assert uri.startswith("otpauth://totp/%DA%A9%D8%A7%D8%B1%D9%86%D8%A7%D9%85%D9%87%3Astaff?")
    assert "secret=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" in uri
    assert "digits=6" in uri and "period=30" in uri and "algorithm=SHA1" in uri


def test_a_recovery_code_matches_however_it_is_typed():
    # given
    code = totp.new_recovery_code()
    # when
    typed = code.lower().replace("-", " ")
    # then
    assert len(code) == 19 and code.count("-") == 3
    assert totp.recovery_digest(typed) == totp.recovery_digest(code)


def test_a_sealed_secret_opens_with_the_key_and_hides_the_plain_bytes(settings):
    # given
    plain = b"a totp secret 20 b.."
    # when
    sealed = sealing.seal(plain, purpose="totp")
    # then
    assert plain not in sealed.encode() and totp.base32(plain) not in sealed
    assert sealing.unseal(sealed, purpose="totp") == (plain, True)
    assert sealing.seal(plain, purpose="totp") != sealed  # a fresh nonce each time


def test_a_sealed_secret_refuses_tampering_another_purpose_or_another_key(settings):
    # given
    sealed = sealing.seal(b"x" * 20, purpose="totp")
    version, body = sealed.split("$")
    flipped = body[:30] + ("A" if body[30] != "A" else "B") + body[31:]
    # then
    for broken, purpose in [(f"{version}${flipped}", "totp"), (sealed, "other")]:
        with pytest.raises(sealing.SealBroken):
            sealing.unseal(broken, purpose=purpose)
    settings.SECRET_KEY = "another key " * 5
    with pytest.raises(sealing.SealBroken):
        sealing.unseal(sealed, purpose="totp")


def test_after_a_key_rotation_the_old_key_still_opens_and_says_so(settings):
    # given
    old = settings.SECRET_KEY
    sealed = sealing.seal(b"y" * 20, purpose="totp")
    # when
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a new key " * 6, [old]
    # then
    assert sealing.unseal(sealed, purpose="totp") == (b"y" * 20, False)
