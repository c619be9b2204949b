"""Evidence on the gauge editor and through the API: upload, list, download, remove."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from karnameh.assessments.models import Evidence
from karnameh.cycles.tests.builders import open_cycle, step_day
from karnameh.files.models import StoredFile
from tests.test_persian_digits import ascii_digits_shown

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def cycle(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return open_cycle()


@pytest.fixture
def inside(cycle):
    with time_machine.travel(step_day(cycle, 6), tick=False):
        yield


def client_for(demo_user, name: str) -> Client:
    client = Client()
    client.force_login(demo_user(name))
    return client


def gauge_url(cycle, tail: str = "") -> str:
    return f"/assessments/{cycle.pk}/AR-ED/general/6.4.3/{tail}"


def pdf(name: str = "گزارش نمونه.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_files_are_uploaded_listed_downloaded_and_removed_on_the_page(cycle, inside, demo_user):
    # given
    client = client_for(demo_user, "agency")
    # when: two files at once
    upload = client.post(gauge_url(cycle, "evidence/"), {"files": [pdf(), pdf("دوم.pdf")]})
    # then: both attached and listed with size, who, when and hash
    assert upload.status_code == 302
    assert Evidence.objects.count() == 2
    page = client.get(gauge_url(cycle)).content.decode()
    assert page.count('data-testid="evidence-item"') == 2
    assert "گزارش نمونه.pdf" in page and "مریم کریمی" in page
    assert ascii_digits_shown(page) == []
    first = Evidence.objects.order_by("id").first()
    assert first is not None
    # when: downloaded by the HQ above the agency
    download = client_for(demo_user, "hq").get(
        f"/assessments/{cycle.pk}/AR-ED/evidence/{first.pk}/"
    )
    # then
    assert download.status_code == 200 and download.getvalue() == PDF
    # when: removed
    removed = client.post(f"/assessments/{cycle.pk}/AR-ED/evidence/{first.pk}/remove/")
    # then: no longer listed, still in the record
    assert removed.status_code == 302
    page = client.get(gauge_url(cycle)).content.decode()
    assert page.count('data-testid="evidence-item"') == 1
    first.refresh_from_db()
    assert first.removed_at is not None


def test_a_bad_upload_is_refused_with_its_message_and_nothing_is_stored(cycle, inside, demo_user):
    # given: a script renamed to .pdf
    client = client_for(demo_user, "agency")
    bad = SimpleUploadedFile("نامه.pdf", b"#!/bin/sh\nrm -rf /\n", content_type="application/pdf")
    # when
    response = client.post(gauge_url(cycle, "evidence/"), {"files": [bad]}, follow=True)
    # then
    html = response.content.decode()
    assert "نامه.pdf" in html and "alert-danger" in html
    assert not Evidence.objects.exists() and not StoredFile.objects.exists()


def test_others_cannot_upload_or_remove(cycle, inside, demo_user):
    # given: a file the agency attached
    client_for(demo_user, "agency").post(gauge_url(cycle, "evidence/"), {"files": [pdf()]})
    evidence = Evidence.objects.get()
    hq = client_for(demo_user, "hq")
    # when
    upload = hq.post(gauge_url(cycle, "evidence/"), {"files": [pdf()]})
    remove = hq.post(f"/assessments/{cycle.pk}/AR-ED/evidence/{evidence.pk}/remove/")
    # then
    assert upload.status_code == remove.status_code == 403
    assert Evidence.objects.count() == 1 and Evidence.objects.get().removed_at is None


def test_evidence_through_the_api(cycle, inside, demo_user):
    # given
    client = client_for(demo_user, "agency")
    base = f"/api/v1/assessments/{cycle.pk}/AR-ED"
    # when: uploaded
    created = client.post(f"{base}/general/6.4.3/evidence", {"files": [pdf()]})
    # then
    assert created.status_code == 201
    item = created.json()[0]
    assert item["name"] == "گزارش نمونه.pdf" and item["size"] == len(PDF)
    listed = client.get(f"{base}/general/6.4.3").json()["evidence"]
    assert [e["id"] for e in listed] == [item["id"]]
    # when: downloaded and removed
    download = client.get(f"{base}/evidence/{item['id']}")
    deleted = client.delete(f"{base}/evidence/{item['id']}")
    # then
    assert download.status_code == 200 and download.getvalue() == PDF
    assert deleted.status_code == 204
    assert client.get(f"{base}/general/6.4.3").json()["evidence"] == []
    assert client.delete(f"{base}/evidence/{item['id']}").status_code == 404


def test_a_bad_upload_through_the_api_is_a_400_and_stores_nothing(cycle, inside, demo_user):
    client = client_for(demo_user, "agency")
    bad = SimpleUploadedFile("x.pdf", b"<html><script></script></html>")
    response = client.post(
        f"/api/v1/assessments/{cycle.pk}/AR-ED/general/6.4.3/evidence", {"files": [bad]}
    )
    assert response.status_code == 400 and "x.pdf" in response.json()["detail"]
    assert not Evidence.objects.exists() and not StoredFile.objects.exists()
