"""Errors that reach the user. Their text is Simplified Chinese and ends up on stderr with exit code 2."""


class GongkaiError(Exception):
    """An error the user can act on; `str(err)` is the Chinese message shown to them."""


class UnreadableInput(GongkaiError):
    """The input file cannot be read as a report (wrong type, bad encoding, too large, damaged)."""


class ProfileError(GongkaiError):
    """A scoring profile is malformed."""
