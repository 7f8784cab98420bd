"""Who heads a printed page and whom it goes to, read from the station tree."""

from __future__ import annotations

from broadcaster.db import Database
from broadcaster.domain.messages import _
from broadcaster.playlists.paper import Letterhead, commune_of, station_letterhead
from broadcaster.reports.model import governing_body


def playlist_letterhead(db: Database, station_code: str) -> Letterhead:
    """A station's daily playlist: issued by the station under its commune's People's Committee
    (else the body above it in the tree), sent to its planning office to report."""
    with db.unit_of_work() as uow:
        tree = uow.stations.tree()
    station = tree.get(station_code)
    office = tree.office_of(station_code)
    recipients: tuple[str, ...] = ()
    if office is not None and office.code != station.code:
        recipients = (str(_("{body} (to report)", body=office.name)),)
    above = None
    if commune_of(station.name) is None:
        parents = tree.ancestors(station_code)
        above = governing_body(parents[-1]) if parents else None
    return station_letterhead(station.name, station.code, above=above, recipients=recipients)
