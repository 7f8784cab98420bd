"""Airings entered by hand: a station without an agent returns its signed printed playlist, and
the office (or the operator) records which numbered entries aired; local notices the operator
added are recorded as unplanned airings.

Event ids are derived from what is recorded, so entering the same paper twice counts once, and a
correction (missed → aired) is a second record that the reports rank above the first.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from broadcaster.db import Database
from broadcaster.domain.airings import Airing, AiringSource, AiringStatus
from broadcaster.domain.errors import InputError
from broadcaster.domain.messages import Msg, _
from broadcaster.domain.playlists import Playlist, PlaylistEntry

from .plans import station_playlist

#: longest unplanned notice a person would enter by hand
MAX_NOTICE = timedelta(hours=3)
_EVENT_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


def parse_positions(text: str, option: str) -> list[int] | None:
    """``1,2,5`` or ``1-3,7`` (the numbers printed in the TT column); ``all``: ``None``."""
    value = text.strip().lower()
    if value in {"all", "tat ca", "tất cả"}:
        return None
    out: list[int] = []
    for part in (p.strip() for p in value.split(",")):
        m = re.fullmatch(r"(\d{1,3})(?:\s*-\s*(\d{1,3}))?", part)
        if not m:
            raise InputError(
                _(
                    "{option} {value!r}: {part!r} is not an entry number; write numbers from "
                    "the TT column like 1,2,5 or 1-3,7 (or 'all')",
                    option=option,
                    value=text,
                    part=part,
                )
            )
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if last < first:
            raise InputError(
                _(
                    "{option} {value!r}: the range {part} runs backwards; write {last}-{first}",
                    option=option,
                    value=text,
                    part=part,
                    last=last,
                    first=first,
                )
            )
        out.extend(n for n in range(first, last + 1) if n not in out)
    return out


def _event_id(*parts: str) -> str:
    readable = "manual-" + "-".join(parts)
    if _EVENT_ID.match(readable):
        return readable
    return "manual-" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:48]


@dataclass(frozen=True)
class Recorded:
    entry: PlaylistEntry | None  # None: an unplanned notice
    airing: Airing
    new: bool  # False: this exact record was already stored


@dataclass(frozen=True)
class Confirmation:
    playlist: Playlist
    version: int
    recorded: tuple[Recorded, ...]


#: what each option of ``confirm`` records
_STATUS_OF = {
    "--aired": AiringStatus.MANUAL,
    "--missed": AiringStatus.MISSED,
    "--partial": AiringStatus.PARTIAL,
}


def confirm_playlist(
    db: Database,
    *,
    station: str,
    day: date,
    operator: str,
    now: datetime,
    aired: Sequence[int] | None = (),
    missed: Sequence[int] = (),
    partial: Sequence[int] = (),
    note: str | None = None,
    numbered: bool = False,
) -> Confirmation:
    """Record the outcome of numbered entries of a station's published playlist for a day.

    ``aired=None`` means every announcement not listed as missed or partial. Numbers are
    entry positions, or with ``numbered`` the printed playlist's TT column (announcements
    only). All or nothing: a number that is not an announcement of that day, an
    entry listed twice, or one that has not started yet stops the whole confirmation.
    """
    operator = _one_line(operator)
    note = _note(note)
    if not operator:
        raise InputError(
            _("say who confirms: --operator NAME (the person who signed the playlist)")
        )
    found = station_playlist(db, station, day, allow_draft=False)
    assert found.version is not None  # allow_draft=False: a published plan or NotFoundError
    playlist = found.playlist
    by_position = {e.position: e for e in playlist.entries}
    announcements = [e for e in playlist.entries if e.item_id is not None]
    day_text = f"{day:%d/%m/%Y}"
    if numbered:
        aired, missed, partial = _numbers_to_positions(playlist, day_text, aired, missed, partial)
    listed = {"--missed": list(missed), "--partial": list(partial)}
    if aired is not None:
        listed["--aired"] = list(aired)
    elif not announcements:
        raise InputError(
            _(
                "the playlist of {station} on {day} has no announcements",
                station=station,
                day=day_text,
            )
        )
    problems, seen = _misnumbered(listed, by_position, day_text)
    if not any(listed.values()) and aired is not None:
        problems.append(_("nothing to record: give --aired, --missed or --partial"))
    if aired is None:
        listed["--aired"] = [e.position for e in announcements if e.position not in seen]
    problems += _not_yet_aired(listed, by_position, now, day_text)
    if problems:
        # the list is text in the reader's language: it is shown as soon as it is raised
        listed_problems = "; ".join(dict.fromkeys(str(p) for p in problems))
        raise InputError(
            _(
                "{station} {day}: nothing was recorded: {problems}",
                station=station,
                day=day_text,
                problems=listed_problems,
            )
        )

    airings = [
        (
            entry,
            _confirmed(entry, _STATUS_OF[option], station, found.version, playlist, operator, note),
        )
        for option, numbers in listed.items()
        for entry in (by_position[n] for n in numbers)
    ]
    airings.sort(key=lambda pair: pair[0].position)
    with db.unit_of_work() as uow:
        result = uow.airings.add_many([a for _entry, a in airings], now)
    accepted = set(result.accepted_ids)
    return Confirmation(
        playlist,
        found.version,
        tuple(Recorded(e, a, a.event_id in accepted) for e, a in airings),
    )


def _numbers_to_positions(
    playlist: Playlist,
    day_text: str,
    aired: Sequence[int] | None,
    missed: Sequence[int],
    partial: Sequence[int],
) -> tuple[list[int] | None, list[int], list[int]]:
    return (
        None if aired is None else _positions(aired, "--aired", playlist, day_text),
        _positions(missed, "--missed", playlist, day_text),
        _positions(partial, "--partial", playlist, day_text),
    )


def _positions(numbers: Sequence[int], option: str, playlist: Playlist, day_text: str) -> list[int]:
    """TT numbers (announcements only) as entry positions, or why one is not on the paper."""
    by_number = {e.number: e.position for e in playlist.entries if e.number is not None}
    wrong = [n for n in numbers if n not in by_number]
    if wrong:
        raise InputError(
            _(
                "{option} {n}: the playlist of {day} numbers its announcements 1–{last} "
                "(chimes, music and relays have no number); nothing was recorded",
                option=option,
                n=wrong[0],
                day=day_text,
                last=max(by_number, default=0),
            )
        )
    return [by_number[n] for n in numbers]


def _misnumbered(
    listed: dict[str, list[int]], by_position: dict[int, PlaylistEntry], day_text: str
) -> tuple[list[Msg], dict[int, str]]:
    """What is wrong with the numbers given (no such entry, not an announcement, given twice),
    and the option each valid number was given to."""
    problems: list[Msg] = []
    seen: dict[int, str] = {}
    for option, numbers in listed.items():
        for n in numbers:
            entry = by_position.get(n)
            if entry is None:
                last = max(by_position, default=0)
                values = {"option": option, "n": n, "day": day_text}
                problems.append(
                    _(
                        "{option} {n}: the playlist of {day} has entries 1–{last}",
                        last=last,
                        **values,
                    )
                    if last
                    else _("{option} {n}: the playlist of {day} has no entries", **values)
                )
            elif entry.item_id is None:
                problems.append(
                    _(
                        "{option} {n}: entry {n} is «{title}», not an announcement "
                        "(relays, chimes and station IDs are not logged)",
                        option=option,
                        n=n,
                        title=entry.title,
                    )
                )
            elif n in seen:
                problems.append(
                    _(
                        "entry {n} is given to both {first} and {second}",
                        n=n,
                        first=seen[n],
                        second=option,
                    )
                )
            else:
                seen[n] = option
    return problems, seen


def _not_yet_aired(
    listed: dict[str, list[int]],
    by_position: dict[int, PlaylistEntry],
    now: datetime,
    day_text: str,
) -> list[Msg]:
    """The announcements listed that are planned later than ``now``."""
    problems = []
    for numbers in listed.values():
        for n in numbers:
            entry = by_position.get(n)
            if entry is not None and entry.item_id is not None and entry.start > now:
                problems.append(
                    _(
                        "entry {n} («{title}») is planned for {time} on {day}, later than now; "
                        "confirm it after it airs",
                        n=n,
                        title=entry.title,
                        time=entry.start.strftime("%H:%M"),
                        day=day_text,
                    )
                )
    return problems


def _confirmed(
    entry: PlaylistEntry,
    status: AiringStatus,
    station: str,
    version: int,
    playlist: Playlist,
    operator: str,
    note: str | None,
) -> Airing:
    """The record of one confirmed entry: aired in full at its planned time, in part, or not."""
    return Airing(
        event_id=_event_id(status.value, entry.entry_id),
        station_code=station,
        status=status,
        planned_start=entry.start,
        actual_start=entry.start if status is not AiringStatus.MISSED else None,
        actual_end=entry.end if status is AiringStatus.MANUAL else None,
        item_id=entry.item_id,
        entry_id=entry.entry_id,
        segment_hash=entry.audio,
        plan_version=version,
        source=AiringSource.MANUAL,
        operator=operator,
        note=note,
        title=entry.title,
        timezone=playlist.timezone,
    )


def _one_line(text: str) -> str:
    """Text typed by a person as one NFC line with single spaces."""
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _note(note: str | None) -> str | None:
    return unicodedata.normalize("NFC", note.strip()) or None if note else None


def record_notice(
    db: Database,
    *,
    station: str,
    day: date,
    start: time,
    title: str,
    minutes: float,
    operator: str,
    now: datetime,
    note: str | None = None,
    audio: str | None = None,
) -> Recorded:
    """Record a local notice the operator aired outside the plan (an unplanned airing).

    ``audio`` is the hash of its recording in the audio cache, when there is one; the event id
    does not depend on it, so the same notice entered from the CLI and the console counts once.
    """
    title = _one_line(title)
    operator = _one_line(operator)
    note = _note(note)
    if not title:
        raise InputError(_("the notice needs a --title (what was announced)"))
    if not operator:
        raise InputError(_("say who aired it: --operator NAME"))
    length = timedelta(minutes=minutes)
    if not timedelta() < length <= MAX_NOTICE:
        raise InputError(
            _(
                "--minutes {minutes:g}: give the notice's length, more than 0 and at most 180",
                minutes=minutes,
            )
        )
    with db.unit_of_work() as uow:
        node = uow.stations.get(station)
        tz_name = uow.stations.tree().clock(station).timezone
    if not node.broadcasts:
        raise InputError(
            _(
                "{name} ({code}) does not air a programme of its own",
                name=node.name,
                code=station,
            )
        )
    local = datetime.combine(day, start, ZoneInfo(tz_name))
    if local > now:
        raise InputError(
            _(
                "{at} is later than now; record a notice after it airs",
                at=local.strftime("%d/%m/%Y %H:%M"),
            )
        )
    airing = Airing(
        event_id=_event_id(station, f"{local.astimezone(UTC):%Y%m%dT%H%M}", _slug(title)),
        station_code=station,
        status=AiringStatus.MANUAL,
        planned_start=None,
        actual_start=local,
        actual_end=local + length,
        segment_hash=audio,
        source=AiringSource.MANUAL,
        operator=operator,
        note=note,
        title=title,
        timezone=tz_name,
    )
    with db.unit_of_work() as uow:
        result = uow.airings.add_many([airing], now)
    return Recorded(None, airing, result.accepted == 1)


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    ascii_only = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", ascii_only).strip("_")[:24] or "thong_bao"
