"""Inquiries (استعلام, seed 004): the organization asks another body for its score of an agency.

A ``Topic`` is one of the standing inquiries (accrual accounting, «ستاد», …): the body asked,
manual or electronic, and the gauges its answer feeds. Each cycle sends one ``Inquiry`` per
topic and participating agency; the body's answer is one answer per fed gauge, in the form of
``assessments.Answer.data``, and counts for those gauges in the organization's score
(``evaluations.final`` reads it through ``selectors.answered_gauges``).
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from karnameh.cycles.deadlines import TEHRAN


class Mode(models.TextChoices):
    MANUAL = "manual", _("manual")
    ELECTRONIC = "electronic", _("electronic")


class Topic(models.Model):
    """One standing inquiry. The eight of seed 004 are installed by migration 0002."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=250)
    body = models.ForeignKey(
        "agencies.AssessingBody",
        verbose_name=_("assessing body"),
        on_delete=models.PROTECT,
        related_name="inquiry_topics",
    )
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices, default=Mode.MANUAL)
    # The other system's address for an electronic inquiry (e.g. «ستاد», «سادا»).
    link = models.URLField(_("link to the other system"), blank=True)
    # Indicator or gauge codes this topic covers. Empty: every gauge the catalogue gives to the
    # body. Named when one body answers two topics (finance: accrual 4.2, «سادا» 5.2.1).
    covers = models.JSONField(_("indicators or gauges covered"), default=list, blank=True)
    answer_days = models.PositiveSmallIntegerField(_("days to answer"), default=7)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("inquiry topic")
        verbose_name_plural = _("inquiry topics")

    def __str__(self) -> str:
        return self.title

    @property
    def is_electronic(self) -> bool:
        return self.mode == Mode.ELECTRONIC


class State(models.TextChoices):
    SENT = "sent", _("awaiting the answer")
    ANSWERED = "answered", _("answered")


class How(models.TextChoices):
    SYSTEM = "system", _("in the system")
    API = "api", _("electronically, by the API")
    LETTER = "letter", _("entered by staff from a letter")


class Inquiry(models.Model):
    """One topic asked about one participating agency in one cycle."""

    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="inquiries"
    )
    # The participation's cycle again, so a cycle's inquiries are one indexed read.
    cycle = models.ForeignKey(
        "cycles.Cycle", verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="inquiries"
    )
    participation = models.ForeignKey(
        "cycles.Participation",
        verbose_name=_("participation"),
        on_delete=models.PROTECT,
        related_name="inquiries",
    )
    # Gauge codes (general part) the answer feeds, fixed when sent: the catalogue is frozen.
    gauges = models.JSONField(_("gauges"), default=list)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SENT)
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_at = models.DateTimeField(_("due"))
    # gauge code -> the answer (as assessments.Answer.data); gauge code -> the engine's score.
    answer = models.JSONField(_("answer"), default=dict, blank=True)
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    how = models.CharField(_("answered how"), max_length=10, choices=How.choices, blank=True)
    # The body's letter, when staff entered the answer from it; its number and date as written.
    letter = models.ForeignKey(
        "files.StoredFile",
        verbose_name=_("letter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    # Raised by every answer and correction: a correction based on an older one is refused.
    version = models.PositiveIntegerField(_("version"), default=0)
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)

    class Meta:
        ordering = ["cycle", "topic__position", "participation__agency__code"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        constraints = [
            models.UniqueConstraint(fields=["participation", "topic"], name="inquiry_unique")
        ]
        indexes = [models.Index(fields=["state", "due_at"], name="inquiry_state_due")]

    def __str__(self) -> str:
        return f"{self.topic} – {self.participation}"

    def is_overdue(self, now: dt.datetime) -> bool:
        return self.state == State.SENT and now >= self.due_at

    def last_day(self) -> dt.date:
        """The last day to answer (Tehran): ``due_at`` is the midnight after it."""
        return (self.due_at.astimezone(TEHRAN) - dt.timedelta(seconds=1)).date()

    def days_late(self, now: dt.datetime) -> int:
        """Whole Tehran days past the last day to answer; 0 when not overdue."""
        if not self.is_overdue(now):
            return 0
        return (now.astimezone(TEHRAN).date() - self.last_day()).days

    @property
    def late(self) -> int:
        """Days late now (for templates, which cannot pass ``now``)."""
        return self.days_late(timezone.now())
