"""The kinds of job there are: each app registers its own in its ``jobs.py`` module.

    from karnameh.jobs.registry import Output, Progress, job_kind

    @job_kind("reports.cards", label=_("The province's report cards"), action="results.view")
    def cards(job: Job, progress: Progress) -> Output:
        ...
        progress(done, total)           # as often as you like: the runner throttles the writes
        return "cards.zip", content, "application/zip"

``action`` is a permission action (a key of ``RULES``) checked against the job's cycle: the
requester must hold it to start the job and, still, to download what it produced. The function
runs in the worker, outside any transaction; an exception fails the job (a ``DomainError``'s
message is shown to the requester, anything else is logged and replaced by a generic one).
``JobsConfig.ready()`` imports every installed app's ``jobs`` module, so the decorator has run
before the first request or task.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.utils.functional import Promise

if TYPE_CHECKING:
    from .models import Job

Progress = Callable[[int, int], None]  # progress(done, total)
Output = tuple[str, bytes, str]  # (file name, content, content type)
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Kind:
    name: str
    label: str | Promise
    action: str
    run: Callable[[Job, Progress], Output]


KINDS: dict[str, Kind] = {}


def job_kind(name: str, *, label: str | Promise, action: str) -> Callable[[F], F]:
    """Register ``fn(job, progress) -> (file name, content, content type)`` under ``name``."""

    def register(fn: F) -> F:
        held = KINDS.get(name)
        # The same function registered again (a module imported twice) is harmless; two
        # functions under one name would make the job run whichever was imported last.
        if held is not None and _path(held.run) != _path(fn):
            raise RuntimeError(
                f"job kind {name!r} registered twice: {_path(held.run)}, {_path(fn)}"
            )
        KINDS[name] = Kind(name=name, label=label, action=action, run=fn)
        return fn

    return register


def get_kind(name: str) -> Kind | None:
    return KINDS.get(name)


def _path(fn: Callable[..., Any]) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"
