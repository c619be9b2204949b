"""The one way tests get a browser-like client signed in as a demo user."""

from django.test import Client

from karnameh.accounts.models import User


def signed_in(username: str) -> Client:
    """A test client signed in as the user of that name (e.g. «staff», «agency»)."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client
