"""The vendored front-end files are found and served without Node or a CDN."""

import re

from django.contrib.staticfiles import finders


def test_every_file_the_login_page_links_is_a_static_file_of_ours(client, db):
    # given
    page = client.get("/accounts/login/").content.decode()
    # when
    linked = re.findall(r'(?:href|src)="/static/([^"]+)"', page)
    # then
    assert "vendor/bootstrap/bootstrap.rtl.min.css" in linked
    assert [path for path in linked if finders.find(path) is None] == []


def test_no_page_asset_comes_from_another_origin(client, db):
    # when
    page = client.get("/accounts/login/").content.decode()
    # then
    assert re.findall(r'(?:href|src)="(?:https?:)?//', page) == []


def test_the_font_and_its_stylesheet_reference_resolve():
    # given
    css = open(finders.find("karnameh/app.css"), encoding="utf-8").read()  # noqa: SIM115
    # then
    assert "Vazirmatn" in css
    assert finders.find("vendor/vazirmatn/Vazirmatn-wght.woff2") is not None
