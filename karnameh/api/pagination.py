"""Paginated lists with upper bounds on ``limit`` and ``offset``.

Ninja's own pagination takes any integer: an offset beyond 2**63 made the database refuse the
query (a 500 on SQLite and on PostgreSQL). Here a number out of bounds is a 422 like any other
invalid parameter.
"""

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

# Far beyond any list here, and within what every database counts in.
LARGEST = 2**31 - 1


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=LARGEST)
        offset: int = Field(0, ge=0, le=LARGEST)
