from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from broadcaster.api import create_app
from tests.api.live_server import LiveServer, Office, make_office

from .helpers import DictSource, make_tone


@dataclass
class Station:
    office: Office
    source: DictSource
    server: LiveServer
    tones: list[bytes]
    tmp: Path

    def make_app(self):
        return create_app(
            self.office.settings, database=self.office.db, playlist_source=self.source
        )

    def restart_server(self) -> None:
        self.server = LiveServer(self.make_app, port=self.server.port).start()

    def airings(self, code: str = "XA-DAKMIL"):
        with self.office.db.unit_of_work() as uow:
            return uow.airings.list(stations=[code])


@pytest.fixture(scope="session")
def tones(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    tmp = tmp_path_factory.mktemp("tones")
    return [make_tone(tmp, f) for f in (440, 550, 660)]


@pytest.fixture
def station(tmp_path: Path, tones: list[bytes]) -> Iterator[Station]:
    office = make_office(tmp_path)
    source = DictSource()
    st = Station(office, source, None, tones, tmp_path)  # type: ignore[arg-type]
    st.server = LiveServer(st.make_app).start()
    yield st
    st.server.stop()
    office.db.dispose()
