"""Feedback for the tests, written through the service on top of the ``demo`` fixture."""

from typing import Any

from karnameh.accounts.models import Role, User
from karnameh.agencies.models import Agency, Province
from karnameh.common.factories import user_with_role
from karnameh.feedback.models import Feedback
from karnameh.feedback.services import feedback_create

ALL_FIVE = {"circular": 4, "training": 5, "system": 3, "responsiveness": 4, "fairness": 2}


def ilam_staff() -> User:
    return user_with_role(Role.STAFF, province=Province.objects.get(code="ilam"))


def agency_user(code: str) -> User:
    return user_with_role(Role.AGENCY, agency=Agency.objects.get(code=code))


def complaint(author: User, code: str = "AR-ED", **extra: Any) -> Feedback:
    values: dict[str, Any] = {
        "kind": "complaint",
        "subject": "تأخیر در پاسخ",
        "body": "پاسخ استعلام دیر رسید.",
        **extra,
    }
    return feedback_create(actor=author, agency=Agency.objects.get(code=code), **values)


def state() -> list[tuple[Any, ...]]:
    """Everything a refused change must leave as it was."""
    return list(
        Feedback.objects.order_by("pk").values_list(
            "tracking_number", "status", "answer", "answered_by", "ratings", "subject"
        )
    )
