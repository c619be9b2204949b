"""Who may do what in jobs (merged into accounts.permissions.RULES).

Starting a job is decided by its kind's own action on the cycle (registry.Kind.action), asked by
``services.job_start``; these rules cover the job once it exists.
"""

from typing import Any

from karnameh.accounts.models import Role
from karnameh.accounts.permissions import Rule, grants, has_role


def _own(user: Any, job: Any) -> bool:
    return bool(grants(user)) and job.requested_by_id == user.pk


def _downloads(user: Any, job: Any) -> bool:
    """The requester only, and only while they still hold the kind's action on the cycle."""
    from karnameh.accounts.permissions import may

    from .registry import get_kind

    kind = get_kind(job.kind)
    return _own(user, job) and kind is not None and may(user, kind.action, job.cycle)


RULES: dict[str, Rule] = {
    "job.list": lambda u, _o: bool(grants(u)),
    # The administrator watches every job (a stuck worker shows up here); others their own.
    "job.view": lambda u, job: has_role(u, Role.ADMIN) or _own(u, job),
    "job.download": _downloads,
}
