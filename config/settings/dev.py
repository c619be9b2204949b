"""What ``make run`` uses: DEBUG on, embedded defaults, nothing to configure."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool, env_list

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-never-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or ["127.0.0.1", "localhost", "[::1]"]
VAR_DIR.mkdir(parents=True, exist_ok=True)
