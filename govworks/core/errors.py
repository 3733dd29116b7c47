"""Domain refusals: a stable code for programs and a Chinese message for the clerk."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the action. Nothing was changed.

    ``code`` is stable (tests and the API use it); ``message`` names the rule and the number that was
    violated, in words a clerk understands; ``field`` names the form field when one is to blame.
    """

    def __init__(self, code: str, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message
