"""Domain errors carry a message for the person; pages show it, the API returns it."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


class DomainError(Exception):
    """A refused action. ``message`` is shown to the user as is (already translated)."""

    status_code = 400

    def __init__(self, message: str, *, code: str = "refused") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class Forbidden(DomainError, PermissionDenied):
    """Also a PermissionDenied, so pages answer 403 through Django's own handler."""

    status_code = 403

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("You are not allowed to do this."), code="forbidden")
