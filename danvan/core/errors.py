"""Errors services raise that are not about a single bad field."""


class Conflict(Exception):
    """Someone else changed the record first (optimistic locking): reload and try again. HTTP 409."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
