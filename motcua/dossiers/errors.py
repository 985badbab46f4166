"""Errors of dossier services, each with a message for the person who acted (in their language)."""

from django.utils.translation import gettext as _


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
    """Someone else changed the dossier first (the caller's revision is stale)."""

    def __init__(self, message: str = "", **kwargs):
        super().__init__(message or conflict_message(), **kwargs)


def conflict_message() -> str:
    return _("Hồ sơ vừa được người khác xử lý; vui lòng tải lại trang.")


def required(field: str) -> InvalidInput:
    """A required value is missing: the message names nothing, the field carries it."""
    return InvalidInput(_("Vui lòng nhập đủ thông tin bắt buộc."), errors={field: [_("Bắt buộc.")]})
