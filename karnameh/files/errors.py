"""The refusal the content checks raise; the upload service turns it into a DomainError."""


class Refused(Exception):
    """The content is not accepted. ``problem`` is a translated phrase for the person."""

    def __init__(self, problem: str, *, code: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.code = code
