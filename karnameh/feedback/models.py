"""Surveys, complaints and suggestions that agencies send through online forms (seed 002)."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class FeedbackKind(models.TextChoices):
    SURVEY = "survey", _("survey")
    COMPLAINT = "complaint", _("complaint")
    SUGGESTION = "suggestion", _("suggestion")


class FeedbackStatus(models.TextChoices):
    OPEN = "open", _("open")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")


# The survey's fixed questions about the service, each answered 1 (poor) to 5 (excellent).
# The keys are what ``Feedback.ratings`` and the API store; the labels are what people read.
SURVEY_QUESTIONS: "tuple[tuple[str, StrOrPromise], ...]" = (
    ("circular", _("Clarity of the circular and the indicators")),
    ("training", _("Quality of the training workshops")),
    ("system", _("Usefulness of the system")),
    ("responsiveness", _("Responsiveness of the organization")),
    ("fairness", _("Fairness of the evaluation")),
)
RATING_MIN, RATING_MAX = 1, 5

TRACKING_PREFIX = "FB"


class Feedback(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=FeedbackKind.choices)
    # ``FB-<Jalali year>-<number>``, quoted by people on the phone. Null only for the instant
    # between the insert and the update that writes it from the row's id (ids never collide,
    # where a per-year counter would race between two writers).
    tracking_number = models.CharField(  # noqa: DJ001
        _("tracking number"), max_length=20, unique=True, null=True, editable=False
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="feedback_written",
    )
    cycle = models.ForeignKey(
        "cycles.Cycle",
        verbose_name=_("cycle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    # Question key -> 1..5, for surveys only (SURVEY_QUESTIONS).
    ratings = models.JSONField(_("ratings"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=FeedbackStatus.choices,
        default=FeedbackStatus.OPEN,
        db_index=True,
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.subject}"

    def rating_rows(self) -> list[tuple[str, int | None]]:
        """The survey's questions with this survey's answers, in the fixed order."""
        return [(str(label), self.ratings.get(key)) for key, label in SURVEY_QUESTIONS]
