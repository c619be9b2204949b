"""Production settings fail loudly without their secrets, and carry secure defaults."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client

GOOD_KEY = "k" * 20 + "9f3b2c7d1e5a8f0b4c6d2e9a1b3c5d7e"


def _import_prod(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings.prod as s; print(s.DEBUG)"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
        cwd=settings.BASE_DIR,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"ALLOWED_HOSTS": "karnameh.example"}, "SECRET_KEY"),
        ({"SECRET_KEY": "short", "ALLOWED_HOSTS": "karnameh.example"}, "SECRET_KEY"),
        ({"SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(env, named):
    # when
    result = _import_prod(**env)
    # then
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr


def test_production_starts_with_them_and_debug_off():
    # when
    result = _import_prod(SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="karnameh.example")
    # then
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_production_defaults_are_secure():
    # given
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings.prod as s; print(s.PASSWORD_HASHERS[0], s.SECURE_HSTS_SECONDS,"
            " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.X_FRAME_OPTIONS,"
            " s.DATABASES['default']['CONN_HEALTH_CHECKS'], s.SECURE_SSL_REDIRECT)",
        ],
        env={**os.environ, "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "karnameh.example"},
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    # then
    hasher, hsts, session_secure, csrf_secure, frames, health, ssl = result.stdout.split()
    assert hasher.endswith("Argon2PasswordHasher")
    assert int(hsts) >= 31_536_000
    assert (session_secure, csrf_secure, frames, health, ssl) == (
        "True",
        "True",
        "DENY",
        "True",
        "True",
    )


def test_every_response_carries_the_security_headers(db):
    # when
    response = Client().get("/accounts/login/")
    # then
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
