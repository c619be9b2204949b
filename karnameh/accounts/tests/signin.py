"""Signing in as a browser would, for the sign-in, session and two-step tests."""

from django.test import Client
from django.utils import timezone

from karnameh.accounts import totp
from karnameh.accounts.models import TotpDevice, User
from karnameh.accounts.services_totp import secret_of, totp_enrol_confirm, totp_enrol_start


def post_login(client: Client, username: str, password: str = "demo", ip: str = "10.0.0.1"):  # noqa: S107
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def post_code(client: Client, code: str, ip: str = "10.0.0.1"):
    return client.post("/accounts/login/code/", {"code": code}, REMOTE_ADDR=ip)


def code_now(user: User, *, steps_later: int = 0) -> str:
    """The code the user's app shows now (or that many 30-second steps later)."""
    secret = secret_of(TotpDevice.objects.get(user=user))
    return totp.totp(secret, timezone.now().timestamp() + steps_later * totp.STEP_SECONDS)


def wrong_code(user: User) -> str:
    """Six digits that are not the user's code of this moment, nor of a step either side."""
    secret = secret_of(TotpDevice.objects.get(user=user))
    now = timezone.now().timestamp()
    return next(c for c in ("000000", "111111", "222222") if not totp.matching_step(secret, c, now))


def enrol(user: User) -> list[str]:
    """Two-step sign-in turned on for the user, with the code of this moment; the recovery codes."""
    totp_enrol_start(actor=user)
    return totp_enrol_confirm(actor=user, code=code_now(user))


def is_signed_in(client: Client) -> bool:
    return client.get("/").status_code == 200
