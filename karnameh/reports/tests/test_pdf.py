"""The report card as a PDF, read back as text (``pdftotext``: conftest.py); the ZIP of every
card; the fetcher's fence.
"""

import io
import re
import zipfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client

from karnameh.accounts.models import User
from karnameh.common.templatetags.fa import fa
from karnameh.cycles.tests.builders import participation
from karnameh.reports.pdf import (
    _UNUSED_PSEUDO,
    _fetcher,
    html_to_pdf,
    lean_ua_stylesheet,
    render_pdf,
)

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


def test_reports_render_with_the_lean_user_agent_stylesheet(pdftotext: Any) -> None:
    # The lean sheet is WeasyPrint's own without the footnote and note pseudo-elements: it
    # must be the one WeasyPrint uses, and lists keep their markers.
    lean_ua_stylesheet.cache_clear()
    html = (
        '<html dir="rtl" lang="fa"><body><p>فهرست</p>'
        "<ol><li>یکم</li><li>دوم</li></ol><ul><li>سوم</li></ul></body></html>"
    )
    text = pdftotext(html_to_pdf(html))
    assert lean_ua_stylesheet.cache_info().misses == 1  # asked for by the rendering
    plain = readable(text)
    assert "یکم" in plain and "سوم" in plain
    # The ordered list's numbers («1.», drawn right to left, so read back as «.1») and the
    # bullet of the other list.
    assert re.search(r"\.1 ?یکم", plain) and re.search(r"\.2 ?دوم", plain), plain
    assert "• سوم" in plain
    # The five rules left out are still in WeasyPrint's sheet, in the form the pattern knows
    # (if a new WeasyPrint wrote them otherwise, the lean sheet would quietly stop saving).
    import weasyprint

    source = (Path(weasyprint.__file__).parent / "css" / "html5_ua.css").read_text("utf-8")
    left_out = _UNUSED_PSEUDO.findall(source)
    assert len(left_out) == 5, left_out
    assert all("::footnote-" in rule or "::note-" in rule for rule in left_out)
