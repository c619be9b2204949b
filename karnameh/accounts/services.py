"""Signing in and out: each writes an audit event in its transaction."""

from django.contrib.auth import login, logout
from django.db import transaction
from django.http import HttpRequest

from karnameh.audit.services import record

from . import throttle
from .models import User


def user_log_in(*, request: HttpRequest, user: User) -> None:
    with transaction.atomic():
        # login() gives the session a new key, so a key planted before login is worthless.
        login(request, user)
        throttle.clear_failures(username=user.username)
        record(actor=user, action="accounts.login", target=user, ip=throttle.client_ip(request))


def user_log_out(*, request: HttpRequest) -> None:
    user = request.user
    with transaction.atomic():
        if user.is_authenticated:
            record(
                actor=user, action="accounts.logout", target=user, ip=throttle.client_ip(request)
            )
        # flush() deletes the session row itself: the old cookie opens nothing afterwards.
        logout(request)
