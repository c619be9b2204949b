from django.http import HttpRequest
from ninja import Router, Schema

from .permissions import grants

router = Router(tags=["accounts"])


class GrantOut(Schema):
    role: str
    province_id: int | None
    agency_id: int | None
    assessing_body_id: int | None


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[GrantOut]


@router.get("/me", response=MeOut, summary="The signed-in user and their roles")
def me(request: HttpRequest) -> dict[str, object]:
    user = request.user
    return {
        "username": user.get_username(),
        "display_name": user.display_name,  # type: ignore[union-attr]
        "roles": [g.__dict__ for g in grants(user)],
    }
