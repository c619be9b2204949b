"""Small things the cycle tests share: uploads, counts of what changed, a new draft."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from karnameh.audit.models import AuditEvent
from karnameh.catalogue.models import Catalogue
from karnameh.cycles.models import Cycle
from karnameh.cycles.tests.builders import DEMO_CATALOGUE, START
from karnameh.files.tests.corpus import pdf


def circular_file(name: str = "بخشنامه ۱۴۰۳.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf(), content_type="application/pdf")


def exe_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("بخشنامه.pdf", b"MZ\x90\x00" + b"\x00" * 200)


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def new_draft(actor, **changes) -> Cycle:
    from karnameh.agencies.models import Province
    from karnameh.cycles.services import cycle_create

    data = {
        "year": 1404,
        "level": "provincial",
        "province": Province.objects.get(code="ardabil"),
        "title": "ارزیابی عملکرد ۱۴۰۴ استان اردبیل",
        "general_catalogue": Catalogue.objects.get(code=DEMO_CATALOGUE),
        "start": START + dt.timedelta(days=365),
    }
    return cycle_create(actor=actor, **{**data, **changes})


def client(username: str) -> Client:
    found = Client()
    assert found.login(username=username, password="demo")
    return found
