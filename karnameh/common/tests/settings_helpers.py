"""What the health, log and storage tests share: a cache that cannot work, and the
production settings loaded in a process of their own (they read the environment once)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings


def broken_cache(folder: Path) -> dict[str, Any]:
    """CACHES with a file cache whose folder cannot be made (a file stands where it should be)."""
    blocker = folder / "not-a-folder"
    blocker.write_text("")
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(blocker / "cache"),
        }
    }


def run_production(
    code: str, *, unset: tuple[str, ...], **env: str
) -> subprocess.CompletedProcess[str]:
    """``code`` run by this interpreter with the production settings, a fresh secret key,
    the environment variables starting with ``unset`` removed and ``env`` added."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(unset)}
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code],
        env={
            **inherited,
            "DJANGO_SETTINGS_MODULE": "config.settings.prod",
            "SECRET_KEY": secrets.token_urlsafe(45)[:60],
            "ALLOWED_HOSTS": "karnameh.example",
            **env,
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
