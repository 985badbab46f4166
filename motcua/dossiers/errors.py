"""Errors of dossier services, each with a message for the person who acted (Vietnamese, then English)."""


class DossierError(Exception):
    """A request that cannot be carried out; nothing was changed."""

    status_code = 400

    def __init__(self, message: str, *, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class InvalidInput(DossierError):
    status_code = 422


class NotAllowed(DossierError):
    """The person may not do this to this dossier."""

    status_code = 403


class WrongState(DossierError):
    """The dossier is not in a state that allows this action."""

    status_code = 409


class Conflict(WrongState):
    """Someone else changed the dossier first."""
