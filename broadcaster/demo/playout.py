"""Demo step: serve the API, pull for one station, play a compressed schedule, send an emergency."""

from __future__ import annotations

import subprocess
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from rich.table import Table

from broadcaster.domain.airings import Airing
from broadcaster.domain.distribution import Scope
from broadcaster.domain.messages import _
from broadcaster.i18n import fmt_datetime, fmt_time

if TYPE_CHECKING:
    from . import DemoRun

ENTRIES = 5
EVERY = timedelta(seconds=4)
#: the bulletin (a 5 s lead-in, then about 9 s of espeak-ng, sent once the first entry plays)
#: needs room: the second entry falls inside it and is missed, the rest start after it, so the
#: schedule visibly resumes
AFTER_BULLETIN = timedelta(seconds=24)
LONGEST = timedelta(seconds=2)
#: the first entry plays long enough for the bulletin to catch it: sending synthesises the
#: bulletin first, which takes a few seconds on a busy machine
FIRST_LONGEST = timedelta(seconds=12)


def _planned(run: DemoRun) -> tuple[str, list[dict[str, Any]]] | None:
    """The first announcements of the planning step's playlist, with its station; each
    keeping its planned identity (id, item) so the airings count for the planned entries."""
    found = run.notes.get("playlist")
    playlist = getattr(found, "playlist", None)
    if playlist is None:
        return None
    entries = [e for e in playlist.entries if e.audio and e.item_id is not None]
    if not entries:
        return None
    first = entries[:ENTRIES]
    run.notes["now"] = max(e.end for e in first)  # the report looks back from the last one
    return playlist.station_code, [
        {
            "id": e.entry_id,
            "item_id": e.item_id,
            "title": e.title,
            "kind": e.kind.value,
            "audio": {"hash": e.audio},
            "duration_ms": int(e.duration.total_seconds() * 1000),
            "planned": e.start.isoformat(timespec="minutes"),
        }
        for e in first
    ]


def _offsets(count: int) -> list[timedelta]:
    """Start of each replayed entry after the first: one inside the bulletin (when there are
    three or more), the others after it, EVERY apart."""
    inside = [EVERY] if count >= 3 else []
    after = [AFTER_BULLETIN + EVERY * i for i in range(count - 1 - len(inside))]
    return [timedelta(), *inside, *after][:count]


def _tones(run: DemoRun) -> list[dict[str, Any]]:
    """Test tones, when the demo has no planned audio to play."""
    from broadcaster.audio.store import store_audio

    out: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, freq in enumerate((440, 550, 660, 770, 880)[:ENTRIES]):
            f = Path(tmp) / f"{freq}.mp3"
            subprocess.run(
                [
                    "ffmpeg",
                    "-hide_banner",
                    "-loglevel",
                    "error",
                    "-f",
                    "lavfi",
                    "-i",
                    f"sine=frequency={freq}:duration=2",
                    "-ac",
                    "1",
                    "-b:a",
                    "64k",
                    str(f),
                ],
                check=True,
            )
            h, _stored = store_audio(run.app.settings.audio_cache_dir, f.read_bytes())
            out.append(
                {
                    "id": f"demo-{n + 1}",
                    "title": str(_("Test tone {freq} Hz", freq=freq)),
                    "kind": "announcement",
                    "audio": {"hash": h},
                    "duration_ms": 2000,
                }
            )
    return out


def step_playout(run: DemoRun) -> None:
    """Distribution and playout over a compressed schedule (entries seconds apart)."""
    app, console = run.app, run.app.console
    run.heading(_("Distribution and playout: API, pull, agent (null player), emergency bulletin"))
    with app.database.unit_of_work() as uow:
        tree = uow.stations.tree()
    office = str(run.notes.get("office") or next(s.code for s in tree if s.is_office))
    tz = ZoneInfo(app.settings.timezone)
    station, entries = _entries(run, tree, office, tz)
    station_token, office_token = _tokens(app, station.code, office)

    first = app.clock.now() + timedelta(seconds=6)
    source = _compressed(entries, first, tz, station.code, station.name)
    server, server_thread, url = _serve(app, source)
    api_url, docs_url = f"{url}/api/v1", f"{url}/docs"
    console.print(
        _(
            "API: {api} (OpenAPI: {docs}); station: {name} ({code}); office: {office}",
            api=api_url,
            docs=docs_url,
            name=station.name,
            code=station.code,
            office=office,
        ),
        markup=False,
    )
    folder = _pull(run, station.code, url, station_token, first.astimezone(tz).date())

    agent, stop, agent_thread = _start_agent(app, station.code, folder, url, station_token)
    console.print(
        _(
            "agent: {n} entries, the third and later after the bulletin (null player), "
            "the first at {time}",
            n=len(entries),
            time=fmt_time(first, tz, seconds=True),
        ),
        markup=False,
    )
    try:
        _wait(
            lambda: any(
                k.startswith(_utc_key(first)) and v.value == "playing"
                for k, v in agent.store.entry_states().items()
            ),
            30,
        )
        bulletin = _send_bulletin(url, office_token, station.code)
        run.notes["emergency_day"] = app.clock.now().astimezone(tz).date()
        _say_bulletin(app, bulletin, tz)
        # the entries, the bulletin's lead-in and its body
        _wait(lambda: len(_airings(app, station.code)) >= len(entries) + 2, 60)
        time.sleep(2.5)  # one heartbeat more for the status line
    finally:
        stop.set()
        agent_thread.join(timeout=30)
        server.should_exit = True
        server_thread.join(timeout=10)
    airings = _airings(app, station.code)
    _show_airings(app, station.name, airings, bulletin, first, tz)
    run.notes["playout_airings"] = airings


def _entries(
    run: DemoRun, tree: Any, office: str, tz: ZoneInfo
) -> tuple[Any, list[dict[str, Any]]]:
    """The station and entries to replay: the planning step's playlist, else test tones."""
    planned = _planned(run)
    if planned is None:
        return tree.broadcasting_under(office)[0], _tones(run)
    code, entries = planned
    station = tree.get(code)
    run.notes["replayed"] = code
    run.app.console.print(
        _(
            "the playlist of {code} from {start} replayed compressed: entries {seconds} "
            "seconds apart, with room for an emergency bulletin",
            code=station.code,
            start=fmt_datetime(_parse(entries[0]["planned"]), tz),
            seconds=EVERY.seconds,
        ),
        markup=False,
    )
    return station, entries


def _tokens(app: Any, code: str, office: str) -> tuple[str, str]:
    """A token for the station's agent and one for the office (to send the bulletin)."""
    from broadcaster.usecases.tokens import create_token

    station = create_token(
        app.database,
        app.clock,
        scope=Scope.STATION,
        station_code=code,
        label=str(_("demo agent")),
    )
    office_token = create_token(
        app.database,
        app.clock,
        scope=Scope.OFFICE,
        station_code=office,
        label=str(_("demo office")),
    )
    return station.secret, office_token.secret


def _pull(run: DemoRun, code: str, url: str, token: str, day: Any) -> Any:
    """The station pulls its playlist and audio from the office, as 'broadcaster pull' does."""
    from broadcaster.agent.client import StationClient
    from broadcaster.agent.folder import LocalFolder
    from broadcaster.agent.pull import pull_from_server
    from broadcaster.agent.store import LocalStore

    folder = LocalFolder(run.out / "stations" / code).ensure()
    store = LocalStore(folder.state_db)
    with StationClient(url, token, code) as client:
        report = pull_from_server(client, folder, store, today=day, days=1)
    store.close()
    run.app.console.print(
        _("pull → {folder}: {summary}", folder=folder.root, summary=report.summary()),
        markup=False,
    )
    return folder


def _say_bulletin(app: Any, bulletin: dict[str, Any], tz: ZoneInfo) -> None:
    app.console.print(
        _(
            "emergency bulletin #{id} sent at {time}: the signal and the lead-in "
            "({seconds:.1f} s) play at once, the words read by espeak-ng follow",
            id=bulletin["id"],
            time=_local(bulletin["created_at"], tz),
            seconds=(bulletin["lead_in_ms"] or 0) / 1000,
        ),
        markup=False,
    )


def _compressed(
    entries: list[dict[str, Any]], first: Any, tz: ZoneInfo, code: str, name: str
) -> Any:
    """The entries replayed seconds apart from ``first``, as an in-memory playlist."""
    from broadcaster.usecases.published_playlists import StaticPlaylists

    for n, (entry, offset) in enumerate(zip(entries, _offsets(len(entries)), strict=True)):
        entry.pop("planned", None)
        entry["start"] = (first + offset).astimezone(tz).isoformat()
        longest = FIRST_LONGEST if n == 0 else LONGEST
        entry["duration_ms"] = min(entry["duration_ms"], int(longest.total_seconds() * 1000))
    source = StaticPlaylists()
    source.put(
        {
            "station": {"code": code, "name": name},
            "date": first.astimezone(tz).date().isoformat(),
            "plan_version": 1,
            "sessions": [{"name": str(_("Test session (compressed)")), "entries": entries}],
        }
    )
    return source


def _serve(app: Any, source: Any) -> tuple[Any, threading.Thread, str]:
    import uvicorn

    from broadcaster.api import create_app

    api = create_app(app.settings, clock=app.clock, database=app.database, playlist_source=source)
    server = uvicorn.Server(uvicorn.Config(api, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"


def _start_agent(
    app: Any, code: str, folder: Any, url: str, token: str
) -> tuple[Any, threading.Event, threading.Thread]:
    from broadcaster.agent.player import NullPlayer
    from broadcaster.agent.runtime import Agent, AgentSettings

    settings = AgentSettings(
        server=url,
        token=token,
        grace_seconds=2,
        sync_seconds=0.5,
        heartbeat_seconds=2,
        emergency_wait_seconds=5,
        max_backoff_seconds=2,
    )
    agent = Agent(
        station=code,
        folder=folder,
        settings=settings,
        timezone=app.settings.timezone,
        clock=app.clock,
        player=NullPlayer(),
    )
    stop = threading.Event()
    thread = threading.Thread(target=agent.run, kwargs={"until": stop}, daemon=True)
    thread.start()
    return agent, stop, thread


def _send_bulletin(url: str, office_token: str, code: str) -> dict[str, Any]:
    import httpx

    with httpx.Client(base_url=url, timeout=30) as c:
        sent = c.post(
            "/api/v1/emergencies",
            headers={"Authorization": f"Bearer {office_token}"},
            json={
                "title": str(_("Flash flood warning")),
                "text": str(
                    _(
                        "Emergency notice: heavy rain may cause flash floods. "
                        "Do not cross streams, fords or spillways."
                    )
                ),
                "stations": [code],
            },
        )
        sent.raise_for_status()
        result: dict[str, Any] = sent.json()
        return result


def _show_airings(
    app: Any, name: str, airings: list[Airing], bulletin: dict[str, Any], first: Any, tz: ZoneInfo
) -> None:
    console = app.console
    table = Table(
        title=str(_("Airing logs received — {station}", station=name)), title_justify="left"
    )
    for col in (_("Planned"), _("Started"), _("Ended"), _("Status"), _("Content"), _("Note")):
        table.add_column(str(col))
    for a in sorted(airings, key=lambda a: a.actual_start or a.planned_start or first):
        table.add_row(
            _hms(a.planned_start, tz),
            _hms(a.actual_start, tz),
            _hms(a.actual_end, tz),
            str(a.status.label),
            (a.title or "")[:50],
            a.note or "",
        )
    console.print(table)
    created = _parse(bulletin["created_at"])
    first_sound = next(
        (a for a in airings if a.entry_id == f"emergency-{bulletin['id']}:lead-in"), None
    )
    body = next((a for a in airings if a.entry_id == f"emergency-{bulletin['id']}"), None)
    if first_sound and first_sound.actual_start:
        lag = (first_sound.actual_start - created).total_seconds()
        console.print(
            _("the emergency bulletin started {seconds:.1f} s after it was sent", seconds=lag),
            markup=False,
        )
    if body and body.actual_start:
        lag = (body.actual_start - created).total_seconds()
        console.print(
            _("the bulletin's words started {seconds:.1f} s after it was sent", seconds=lag),
            markup=False,
        )


def _utc_key(at: Any) -> str:
    from datetime import UTC

    return str(at.astimezone(UTC).isoformat())


def _airings(app: Any, code: str) -> list[Airing]:
    with app.database.unit_of_work() as uow:
        found: list[Airing] = uow.airings.list(stations=[code])
    return found


def _wait(check: Any, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(str(_("demo: waited {seconds:.0f} s in vain", seconds=seconds)))
        time.sleep(0.1)


def _parse(text: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _local(text: str, tz: ZoneInfo) -> str:
    return fmt_time(_parse(text), tz, seconds=True)


def _hms(value: Any, tz: ZoneInfo) -> str:
    return fmt_time(value, tz, seconds=True) if value else "–"
