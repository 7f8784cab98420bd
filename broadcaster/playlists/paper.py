"""What every printed page heads and ends with, laid out as Decree 30/2020/NĐ-CP has it: the
body above and the issuing body with its number on the left, the national title and motto with
place and date on the right; at the foot the recipients beside the signatures.

The weekly plan and the daily playlist both fill a :class:`Letterhead` and render it with the
macros of ``templates/_official.html.j2``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from broadcaster.domain.messages import Msg, _

#: the words that open the name of a commune-level unit inside a station's name
_COMMUNE_WORDS = ("thị trấn", "đặc khu", "phường", "xã")


@dataclass(frozen=True)
class Letterhead:
    """Who issues a printed page and to whom it goes."""

    body: str  # the issuing body ("Đài truyền thanh xã Đắk Sắk")
    above: str = ""  # the body it answers to ("UBND xã Đắk Sắk")
    symbol: str = ""  # the number's symbol: "KH-KV-DAKMIL" prints "Số: ……/KH-KV-DAKMIL"
    place: str | None = None  # where it is signed ("Xã Đắk Sắk")
    recipients: tuple[str, ...] = ()  # "Nơi nhận" before "Lưu: VT."


def commune_of(name: str) -> str | None:
    """The commune-level unit a station's name ends with: "Đài truyền thanh xã Đắk Sắk" →
    "xã Đắk Sắk" (None when the name names none)."""
    words = "|".join(_COMMUNE_WORDS)
    found = re.search(rf"(?:^|\s)((?:{words})\s+\S.*)$", name.strip(), re.IGNORECASE)
    return found.group(1) if found else None


def station_letterhead(
    name: str, code: str, *, above: str | None = None, recipients: tuple[str, ...] = ()
) -> Letterhead:
    """A station's daily playlist: issued by the station, under its commune's People's
    Committee, signed in the commune ("Xã Đắk Sắk")."""
    commune = commune_of(name)
    lower = commune[:1].lower() + commune[1:] if commune else None
    return Letterhead(
        body=name,
        above=above or (f"UBND {lower}" if lower else ""),
        symbol=f"DM-{code}",
        place=lower[:1].upper() + lower[1:] if lower else None,
        recipients=recipients,
    )


def official_date(day: date) -> tuple[str, str]:
    """Day and month as Decree 30 writes them: a day below 10 and the months 1 and 2 with a
    leading zero ("ngày 04 tháng 3", "ngày 15 tháng 02")."""
    return f"{day.day:02d}", f"{day.month:02d}" if day.month <= 2 else str(day.month)


def signed_date(day: date, place: str | None) -> Msg:
    """``Xã Đắk Sắk, ngày 04 tháng 3 năm 2030`` (a dotted line where the place is unknown)."""
    dd, mm = official_date(day)
    return _(
        "{place}, {day}/{month}/{year}", place=place or "……………", day=dd, month=mm, year=day.year
    )
