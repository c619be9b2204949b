"""The good corpus through the real pages: attached on the gauge page by the agency, downloaded
by the HQ above it, each file comes back whole, under its Persian name, and inert."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test import Client

from karnameh.assessments.models import Evidence
from karnameh.cycles.tests.builders import open_cycle, step_day
from karnameh.files.kinds import KINDS
from karnameh.files.responses import FILE_POLICY

from .good import GOOD
from .headers import offered_name


@pytest.fixture
def cycle(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return open_cycle()


def _client(demo_user, name: str) -> Client:
    client = Client()
    client.force_login(demo_user(name))
    return client


def test_every_good_file_is_served_whole_under_its_name_with_inert_headers(cycle, demo_user):
    # given: every good file attached on two gauges' pages (twenty a gauge at most), each sent
    # claiming to be a web page
    agency, hq = _client(demo_user, "agency"), _client(demo_user, "hq")
    cases = {case.shown: case for case in GOOD}
    sent = {case.shown: case.make() for case in GOOD}
    with time_machine.travel(step_day(cycle, 6), tick=False):
        for gauge, part in (("6.4.3", GOOD[::2]), ("6.4.1", GOOD[1::2])):
            files = [SimpleUploadedFile(c.name, sent[c.shown], "text/html") for c in part]
            url = f"/assessments/{cycle.pk}/AR-ED/general/{gauge}/evidence/"
            assert agency.post(url, {"files": files}).status_code == 302
        # when: the HQ above the agency downloads each
        served = {
            evidence.file.name: hq.get(f"/assessments/{cycle.pk}/AR-ED/evidence/{evidence.pk}/")
            for evidence in Evidence.objects.select_related("file")
        }
    # then: every name arrived as given (ZWNJ, Persian digits, spaces), Arabic letters made
    # Persian
    assert sorted(served) == sorted(sent)
    for name, response in served.items():
        kind = KINDS[cases[name].kind]
        assert response.status_code == 200, name
        assert response.getvalue() == sent[name], name
        # the type is the one found in the content, never the one the upload claimed
        assert response["Content-Type"] == kind.content_type, name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Cache-Control"] == "private, no-store", name
        assert response["Content-Security-Policy"] == FILE_POLICY, name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["Content-Disposition"].startswith("attachment;"), name
        fallback, offered = offered_name(response["Content-Disposition"])
        assert offered == name
        assert fallback.rpartition(".")[2].lower() in kind.extensions, fallback


def test_the_policy_forbids_everything_and_sandboxes_the_file():
    # when
    directives = dict(part.strip().partition(" ")[::2] for part in FILE_POLICY.split(";"))
    # then
    assert directives == {"default-src": "'none'", "frame-ancestors": "'none'", "sandbox": ""}


@pytest.mark.parametrize(
    ("sent", "received"),
    [
        ("صورت\u200cجلسه.pdf", "صورت\u200cجلسه.pdf"),
        ("C:\\Users\\ali\\می\u200cخواهم.docx", "می\u200cخواهم.docx"),
        ("../../etc/گزارش\u200cها.pdf", "گزارش\u200cها.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("\u200c", None),
        ("..", None),
    ],
)
def test_a_browser_name_keeps_its_zwnj_and_loses_the_rest_as_django_decides(sent, received):
    # given: a parser (the name is all sanitize_file_name looks at)
    parser = MultiPartParser.__new__(MultiPartParser)
    # when / then
    assert parser.sanitize_file_name(sent) == received


def test_a_file_missing_from_the_store_is_a_404_that_says_so(cycle, demo_user, caplog):
    # given: a file attached, then lost from the store (a restore that left it out)
    agency, hq = _client(demo_user, "agency"), _client(demo_user, "hq")
    with time_machine.travel(step_day(cycle, 6), tick=False):
        url = f"/assessments/{cycle.pk}/AR-ED/general/6.4.1/evidence/"
        sent = SimpleUploadedFile("گزارش سالانه.pdf", GOOD[0].make(), "application/pdf")
        assert agency.post(url, {"files": [sent]}).status_code == 302
        evidence = Evidence.objects.select_related("file").get()
        evidence.file.file.storage.delete(evidence.file.file.name)
        # when: the HQ downloads it on the page and through the API
        page = hq.get(f"/assessments/{cycle.pk}/AR-ED/evidence/{evidence.pk}/")
        api = hq.get(f"/api/v1/assessments/{cycle.pk}/AR-ED/evidence/{evidence.pk}")
    # then: not a system error, but a 404 naming the file, and the operators' log hears of it
    assert page.status_code == 404
    assert "گزارش سالانه.pdf" in page.content.decode()
    assert api.status_code == 404
    assert api.json()["code"] == "file_missing"
    assert "گزارش سالانه.pdf" in api.json()["detail"]
    logged = [r.message for r in caplog.records if r.name == "karnameh.files.responses"]
    assert logged == ["stored file missing"] * 2
    # and the record is kept: nothing is deleted because its content went missing
    assert Evidence.objects.filter(pk=evidence.pk, removed_at__isnull=True).exists()
