"""No page shows an ASCII digit to a person: digits are Persian in all visible text."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from karnameh.agencies.models import Agency
from karnameh.agencies.services import agency_update


class _VisibleText(HTMLParser):
    """Collects text a person reads: not scripts, styles or attribute values.

    Usernames are Latin by design (seed 002: personal accounts), so elements marked
    ``data-username`` are left out. A textarea's content is what a field holds, like an
    input's value (a catalogue's YAML, where expressions keep ASCII digits), so it is too.
    """

    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.stack: list[bool] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"br", "img", "input", "meta", "link", "hr"}:
            return
        hidden = tag in {"script", "style", "textarea"} or any(
            name == "data-username" for name, _ in attrs
        )
        self.stack.append(hidden)
        self.skip += hidden

    def handle_endtag(self, tag: str) -> None:
        if tag in {"br", "img", "input", "meta", "link", "hr"} or not self.stack:
            return
        self.skip -= self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.skip and data.strip():
            self.texts.append(data.strip())


def ascii_digits_shown(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    return [text for text in parser.texts if re.search(r"[0-9]", text)]


PAGES = ["/", "/agencies/", "/agencies/AR-ED/", "/agencies/AR-ED/edit/", "/audit/"]
PAGES += ["/agencies/import/", "/no-such-page/"]


@pytest.mark.parametrize("path", PAGES)
def test_staff_pages_show_only_persian_digits(demo, demo_user, path):
    # given: a change, so that the history table has dates and times in it
    agency_update(
        agency=Agency.objects.get(code="AR-ED"),
        actor=demo_user("staff"),
        data={"is_active": False},
        reason="نامهٔ 12",
    )
    client = Client()
    client.login(username="staff", password="demo")
    # when
    page = client.get(path).content.decode()
    # then
    assert ascii_digits_shown(page) == []


@pytest.mark.parametrize("username", ["admin", "agency", "hq", "evaluator", "national"])
def test_every_roles_home_shows_only_persian_digits(demo, username):
    # given
    client = Client()
    client.login(username=username, password="demo")
    # when
    page = client.get("/").content.decode()
    # then
    assert ascii_digits_shown(page) == []


def test_the_login_page_shows_only_persian_digits(db):
    assert ascii_digits_shown(Client().get("/accounts/login/").content.decode()) == []


def test_the_checker_sees_ascii_digits_where_there_are_some():
    assert ascii_digits_shown("<p>سال 1403</p><script>var a = 1;</script>") == ["سال 1403"]
