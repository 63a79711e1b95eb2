"""Errors the tool reports to people, each with the exit code scripts rely on."""


class ActionTrackError(Exception):
    """An error said to a person in one line, with the exit code a script can test."""

    exit_code = 2

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BadInput(ActionTrackError):
    """Usage, bad date, unknown reference, invalid value: exit 2."""

    exit_code = 2


class StoreProblem(ActionTrackError):
    """Missing, corrupt, locked or read-only store: exit 3."""

    exit_code = 3


class MailProblem(ActionTrackError):
    """The mail server could not be reached, or refused us: exit 3, like a store that
    cannot be reached (the trouble is where the data goes, not what was typed)."""

    exit_code = 3
