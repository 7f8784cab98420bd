"""Field types checked at the API's boundary, so no input reaches the database it cannot hold.

Integers fit a 64-bit column, datetimes lie in a sane range, texts hold no NUL (PostgreSQL
refuses it), time zones are real IANA names. A value outside gets a 422 naming its field,
never a 500.
"""

from __future__ import annotations

import functools
import zoneinfo
from datetime import date, datetime
from typing import Annotated

from fastapi import Path
from pydantic import AfterValidator, AwareDatetime, Field, Strict

from broadcaster.domain.messages import Msg, _
from broadcaster.i18n import fmt_date

#: the largest value of a BIGINT: cursors compared in memory, byte counts
MAX_ID = 2**63 - 1
#: the largest value of an INTEGER column (PostgreSQL's is 32 bits); also the bound of an id
#: looked up in one, as PostgreSQL casts the value to the column's type and fails on a larger one
MAX_INT = 2**31 - 1
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def outside_years() -> Msg:
    """Why a day outside the years a database holds is refused."""
    return _(
        "must lie between {earliest} and {latest}",
        earliest=fmt_date(EARLIEST),
        latest=fmt_date(LATEST),
    )


def _sane_datetime(value: datetime) -> datetime:
    if not EARLIEST <= value.date() <= LATEST:
        raise ValueError(
            _(
                "must lie between {earliest} and {latest}; check the clock of the machine "
                "that sent it",
                earliest=fmt_date(EARLIEST),
                latest=fmt_date(LATEST),
            )
        )
    return value


def _sane_date(value: date) -> date:
    if not EARLIEST <= value <= LATEST:
        raise ValueError(outside_years())
    return value


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("must not contain a NUL character (\\u0000)"))
    return value


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _time_zone(value: str) -> str:
    if value not in _zones():
        raise ValueError(
            _(
                "{name} is not a time zone; use an IANA name such as Asia/Ho_Chi_Minh",
                name=repr(value[:64]),
            )
        )
    return value


# The integers of JSON bodies are strict: a JSON number only, so ``false`` or ``"7"`` is
# refused rather than stored as 0 or 7 (a query or path value is text and needs Query/Path).
#: a count or number stored in an INTEGER column
DbInt = Annotated[int, Strict(), Field(ge=0, le=MAX_INT)]
#: an id stored in an INTEGER column, or looked up by one
DbId = Annotated[int, Strict(), Field(ge=1, le=MAX_INT)]
#: a large count stored in a BIGINT column (bytes)
BigCount = Annotated[int, Strict(), Field(ge=0, le=MAX_ID)]
SaneDatetime = Annotated[AwareDatetime, AfterValidator(_sane_datetime)]
SaneDate = Annotated[date, AfterValidator(_sane_date)]
TimeZoneName = Annotated[str, Field(max_length=64), AfterValidator(_time_zone)]
#: put on a text field: ``Annotated[str, Field(max_length=200), NoNul]``
NoNul = AfterValidator(_no_nul)
#: a text that may reach the database: ``Annotated[Text, Field(max_length=200)]``
Text = Annotated[str, NoNul]
#: a station or office code in a path, as stored (no NUL, at most 64 characters)
StationCodePath = Annotated[
    str, Path(min_length=1, max_length=64, description="station code"), NoNul
]
