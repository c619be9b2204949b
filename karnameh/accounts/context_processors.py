from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .navigation import menu_for
from .permissions import TOTP_ROLES, has_role


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "account_links": []}
    # The person's own sign-in settings, beside their name rather than in the main menu.
    links = [{"url": reverse("accounts:password-change"), "label": _("Change password")}]
    if has_role(user, *TOTP_ROLES):
        links.append({"url": reverse("accounts:two-step"), "label": _("Two-step sign-in")})
    return {"menu": menu_for(user, request.path), "account_links": links}
