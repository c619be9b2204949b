"""Released cycles as rows, with exactly the scores a test needs (ties, last year).

The services that fix and publish results are tested in ``results``; here the portal only
reads what they write, so the rows are written directly: ``fixed(cycle, {"AR-ED": (80, 500,
300)})`` gives AR-ED a final score of 80 with 500 of 600 general and 300 of 400 specific
points, and two general axes; ``release(cycle)`` publishes.
"""

from decimal import Decimal

from django.utils import timezone

from karnameh.accounts.models import User
from karnameh.cycles.models import Cycle
from karnameh.cycles.tests.builders import open_cycle, participation
from karnameh.results.models import Release, Result

GENERAL_MAX = 600
SPECIFIC_MAX = 400
AXES = (("1", "مدیریت منابع", 0.6), ("2", "خدمت‌رسانی", 0.4))


def fixed(cycle: Cycle, scores: dict[str, tuple[float, float, float | None]]) -> None:
    now = timezone.now()
    for code, (final, general, specific) in scores.items():
        Result.objects.create(
            participation=participation(cycle, code),
            self_total=Decimal(str(final)),
            general=Decimal(str(general)),
            general_max=GENERAL_MAX,
            specific=None if specific is None else Decimal(str(specific)),
            specific_max=None if specific is None else SPECIFIC_MAX,
            final=Decimal(str(final)),
            fixed_at=now,
            axes=[
                {
                    "part": "general",
                    "code": axis,
                    "title": title,
                    "score": round(general * share, 2),
                    "max": GENERAL_MAX * share,
                    "self": round(general * share, 2),
                }
                for axis, title, share in AXES
            ],
        )


def release(cycle: Cycle) -> Release:
    return Release.objects.create(
        cycle=cycle, released_by=User.objects.get(username="staff"), released_at=timezone.now()
    )


def released(
    year: int, scores: dict[str, tuple[float, float, float | None]], *, published: bool = True
) -> Cycle:
    cycle = open_cycle(year=year, agencies=scores)
    fixed(cycle, scores)
    if published:
        release(cycle)
    return cycle
