"""Loudspeaker clusters as playout devices (issue 22): a commune agent and two cluster agents
under one office, real processes against a served API, the null player keeping time.

The clusters inherit their commune's published playlist and log its entries under their own
codes; one cluster is offline while its commune airs, and the report shows it; a volume
command reaches the other, is acknowledged and shows in its heartbeat; a bulletin aimed at one
cluster plays there only.
"""

from __future__ import annotations

from datetime import date, timedelta

import httpx
import pytest

from broadcaster.clock import SystemClock
from broadcaster.domain.accounts import Role
from broadcaster.domain.airings import AiringStatus
from broadcaster.domain.distribution import ForbiddenError, Scope
from broadcaster.domain.playout import bulletin_event_id, entry_event_id
from broadcaster.domain.reconcile import PlannedAiring
from broadcaster.usecases.device_commands import send_command
from broadcaster.usecases.reports import build_airing_report

from .conftest import Station
from .helpers import TZ, AgentProcess, compressed_schedule, wait_until

pytestmark = pytest.mark.slow

COMMUNE, L1, L2, OFFICE = "XA-DAKMIL", "XA-DAKMIL-L1", "XA-DAKMIL-L2", "KV-DAKMIL"


def _agent(st: Station, code: str, *, grace: float = 2.0) -> AgentProcess:
    return AgentProcess(
        station=code,
        server=st.server.url,
        folder=st.tmp / code,
        home=st.tmp,
        token=st.office.token(code),
        grace=grace,
    )


def _office(st: Station) -> httpx.Client:
    return httpx.Client(
        base_url=st.server.url, timeout=30, headers=st.office.headers(OFFICE, Scope.OFFICE)
    )


def test_two_clusters_and_their_commune(station: Station):
    for code in (COMMUNE, L1, L2):
        station.office.token(code)  # each runs (or will run) an agent of its own
    entries = compressed_schedule(
        station.office.settings.audio_cache_dir,
        station.tones,
        first=SystemClock().now() + timedelta(seconds=10),
        every=2.0,
        count=3,
        duration_ms=1200,
    )
    station.source.put_entries(COMMUNE, entries)
    commune, l1 = _agent(station, COMMUNE).start(), _agent(station, L1).start()
    l2: AgentProcess | None = None
    try:
        # L2 is offline while its commune airs
        wait_until(lambda: len(station.airings(L1)) >= 3, 60, "the cluster's logs")
        wait_until(lambda: len(station.airings(COMMUNE)) >= 3, 30, "the commune's logs")
        aired = {a.event_id: a for a in station.airings(L1)}
        # the commune's programme, logged under the cluster's own code
        assert set(aired) == {entry_event_id(L1, e.key) for e in entries}, l1.output()
        assert {a.status for a in aired.values()} == {AiringStatus.AIRED}
        assert {a.station_code for a in aired.values()} == {L1}

        # L2 starts once L1 has logged the last entry as aired, so after that entry's
        # 1.2 s of audio; with a grace shorter than that, the entry can no longer start late
        # there (with 2 s, a quick start used to join it and log one airing)
        l2 = _agent(station, L2, grace=0.5).start()
        with _office(station) as c:
            wait_until(
                lambda: c.get(f"/api/v1/stations/{L2}/status").json()["online"], 30, "L2 online"
            )
            sent = c.post(f"/api/v1/stations/{L2}/commands", json={"kind": "volume", "value": 3})
            assert sent.status_code == 201, sent.text
            command = sent.json()
            assert command["created_by"] and command["acked_at"] is None

            def acked():
                found = c.get(f"/api/v1/stations/{L2}/commands").json()
                return next((x for x in found if x["id"] == command["id"] and x["acked_at"]), None)

            answer = wait_until(acked, 30, "the acknowledgement")
            assert answer["result"] == "done", l2.output()
            wait_until(
                lambda: c.get(f"/api/v1/stations/{L2}/status").json()["volume"] == 3,
                30,
                "the heartbeat to report volume 3",
            )
            status = c.get(f"/api/v1/stations/{L2}/status").json()
            assert status["relay_on"] is True and status["audio_ok"] is True

            # a volume out of range, a station's token, another commune's operator and a
            # reviewer are refused, each with the reason; nothing is stored then
            bad = c.post(f"/api/v1/stations/{L2}/commands", json={"kind": "volume", "value": 16})
            assert bad.status_code == 400 and "1" in bad.json()["error"]["message"]
            as_station = c.post(
                f"/api/v1/stations/{L2}/commands",
                json={"kind": "stop"},
                headers=station.office.headers(L1),
            )
            assert as_station.status_code == 403, as_station.text
            for role, node in ((Role.OPERATOR, "XA-DUCMANH"), (Role.REVIEWER, OFFICE)):
                with pytest.raises(ForbiddenError) as refused:
                    send_command(
                        station.office.db, SystemClock(), role=role, node=node, who="Chị Lan",
                        station=L2, kind="stop",
                    )  # fmt: skip
                assert "Chị Lan" in str(refused.value)
            assert len(c.get(f"/api/v1/stations/{L2}/commands").json()) == 1

            upload = c.post(
                "/api/v1/audio", content=station.tones[0], headers={"content-type": "audio/mpeg"}
            ).json()
            bulletin = c.post(
                "/api/v1/emergencies",
                json={"title": "Lũ sông", "audio_hash": upload["hash"], "stations": [L1]},
            ).json()
            assert bulletin["stations"] == [L1]
            body = bulletin_event_id(L1, bulletin["id"])
            wait_until(
                lambda: body in {a.event_id for a in station.airings(L1)}, 40, "L1's bulletin"
            )
        # neither the commune nor the other cluster played it
        for code in (COMMUNE, L2):
            ids = {a.event_id for a in station.airings(code)}
            assert bulletin_event_id(code, bulletin["id"]) not in ids
    finally:
        for agent in (commune, l1, l2):
            if agent is not None:
                assert agent.stop() == 0, agent.output()

    day = entries[0].start.astimezone(TZ).date()
    report = _report(station, day, entries)
    rows = {s.station_code: s.figures for s in report.reconciliation.by_station}
    # each cluster with an agent right under its commune, against the commune's plan
    codes = list(report.reconciliation.station_codes)
    assert codes.index(L1) == codes.index(COMMUNE) + 1
    assert (rows[COMMUNE].planned, rows[COMMUNE].aired) == (3, 3)
    assert (rows[L1].planned, rows[L1].aired) == (3, 3)
    assert (rows[L2].planned, rows[L2].aired, rows[L2].missed) == (3, 0, 3)
    assert report.station_name(L1).startswith("Đài truyền thanh xã Đắk Mil › Cụm loa")


def _report(st: Station, day: date, entries):
    planned = [
        PlannedAiring(
            station_code=COMMUNE,
            item_id=900 + i,
            start=e.start,
            duration=timedelta(milliseconds=e.duration_ms),
            entry_id=f"{day}-{i}",
            title=e.title,
        )
        for i, e in enumerate(entries)
    ]
    return build_airing_report(
        st.office.db,
        office=OFFICE,
        start=day,
        end=day,
        now=SystemClock().now() + timedelta(hours=1),
        planned=planned,
    )
