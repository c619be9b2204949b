"""Reading MoUs: the version in force and its targets."""

from decimal import Decimal

from karnameh.cycles.models import Participation

from .models import Agreement, AgreementStatus, Target

IN_FORCE = (AgreementStatus.AGREED, AgreementStatus.IMPOSED)


def current_agreement(participation: Participation) -> Agreement | None:
    """The latest version agreed by both sides or set by the organization; None before that."""
    return (
        Agreement.objects.filter(participation=participation, status__in=IN_FORCE)
        .order_by("-version")
        .first()
    )


def agreed_targets(participation: Participation) -> dict[tuple[str, str], Decimal]:
    """Targets in force by (part, gauge code); one query. Empty until an MoU is in force."""
    rows = Target.objects.filter(
        agreement__participation=participation, agreement__status__in=IN_FORCE
    ).order_by("agreement__version")
    # Later versions overwrite earlier ones; only one version is in force at a time, but a
    # superseded row left behind must never win.
    return {(row.part, row.gauge_code): row.value for row in rows}
