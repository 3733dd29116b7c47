"""Pure decisions of 投诉举报 (no Django): what a complaint is waiting for, whether it is overdue, and the
shape of tracking codes and query passwords."""

from __future__ import annotations

import datetime as dt
import secrets

RECEIVED = "received"
ACCEPTED = "accepted"
REJECTED = "rejected"
REPLIED = "replied"
CLOSED = "closed"

#: the states in which the reporter's query shows a published answer (the reply, or the reason for refusing)
ANSWERED = frozenset({REJECTED, REPLIED, CLOSED})

#: base32 alphabet (RFC 4648): 16 characters carry 80 random bits
CODE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
CODE_LENGTH = 16
#: the query password: no characters easily confused when read off a screen (0/O, 1/I/l)
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105  (an alphabet, not a password)
PASSWORD_LENGTH = 10


def new_tracking_code() -> str:
    """An unguessable tracking code: 16 base32 characters from the operating system's CSPRNG."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_query_password() -> str:
    """A query password of 10 characters from the CSPRNG (about 49 bits), shown to the reporter once."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def normalised_code(code: str) -> str:
    """The code as typed, without spaces or dashes, in upper case; 0/1/8 (not in the base32 alphabet) read as
    the letters O/I/B a person mistook them for."""
    text = "".join(ch for ch in (code or "").upper() if ch.isalnum())[:32]
    return text.translate(str.maketrans("018", "OIB"))


def accept_overdue(status: str, accept_due: dt.date, today: dt.date) -> bool:
    """Still waiting for 受理 after its deadline (the deadline day itself is in time)."""
    return status == RECEIVED and today > accept_due


def reply_overdue(status: str, reply_due: dt.date | None, today: dt.date) -> bool:
    """Accepted, not yet answered, after the reply deadline."""
    return status == ACCEPTED and reply_due is not None and today > reply_due


def overdue(status: str, accept_due: dt.date, reply_due: dt.date | None, today: dt.date) -> bool:
    return accept_overdue(status, accept_due, today) or reply_overdue(status, reply_due, today)


def hourly_limit_reached(submitted_in_last_hour: int, limit: int) -> bool:
    """True when one more submission from the same source would exceed ``limit`` an hour."""
    return submitted_in_last_hour >= limit
