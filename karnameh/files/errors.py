"""The refusal the content checks raise; the upload service turns it into a DomainError."""

from django.utils.translation import gettext as _


class Refused(Exception):
    """The content is not accepted. ``problem`` is a translated phrase for the person."""

    def __init__(self, problem: str, *, code: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.code = code


def macros() -> Refused:
    """Office files of either family, old or new, say the same about macros."""
    return Refused(
        _("it is an Office file with macros, which may run programs; save it without macros."),
        code="macros",
    )
