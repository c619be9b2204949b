"""Cycles with their inquiries sent, assessing-body users and snapshots, on the ``demo`` fixture.

cycle = sent_cycle()                         # Ardabil 1403, inquiries sent on step 8's first day
one = inquiry(cycle, "accessibility", "AR-ED")
"""

import datetime as dt
from typing import Any

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from karnameh.accounts.models import Role, RoleAssignment, User
from karnameh.agencies.models import AssessingBody
from karnameh.audit.models import AuditEvent
from karnameh.cycles.models import Cycle
from karnameh.cycles.tests.builders import open_cycle, step_day
from karnameh.files.models import StoredFile
from karnameh.inquiries.models import Inquiry
from karnameh.inquiries.services import inquiries_send
from karnameh.notifications.models import Notification
from karnameh.results.models import Approval, Stage

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# The demo's «assessor» answers for the welfare directorate (accessibility, 6.5).
WELFARE = {
    "6.5.1": {"score": 7},
    "6.5.2": {"score": 5.5},
    "6.5.3": {"score": 0},
    "6.5.4": {"score": 7.5},
}


def sent_at(cycle: Cycle) -> dt.datetime:
    """10:00 Tehran on the first day of step 8 (expert evaluation)."""
    return step_day(cycle, 8)


def sent_cycle(agencies: tuple[str, ...] = ("AR-ED", "AR-EF", "AR-TAX"), **kw: Any) -> Cycle:
    cycle = open_cycle(agencies=agencies, **kw)
    # The demo's staff work in Ardabil; the administrator sends another province's.
    sender = "staff" if kw.get("province", "ardabil") == "ardabil" else "admin"
    with time_machine.travel(sent_at(cycle), tick=False):
        inquiries_send(actor=User.objects.get(username=sender), cycle=cycle)
    return cycle


def inquiry(cycle: Cycle, topic: str, agency: str) -> Inquiry:
    return Inquiry.objects.select_related("cycle", "topic", "participation__agency").get(
        cycle=cycle, topic__code=topic, participation__agency__code=agency
    )


def assessor(username: str, body: str) -> User:
    user = User.objects.create_user(username=username, password="demo")
    RoleAssignment.objects.create(
        user=user, role=Role.ASSESSOR, assessing_body=AssessingBody.objects.get(code=body)
    )
    return user


def letter(name: str = "نامهٔ بهزیستی.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def lock(cycle: Cycle) -> None:
    """The deputy's final approval, as a row: the scores are locked."""
    Approval.objects.create(
        cycle=cycle,
        stage=Stage.DEPUTY,
        approved_by=User.objects.get(username="deputy"),
        approved_at=sent_at(cycle),
    )


def state() -> tuple[Any, ...]:
    """Everything a refused change must leave as it was."""
    return (
        list(
            Inquiry.objects.order_by("pk").values_list(
                "pk", "state", "answer", "scores", "version", "how", "letter", "reminders"
            )
        ),
        AuditEvent.objects.count(),
        Notification.objects.count(),
        StoredFile.objects.count(),
    )


def client(user: User) -> Client:
    found = Client()
    found.force_login(user)
    return found
