"""The station board: every airing station under a node with its agent's state, offline
first, and the stations silent during one of their sessions for longer than allowed.

The state comes from each agent's last heartbeat (``POST /stations/{code}/heartbeat``), the
newest airing record the office received from it (its last sync), and its station tokens
(when the newest stops working). A station is *silent in a session* when the broadcast clock
says it should be on air now and no heartbeat has come for ``silence`` — the alert the board
raises and, where ``[mail]`` is set, mails to the office once per station and session.
"""

from __future__ import annotations

import logging
import smtplib
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import col, select

from broadcaster.db import Database
from broadcaster.db.mapping import aware
from broadcaster.db.presence_repo import PresenceRepository
from broadcaster.db.tables_airings import AiringRow
from broadcaster.db.tables_distribution import ApiTokenRow
from broadcaster.domain.airings import Airing
from broadcaster.domain.clock import Clock
from broadcaster.domain.distribution import Heartbeat, Scope
from broadcaster.domain.errors import ConfigError, NotFoundError
from broadcaster.domain.messages import _
from broadcaster.domain.presence import Gap, Presence, gaps
from broadcaster.domain.stations import Session, Station, StationTree

log = logging.getLogger("broadcaster.stations")


@dataclass(frozen=True)
class MailSettings:
    """The ``[mail]`` settings section (``BROADCASTER_MAIL_*``): where alerts are mailed."""

    #: the SMTP server; empty: no e-mail is sent
    host: str = ""
    port: int = 25
    #: the From address
    sender: str = "broadcaster@localhost"
    #: the office's addresses, comma-separated
    office_to: tuple[str, ...] = ()
    username: str = ""
    password: str = ""
    starttls: bool = False
    timeout_seconds: float = 10.0

    def __post_init__(self) -> None:
        if not 1 <= self.port <= 65535:
            raise ConfigError(_("[mail] port = {n} is out of range; use 1 to 65535", n=self.port))

    @property
    def configured(self) -> bool:
        return bool(self.host and self.office_to)


@dataclass(frozen=True)
class Silence:
    """A station that has said nothing during one of its sessions for too long."""

    session: Session
    day: date
    since: datetime

    @property
    def key(self) -> str:
        return f"{self.day.isoformat()} {self.session.start_minute}"


@dataclass(frozen=True)
class StationState:
    station: Station
    parent_name: str
    heartbeat: Heartbeat | None
    online: bool
    last_sync: datetime | None
    token_expires_at: datetime | None
    has_token: bool
    silence: Silence | None = None
    #: the loudspeaker clusters with an agent (a station token) that play this programme
    clusters: tuple[StationState, ...] = ()

    @property
    def code(self) -> str:
        return self.station.code

    @property
    def clusters_online(self) -> int:
        return sum(1 for c in self.clusters if c.online)

    @property
    def offline_since(self) -> datetime | None:
        return None if self.online or self.heartbeat is None else self.heartbeat.seen_at


def session_now(tree: StationTree, code: str, now: datetime) -> tuple[Session, date] | None:
    """The session of ``code``'s broadcast clock on air at ``now``, with its local day."""
    clock = tree.clock(code)
    local = now.astimezone(ZoneInfo(clock.timezone))
    minute = local.hour * 60 + local.minute + local.second / 60
    for session in clock.sessions_on(local.isoweekday()):
        if session.start_minute <= minute < session.end_minute:
            return session, local.date()
    return None


def silence_of(
    tree: StationTree, code: str, heartbeat: Heartbeat | None, now: datetime, silence: timedelta
) -> Silence | None:
    """The session in which ``code`` has been silent longer than ``silence``, if any."""
    found = session_now(tree, code, now)
    if found is None:
        return None
    session, day = found
    tz = ZoneInfo(tree.clock(code).timezone)
    start = datetime.combine(day, session.start, tz)
    since = max(start, heartbeat.seen_at) if heartbeat else start
    return Silence(session, day, since) if now - since > silence else None


def _last_syncs(db: Database, codes: Sequence[str]) -> dict[str, datetime]:
    with db.unit_of_work() as uow:
        rows = uow.session.exec(
            select(AiringRow.station_code, func.max(AiringRow.received_at))
            .where(col(AiringRow.station_code).in_(list(codes)))
            .group_by(col(AiringRow.station_code))
        ).all()
    return {code: at for code, at in rows if at is not None}


def _token_expiry(db: Database, codes: Sequence[str]) -> dict[str, datetime | None]:
    """The station tokens in use per station: when the last one stops (None: never)."""
    out: dict[str, datetime | None] = {}
    with db.unit_of_work() as uow:
        rows = uow.session.exec(
            select(ApiTokenRow.station_code, ApiTokenRow.expires_at)
            .where(col(ApiTokenRow.station_code).in_(list(codes)))
            .where(col(ApiTokenRow.scope) == Scope.STATION.value)
            .where(col(ApiTokenRow.revoked_at).is_(None))
        ).all()
    for code, expires in rows:
        if code in out and out[code] is None:
            continue
        known = out.get(code)
        out[code] = None if expires is None else max(aware(expires) or expires, known or expires)
    return out


#: the station tree with its clocks, read again after this many seconds (loading every clock
#: of a national tree takes a second; the board is polled every few seconds)
TREE_SECONDS = 60.0
_trees: dict[tuple[int, str], tuple[float, StationTree]] = {}
_trees_lock = threading.Lock()


def _tree(db: Database) -> StationTree:
    now = time.monotonic()
    key = (id(db), str(getattr(db, "url", "")))
    with _trees_lock:
        known = _trees.get(key)
        if known is not None and now - known[0] < TREE_SECONDS:
            return known[1]
    with db.unit_of_work() as uow:
        tree = uow.stations.tree()
    with _trees_lock:
        _trees[key] = (now, tree)
    return tree


def station_board(
    db: Database,
    clock: Clock,
    node: str,
    *,
    online_window: timedelta,
    silence: timedelta,
) -> list[StationState]:
    """Every airing station under ``node`` (itself included): silent in a session first,
    then offline (the longest silent first), then online, by name."""
    tree = _tree(db)
    if node not in tree:
        raise NotFoundError(_("unknown station {code!r}", code=node))
    stations = tree.broadcasting_under(node)
    followers = {s.code: tree.followers(s.code) for s in stations}
    codes = [s.code for s in stations] + [c.code for f in followers.values() for c in f]
    with db.unit_of_work() as uow:
        beats = uow.heartbeats.for_stations(codes)
    syncs = _last_syncs(db, codes)
    tokens = _token_expiry(db, codes)
    now = clock.now()

    def state_of(s: Station, clusters: tuple[StationState, ...] = ()) -> StationState:
        hb = beats.get(s.code)
        return StationState(
            station=s,
            parent_name=tree.get(s.parent).name if s.parent and s.parent in tree else "",
            heartbeat=hb,
            online=hb is not None and hb.online(now, online_window),
            last_sync=syncs.get(s.code),
            token_expires_at=tokens.get(s.code),
            has_token=s.code in tokens,
            silence=silence_of(tree, s.code, hb, now, silence),
            clusters=clusters,
        )

    out = []
    for s in stations:
        devices = [state_of(c) for c in followers[s.code] if c.code in tokens]
        devices.sort(key=lambda st: (st.online, st.station.name))
        out.append(state_of(s, tuple(devices)))
    oldest = datetime.min.replace(tzinfo=now.tzinfo)
    return sorted(
        out,
        key=lambda st: (
            st.silence is None,
            st.online,
            st.heartbeat.seen_at if st.heartbeat else oldest,
            st.station.name,
        ),
    )


def cluster_board(
    db: Database,
    clock: Clock,
    node: str | None,
    *,
    online_window: timedelta,
    silence: timedelta,
) -> list[StationState]:
    """The stations under ``node`` (the whole tree when None) that have loudspeaker clusters
    with an agent, by name, each with its clusters (offline first)."""
    if node is None:
        with db.unit_of_work() as uow:
            nodes = [s.code for s in uow.stations.outline().roots()]
    else:
        nodes = [node]
    found = [
        st
        for n in nodes
        for st in station_board(db, clock, n, online_window=online_window, silence=silence)
        if st.clusters
    ]
    return sorted(found, key=lambda st: st.station.name)


@dataclass(frozen=True)
class StationHistory:
    state: StationState
    airings: list[Airing]
    since: datetime
    #: stretches of heartbeats, newest first
    heard: list[Presence]
    #: the silences between them longer than the online window, newest first
    silences: list[Gap]


def station_history(
    db: Database,
    clock: Clock,
    node: str,
    code: str,
    *,
    online_window: timedelta,
    silence: timedelta,
    days: int = 3,
) -> StationHistory:
    """One station of ``node``'s board with its airings of the last ``days`` days, newest
    first; a station outside ``node`` is not found."""
    board = station_board(db, clock, node, online_window=online_window, silence=silence)
    everyone = [x for s in board for x in (s, *s.clusters)]
    state = next((s for s in everyone if s.code == code), None)
    if state is None:
        raise NotFoundError(_("no station {code} among yours", code=code))
    now = clock.now()
    since = now - timedelta(days=days)
    with db.unit_of_work() as uow:
        airings = uow.airings.list(stations=[code], start=since)
        heard = PresenceRepository(uow.session).since(code, since)
    airings.sort(key=lambda a: a.actual_start or a.planned_start or since, reverse=True)
    silent = gaps(heard, online_window, now)
    return StationHistory(state, airings, since, heard[::-1], silent[::-1])


# --- alerts by e-mail --------------------------------------------------------------------------


def alert_message(mail: MailSettings, state: StationState, tz: ZoneInfo) -> EmailMessage:
    assert state.silence is not None
    since = state.silence.since.astimezone(tz)
    msg = EmailMessage()
    msg["From"] = mail.sender
    msg["To"] = ", ".join(mail.office_to)
    msg["Subject"] = str(_("Station {name} is silent during its session", name=state.station.name))
    msg.set_content(
        str(
            _(
                "{name} ({code}) has not been heard from since {since} during the session "
                "{session}. Check the station's agent and its connection.",
                name=state.station.name,
                code=state.code,
                since=since.strftime("%d/%m/%Y %H:%M"),
                session=state.silence.session.describe(),
            )
        )
    )
    return msg


class SilenceMail:
    """The silences one server has mailed the office about, so that each station's silence in
    a session is mailed once. Kept by the server (a restarted server may mail one again)."""

    def __init__(self) -> None:
        self._mailed: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    def send(self, mail: MailSettings, board: Sequence[StationState], timezone: str) -> int:
        """Mail each silence of ``board`` not mailed yet; returns how many messages went out."""
        if not mail.configured:
            return 0
        todo = []
        with self._lock:
            for st in board:
                if st.silence is not None and (st.code, st.silence.key) not in self._mailed:
                    self._mailed.add((st.code, st.silence.key))
                    todo.append(st)
        return sum(self._send_one(mail, st, ZoneInfo(timezone)) for st in todo)

    def _send_one(self, mail: MailSettings, st: StationState, tz: ZoneInfo) -> bool:
        assert st.silence is not None
        try:
            with smtplib.SMTP(mail.host, mail.port, timeout=mail.timeout_seconds) as smtp:
                if mail.starttls:
                    smtp.starttls()
                if mail.username:
                    smtp.login(mail.username, mail.password)
                smtp.send_message(alert_message(mail, st, tz))
        except (OSError, smtplib.SMTPException) as exc:
            with self._lock:  # try again at the next look
                self._mailed.discard((st.code, st.silence.key))
            log.warning(
                str(
                    _(
                        "the silence alert for {code} was not mailed: {error}",
                        code=st.code,
                        error=exc,
                    )
                )
            )
            return False
        return True


def silent_everywhere(
    db: Database, clock: Clock, *, online_window: timedelta, silence: timedelta
) -> list[StationState]:
    """The stations silent in a session, over the whole tree (for the alert mail)."""
    with db.unit_of_work() as uow:
        roots = [s.code for s in uow.stations.outline().roots()]
    found = []
    for root in roots:
        board = station_board(db, clock, root, online_window=online_window, silence=silence)
        found += [s for s in board if s.silence is not None]
    return found
