"""Demo step: the published week played through on a virtual clock, in seconds.

Every station with an agent runs the agent's own parts (pull, playout, the emergency watch,
the outbox) against the served API, each on a clock of its own that the simulated player
moves on by each file's length. A discrete-event loop hands out the week's moments in order:
the daily pull, each entry's start, the end of each session (when the outbox is sent), the
emergency bulletin. Nothing waits for the wall clock, so the same week gives the same figures
on every run and machine.

What happens in the week, so that the report has something to tell:
- one station is offline on Tuesday: it plays from what it pulled before, keeps its logs and
  sends them on Wednesday;
- an emergency bulletin interrupts Wednesday morning's session at the stations with agents;
- the station without an agent returns its signed paper playlist (the next step).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from broadcaster import __version__
from broadcaster.agent.bulletins import PlayoutDeps
from broadcaster.agent.client import StationClient
from broadcaster.agent.commands import Commands
from broadcaster.agent.device import Device
from broadcaster.agent.emergencies import EmergencyWatch
from broadcaster.agent.folder import LocalFolder
from broadcaster.agent.player import SimulatedPlayer
from broadcaster.agent.playlist import load_document, read_playlist
from broadcaster.agent.playout import Playout
from broadcaster.agent.pull import ensure_audio, pull_from_server
from broadcaster.agent.store import LocalStore
from broadcaster.agent.sync import OutboxSync
from broadcaster.domain.clock import FixedClock
from broadcaster.domain.distribution import Scope
from broadcaster.domain.errors import BroadcasterError
from broadcaster.domain.messages import _
from broadcaster.domain.planning import WeeklyPlan
from broadcaster.domain.playout import PlayoutEntry, timeline
from broadcaster.domain.stations import StationKind
from broadcaster.i18n import fmt_date, fmt_time

if TYPE_CHECKING:
    from . import DemoRun

#: when the stations pull the day's playlist (and the next day's)
PULL_AT = clock_time(0, 30)
#: the emergency: Wednesday (weekday 2), during the day's first announcement
BULLETIN_DAY, BULLETIN_AT = 2, clock_time(5, 40)
#: Thursday at this time the office sets the second cluster's volume to VOLUME
COMMAND_AT, VOLUME = clock_time(8, 0), 5
#: the station offline for a day (its index among the stations with agents) and which day
OFFLINE_STATION, OFFLINE_DAY = 2, 1
#: a gap this long after an entry ends a session: the agent sends its logs then
SESSION_GAP = timedelta(minutes=10)
GRACE = timedelta(seconds=30)


@dataclass
class StationAgent:
    """One station's agent, its parts wired as ``broadcaster agent run`` wires them."""

    code: str
    clock: FixedClock
    folder: LocalFolder
    store: LocalStore
    playout: Playout
    watch: EmergencyWatch
    sync: OutboxSync
    token: str
    #: the office's address
    online: str
    #: where the agent reaches the office today: a closed port while it is cut off
    server: str = ""
    offline_on: date | None = None
    #: the bulletins aimed at this station, and the office that delivers them
    bulletins: list[Bulletin] = field(default_factory=list)
    deliver: Callable[[StationAgent, Bulletin], None] | None = None
    delivered: set[int] = field(default_factory=set)
    woken: bool = False
    #: a bulletin was taken: its acknowledgements go out at once, not at the session's end
    ack_due: bool = False
    commands: Commands | None = None
    device: Device | None = None

    def due_bulletin(self, start: datetime, end: datetime) -> Bulletin | None:
        """A bulletin not delivered yet whose moment falls within [start, end)."""
        for n, b in enumerate(self.bulletins):
            if n not in self.delivered and start <= b.at < end:
                return b
        return None

    def client(self) -> StationClient:
        return StationClient(self.server, self.token, self.code, timeout=10)

    def close(self) -> None:
        self.store.close()


@dataclass
class Bulletin:
    """A bulletin the office sends during the week, and the stations it is aimed at."""

    at: datetime
    targets: tuple[str, ...]
    title: str
    text: str
    id: int | None = None
    interrupted: list[str] = field(default_factory=list)
    aired_at: list[str] = field(default_factory=list)


@dataclass
class WeekFigures:
    """What the week did, for the closing lines."""

    entries: int = 0
    bulletins: list[Bulletin] = field(default_factory=list)
    #: (cluster, volume its heartbeat reported after the office's command)
    volume: tuple[str, int | None] | None = None


def step_week(run: DemoRun) -> None:
    """Demo step: the published week, played by every station's agent on a virtual clock."""
    app = run.app
    plan, office = run.notes.get("plan"), run.notes.get("office")
    clock = app.clock
    if not isinstance(plan, WeeklyPlan) or not isinstance(office, str):
        return
    if not isinstance(clock, FixedClock):
        return
    monday = plan.monday
    run.heading(
        _(
            "The week {start}–{end} on a virtual clock: every agent plays its sessions",
            start=fmt_date(monday),
            end=fmt_date(monday + timedelta(days=6)),
        )
    )
    with app.database.unit_of_work() as uow:
        tree = uow.stations.tree()
    stations = [s.code for s in tree.broadcasting_under(office)]
    paper = stations[1] if len(stations) > 1 else None
    with_agents = [c for c in stations if c != paper]
    run.notes["paper_station"] = paper
    run.notes["communes"] = list(with_agents)
    # two loudspeaker clusters of the first commune run agents of their own
    clusters = [c.code for c in tree.children(with_agents[0]) if c.kind is StationKind.CLUSTER]
    with_agents += clusters[:2]
    tz = ZoneInfo(tree.clock(office).timezone)
    server, thread, url = _serve(app)
    figures = WeekFigures()
    agents: list[StationAgent] = []
    try:
        agents = _agents(run, with_agents, url, tz, monday)
        _say_cast(run, agents, paper, tz)
        _run_week(run, agents, office, monday, tz, figures)
    finally:
        for agent in agents:
            agent.close()
        server.should_exit = True
        thread.join(timeout=10)
    _say_week(run, agents, figures, tz)
    clock.set(datetime.combine(monday + timedelta(days=7), clock_time(8, 0), tz))


def _agents(
    run: DemoRun, codes: list[str], url: str, tz: ZoneInfo, monday: date
) -> list[StationAgent]:
    from broadcaster.usecases.tokens import create_token

    app = run.app
    out = []
    for n, code in enumerate(codes):
        token = create_token(
            app.database,
            app.clock,
            scope=Scope.STATION,
            station_code=code,
            label=str(_("demo agent")),
        ).secret
        offline = monday + timedelta(days=OFFLINE_DAY) if n == OFFLINE_STATION else None
        out.append(_agent(run, code, token, url, tz, offline))
    return out


def _agent(
    run: DemoRun, code: str, token: str, url: str, tz: ZoneInfo, offline: date | None
) -> StationAgent:
    clock = FixedClock(run.app.clock.now())
    folder = LocalFolder(run.out / "stations" / code).ensure()
    store = LocalStore(folder.state_db)
    holder: dict[str, StationAgent] = {}

    def interrupt(start: datetime, end: datetime, _stop: threading.Event) -> datetime | None:
        agent = holder["agent"]
        due = agent.due_bulletin(start, end)
        if due is None or agent.deliver is None:
            return None
        agent.deliver(agent, due)
        return due.at

    def fetch(audio_hash: str) -> Any:
        from broadcaster.agent.playlist import AudioRef

        with holder["agent"].client() as client:
            return ensure_audio(client, folder, AudioRef(audio_hash))

    def woken() -> None:
        holder["agent"].woken = True

    deps = PlayoutDeps(
        station=code,
        folder=folder,
        store=store,
        clock=clock,
        player=SimulatedPlayer(clock, interrupt),
        tz=tz,
        fetch_audio=fetch,
        wake_sync=woken,
    )
    playout = Playout(deps, grace=GRACE, sleep=lambda s: clock.advance(timedelta(seconds=s)))
    agent = StationAgent(
        code=code,
        clock=clock,
        folder=folder,
        store=store,
        playout=playout,
        watch=EmergencyWatch(
            make_client=lambda: holder["agent"].client(),
            folder=folder,
            store=store,
            clock=clock,
            sink=playout,
            stopping=playout.stopping,
        ),
        sync=OutboxSync(
            make_client=lambda: holder["agent"].client(),
            store=store,
            clock=clock,
            max_backoff=timedelta(minutes=30),
            jitter=lambda: 0.0,
        ),
        token=token,
        online=url,
        server=url,
        offline_on=offline,
    )
    agent.device = Device(store, deps.player)
    agent.commands = Commands(
        station=code,
        store=store,
        clock=clock,
        device=agent.device,
        playout=playout,
        fetch_audio=lambda h: folder.audio_path(h) or fetch(h),
        wake_sync=woken,
        timezone=str(tz),
    )
    holder["agent"] = agent
    return agent


# --- the week, moment by moment ------------------------------------------------------------


@dataclass(order=True)
class _Moment:
    at: datetime
    seq: int
    kind: str = field(compare=False)
    agent: StationAgent | None = field(compare=False, default=None)
    what: Any = field(compare=False, default=None)


def _run_week(
    run: DemoRun,
    agents: list[StationAgent],
    office: str,
    monday: date,
    tz: ZoneInfo,
    figures: WeekFigures,
) -> None:
    seq = itertools.count()
    moments: list[_Moment] = []
    for n in range(7):
        day = monday + timedelta(days=n)
        for agent in agents:
            at = datetime.combine(day, PULL_AT, tz)
            heapq.heappush(moments, _Moment(at, next(seq), "day", agent))
    sender = _Office(run, office, figures)
    for b in _bulletins(run, agents, monday, tz):
        figures.bulletins.append(b)
        for agent in agents:
            if agent.code in b.targets:
                agent.bulletins.append(b)
                agent.deliver = sender.deliver
                heapq.heappush(moments, _Moment(b.at, next(seq), "bulletin", agent, b))
    clusters = [a for a in agents if a.code not in _communes(run)]
    if len(clusters) > 1:  # the office turns the second cluster's volume down on Thursday
        at = datetime.combine(monday + timedelta(days=3), COMMAND_AT, tz)
        heapq.heappush(moments, _Moment(at, next(seq), "volume", clusters[1], sender))
    quiet = logging.getLogger("broadcaster.agent")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # the week's thousand lines; the step sums them up
    try:
        while moments:
            moment = heapq.heappop(moments)
            for later in _handle(run, moment, figures):
                heapq.heappush(moments, _Moment(later[0], next(seq), later[1], *later[2:]))
    finally:
        quiet.setLevel(level)


def _communes(run: DemoRun) -> set[str]:
    communes = run.notes.get("communes")
    return set(communes) if isinstance(communes, list | set | tuple) else set()


def _bulletins(
    run: DemoRun, agents: list[StationAgent], monday: date, tz: ZoneInfo
) -> list[Bulletin]:
    """Wednesday: a flash-flood warning to every station with an agent, cutting the first
    announcement of the day at the first one. Thursday: a warning for one riverside village,
    aimed at its loudspeaker cluster alone."""
    communes = _communes(run)
    stations = [a.code for a in agents if a.code in communes]
    clusters = [a.code for a in agents if a.code not in communes]
    out = [
        Bulletin(
            at=_bulletin_moment(run, stations[0], monday + timedelta(days=BULLETIN_DAY), tz),
            targets=tuple(a.code for a in agents),
            title=str(_("Flash flood warning")),
            text=str(
                _(
                    "Emergency notice: heavy rain may cause flash floods. "
                    "Do not cross streams, fords or spillways."
                )
            ),
        )
    ]
    if clusters:
        out.append(
            Bulletin(
                # the cluster plays its commune's programme: the commune's first entry
                at=_bulletin_moment(run, stations[0], monday + timedelta(days=3), tz),
                targets=(clusters[0],),
                title=str(_("River level rising")),
                text=str(
                    _(
                        "The river is rising. Families living by the river bank, move "
                        "livestock and belongings to higher ground."
                    )
                ),
            )
        )
    return out


def _bulletin_moment(run: DemoRun, code: str, day: date, tz: ZoneInfo) -> datetime:
    """Halfway through the first announcement of the day at ``code`` (so the bulletin
    visibly cuts it), or at BULLETIN_AT when that day has none."""
    from broadcaster.usecases.plans import station_playlist

    entries = station_playlist(run.app.database, code, day, allow_draft=False).playlist.entries
    first = next((e for e in entries if e.audio and e.item_id is not None), None)
    if first is None:
        return datetime.combine(day, BULLETIN_AT, tz)
    return (first.start + first.duration / 2).replace(microsecond=0)


def _handle(run: DemoRun, moment: _Moment, figures: WeekFigures) -> list[tuple[Any, ...]]:
    """Carry out one moment; the moments it leads to (at, kind, agent, what)."""
    agent = moment.agent
    assert agent is not None
    clock = agent.clock
    if moment.at > clock.now():
        clock.set(moment.at)
    run.app.clock.set(clock.now())  # type: ignore[attr-defined]
    if moment.kind == "day":
        return _start_day(agent, moment.at.date())
    if moment.kind == "bulletin":
        n = agent.bulletins.index(moment.what)
        if n not in agent.delivered and agent.deliver is not None:
            agent.deliver(agent, moment.what)
            _drain(agent)
        return _after(agent)
    if moment.kind == "entry":
        agent.playout.entry_due(moment.what.key)
        _drain(agent)
        figures.entries += 1
        return _after(agent, moment.what)
    if moment.kind == "volume":
        moment.what.set_volume(agent, VOLUME)
    if moment.kind == "sync":
        agent.sync.run_once()  # a failure keeps the logs in the outbox for the next try
    return []


def _start_day(agent: StationAgent, day: date) -> list[tuple[Any, ...]]:
    """Midnight and a half: pull today's and tomorrow's playlists, schedule today's entries."""
    agent.server = _closed_port() if agent.offline_on == day else agent.online
    try:
        with agent.client() as client:
            pull_from_server(client, agent.folder, agent.store, today=day, days=1)
    except BroadcasterError:
        pass  # cut off: it plays what it pulled yesterday
    if agent.offline_on != day:
        agent.sync.run_once()  # what waited since yesterday
    path = agent.folder.playlist_path(day)
    if not path.exists():
        return []
    entries = timeline(read_playlist(load_document(path), agent.code, str(path)))
    agent.playout.set_timeline(entries)
    return [(e.start, "entry", agent, e) for e in entries]


def _after(agent: StationAgent, entry: PlayoutEntry | None = None) -> list[tuple[Any, ...]]:
    """After an entry: the logs are sent when the session is over (or a bulletin woke it)."""
    nxt = _next_start(agent, entry)
    ends_session = nxt is None or nxt - agent.clock.now() >= SESSION_GAP
    if agent.woken and (ends_session or agent.ack_due):
        agent.woken = agent.ack_due = False
        return [(agent.clock.now(), "sync", agent)]
    return []


def _next_start(agent: StationAgent, entry: PlayoutEntry | None) -> datetime | None:
    now = entry.start if entry is not None else agent.clock.now()
    later = [e.start for e in agent.playout.ordered if e.start > now]
    return min(later) if later else None


def _drain(agent: StationAgent) -> None:
    while agent.playout.step():
        pass


def _closed_port() -> str:
    """An address where nothing listens: the station's link to the office is down."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class _Office:
    """The office during the week: sends the bulletins and the command; each agent's watch
    takes them from the API as its event stream would."""

    def __init__(self, run: DemoRun, office: str, figures: WeekFigures) -> None:
        self.run, self.office, self.figures = run, office, figures

    def deliver(self, agent: StationAgent, bulletin: Bulletin) -> None:
        agent.delivered.add(agent.bulletins.index(bulletin))
        if agent.offline_on == bulletin.at.date():
            return
        if bulletin.id is None:
            bulletin.id = self._send(bulletin)
        # the office's stream carries the bulletin, then its words once they are ready: take
        # changes as the watch does until the station holds both (a few polls at most)
        deadline = time.monotonic() + 60
        with agent.client() as client:
            while not _holds_body(agent, bulletin.id) and time.monotonic() < deadline:
                changes = client.emergencies(agent.watch.cursor(), 2)
                for change in changes.get("emergencies", []):
                    agent.watch.handle(client, change)
        agent.ack_due = True
        bulletin.aired_at.append(agent.code)
        if agent.playout.current is not None:
            bulletin.interrupted.append(agent.code)

    def _send(self, bulletin: Bulletin) -> int:
        from broadcaster.usecases.emergencies import (
            BulletinRequest,
            complete_body,
            create_emergency,
        )

        app = self.run.app
        app.clock.set(bulletin.at)  # type: ignore[attr-defined]
        request = BulletinRequest(
            title=bulletin.title, text=bulletin.text, stations=bulletin.targets
        )
        stored = create_emergency(app.database, app.settings, app.clock, self._who(), request)
        complete_body(app.database, app.settings, app.clock, stored.id)
        _body_ready(app, stored.id)
        return stored.id

    def _who(self) -> Any:
        from broadcaster.domain.distribution import Principal

        label = str(_("Head of the Centre (demo)"))
        return Principal(token_id=0, scope=Scope.OFFICE, station_code=self.office, label=label)

    def set_volume(self, agent: StationAgent, level: int) -> None:
        """The office sets a cluster's volume; the command reaches its agent on the stream,
        is carried out and acknowledged, and the next heartbeat reports the new level."""
        from broadcaster.domain.accounts import Role
        from broadcaster.usecases.device_commands import send_command

        app = self.run.app
        sent = send_command(
            app.database, app.clock, role=Role.OFFICE, node=self.office,
            who=str(_("Head of the Centre (demo)")), station=agent.code, kind="volume",
            value=level,
        )  # fmt: skip
        assert agent.commands is not None and agent.device is not None
        deadline = time.monotonic() + 30
        with agent.client() as client:
            while agent.device.volume != level and time.monotonic() < deadline:
                answer = client.emergencies(agent.watch.cursor(), 2)
                for command in answer.get("commands", []):
                    if int(command["id"]) == sent.id:
                        agent.commands.handle(command)
            agent.sync.run_once()  # the acknowledgement
            client.heartbeat({"agent_version": __version__, **agent.device.state()})
        self.figures.volume = (agent.code, _reported_volume(app, agent.code))


def _reported_volume(app: Any, code: str) -> int | None:
    """The volume the office now holds for cluster ``code``: its last heartbeat's."""
    from broadcaster.usecases.station_board import cluster_board

    window, silence = timedelta(minutes=5), timedelta(minutes=30)
    for state in cluster_board(
        app.database, app.clock, None, online_window=window, silence=silence
    ):
        for cluster in state.clusters:
            if cluster.code == code and cluster.heartbeat is not None:
                return cluster.heartbeat.volume
    return None


def _holds_body(agent: StationAgent, emergency_id: int) -> bool:
    held = agent.store.bulletin(emergency_id)
    return bool(held and held.get("audio_hash"))


def _body_ready(app: Any, emergency_id: int, seconds: float = 120.0) -> None:
    """Until the bulletin's words are synthesised: by this step, or by the API's own worker
    when it claimed them first (then in real time, a few seconds of espeak-ng)."""
    from broadcaster.domain.distribution import BodyState

    deadline = time.monotonic() + seconds
    while True:
        with app.database.unit_of_work() as uow:
            state = uow.emergencies.get(emergency_id).body_state
        if state is not BodyState.PENDING or time.monotonic() > deadline:
            return
        time.sleep(0.1)


# --- serving, and what the step says ---------------------------------------------------------


def _serve(app: Any) -> tuple[Any, threading.Thread, str]:
    """The office's API on the demo's database and virtual clock, on a free local port."""
    import uvicorn

    from broadcaster.api import create_app

    api = create_app(app.settings, clock=app.clock, database=app.database)
    server = uvicorn.Server(uvicorn.Config(api, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"


def _say_cast(run: DemoRun, agents: list[StationAgent], paper: str | None, tz: ZoneInfo) -> None:
    say = run.app.console.print
    for agent in agents:
        if agent.offline_on is not None:
            say(
                _(
                    "{code}: agent (simulated player); cut off from the office on {day}",
                    code=agent.code,
                    day=fmt_date(agent.offline_on),
                ),
                markup=False,
            )
        else:
            say(_("{code}: agent (simulated player)", code=agent.code), markup=False)
    if paper is not None:
        say(
            _("{code}: no agent; returns its signed paper playlist", code=paper),
            markup=False,
        )


def _say_week(run: DemoRun, agents: list[StationAgent], figures: WeekFigures, tz: ZoneInfo) -> None:
    def say(text: object) -> None:
        run.app.console.print(text, markup=False, soft_wrap=True)

    say(_("{n} entries played by the agents", n=figures.entries))
    for agent in agents:
        if agent.offline_on is not None:
            say(
                _(
                    "{code} was cut off on {day}: it played the playlist it had pulled the "
                    "day before and sent its logs once the link was back",
                    code=agent.code,
                    day=fmt_date(agent.offline_on),
                )
            )
    for b in figures.bulletins:
        say(
            _(
                "emergency bulletin #{id} «{title}» sent {day} at {time} to {targets}: aired at "
                "{aired}; it cut the entry playing at {stations}",
                id=b.id,
                title=b.title,
                day=fmt_date(b.at.astimezone(tz).date()),
                time=fmt_time(b.at, tz),
                targets=", ".join(b.targets),
                aired=", ".join(b.aired_at) or "–",
                stations=", ".join(b.interrupted) or "–",
            )
        )
    if figures.volume is not None:
        code, level = figures.volume
        say(
            _(
                "the office set the volume of {code} to {level}/15; its agent carried it out, "
                "acknowledged it, and its heartbeat now reports volume {reported}",
                code=code,
                level=VOLUME,
                reported=level if level is not None else "–",
            )
        )
