"""The one domain error of dinsos_sync; messages are Indonesian, through gettext."""


class SyncError(Exception):
    """A registry action that is not possible; the message is shown to the user."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class RegistryUnavailable(SyncError):
    """The registry did not answer usefully (down, too slow, overloaded or garbled):
    the check waits and is tried again later."""
