"""The report card as a PDF, read back as text (``pdftotext``: conftest.py); the ZIP of every
card; the fetcher's fence.
"""

import io
import re
import zipfile
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client

from karnameh.accounts.models import User
from karnameh.common.templatetags.fa import fa
from karnameh.cycles.tests.builders import participation
from karnameh.reports.pdf import _fetcher, render_pdf

from .test_cards_builders import SAMPLE, published_cycle

ED = "ادارهٔ کل آموزش و پرورش استان اردبیل"


def readable(text: str) -> str:
    """Text without what pdftotext moves about: bidi marks and the combining hamza «ٔ»."""
    return "".join(c for c in text if c not in "\u202a\u202b\u202c\u200e\u200f\u0654")


def test_the_agency_downloads_its_card_as_a_pdf(demo: Any, pdftotext: Any) -> None:
    # given
    cycle = published_cycle(SAMPLE)
    final = participation(cycle, "AR-ED").result.final
    client = Client()
    client.force_login(User.objects.get(username="agency"))
    # when
    response = client.get(f"/reports/{cycle.pk}/card/AR-ED/pdf/")
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('کارنامه-AR-ED-۱۴۰۳.pdf')}" in disposition
    text = pdftotext(response.content)
    plain = readable(text)
    assert readable(ED) in plain
    assert fa(final) in plain
    assert "اردبیل" in plain.splitlines()[0]  # the province in the running header
    # Persian page numbers in the footer: «۱/۲» … on every page
    pages = plain.split("\f")
    assert all(re.search(r"[۰-۹]+ ?/ ?[۰-۹]+", page) for page in pages if page.strip()), plain


def test_before_publication_an_hq_user_gets_no_pdf(demo: Any) -> None:
    cycle = published_cycle(SAMPLE, released=False)
    client = Client()
    client.force_login(User.objects.get(username="hq"))
    response = client.get(f"/reports/{cycle.pk}/card/AR-ED/pdf/")
    assert response.status_code in (403, 404)
    assert not response.content.startswith(b"%PDF")


def test_every_card_of_the_cycle_as_a_zip(demo: Any, pdftotext: Any) -> None:
    # given
    from karnameh.jobs.registry import get_kind

    cycle = published_cycle(SAMPLE)
    kind = get_kind("reports.cards")
    assert kind is not None and kind.action == "reports.cards_all"
    seen: list[tuple[int, int]] = []
    # when
    job: Any = SimpleNamespace(cycle=cycle)
    name, content, mime = kind.run(job, lambda d, t: seen.append((d, t)))
    # then
    assert mime == "application/zip" and name.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert sorted(archive.namelist()) == sorted(f"کارنامه-{code}-۱۴۰۳.pdf" for code in SAMPLE)
    text = pdftotext(archive.read("کارنامه-AR-WEL-۱۴۰۳.pdf"))
    assert "بهزیستی" in text
    assert seen[-1] == (4, 4)


def test_the_pdf_fetches_nothing_outside_the_static_files(tmp_path: Any) -> None:
    fetcher = _fetcher()
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    for url in ("https://example.com/x.png", "http://127.0.0.1/", secret.as_uri()):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"


def test_a_page_asking_for_the_network_still_renders(settings: Any, pdftotext: Any) -> None:
    # An image on the network is refused quietly; the rest of the document renders.
    from django.template import engines

    template = engines["django"].from_string(
        '{% extends "reports/pdf_base.html" %}{% block content %}'
        '<p>سلام</p><img src="https://example.com/x.png">{% endblock %}'
    )
    assert template  # compiled; render through render_pdf with the base template
    content = render_pdf("reports/pdf_base.html", {"header_title": "استان اردبیل"})
    assert content.startswith(b"%PDF")
    assert "اردبیل" in pdftotext(content)
