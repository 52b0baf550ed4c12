"""Errors a user sees as one line: the file, then the problem."""
from __future__ import annotations


class PublisherError(Exception):
    """A problem the user can act on; printed as one line, never a traceback."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class InputError(PublisherError):
    """The input file cannot be turned into an article."""


class EngineError(PublisherError):
    """The speech engine or voice is missing or failed."""


class ConfigError(PublisherError):
    """The configuration or command line is wrong."""


def error_line(exc: BaseException) -> str:
    """The one line an article's failure is reported with: a problem the user can
    act on as stated, anything else as an internal error (a bug, not their input)."""
    if isinstance(exc, PublisherError):
        return exc.message
    return f"internal error: {type(exc).__name__}: {exc}"
