"""Settings, read from the environment.

- ``config.settings.dev`` (the default): DEBUG on, SQLite, local files; what ``make run`` uses.
- ``config.settings.test``: the test suite.
- ``config.settings.prod``: production; refuses to start without SECRET_KEY and ALLOWED_HOSTS.
``DATABASE_URL`` switches any of them to PostgreSQL.
"""
