"""Which log records a report weighs, and which of them tells what happened.

When a signed paper playlist and the agent disagree, a correction entered on paper after the
agent's log wins over it (the operator saw what the agent could not, a power cut), and the
agent's word stays visible beside it. Logs of what fills time between announcements (chimes,
programmes and music of the library, relays) are no topic's airing and are left out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from .airings import Airing, AiringSource
from .messages import _


def received_order(a: Airing) -> tuple[int, datetime]:
    if a.received_at is None:
        return (1, datetime(1970, 1, 1, tzinfo=UTC))
    return (0, a.received_at)


def newer_paper(records: Sequence[Airing]) -> list[Airing]:
    """The paper records (a signed playlist entered by hand) when the newest of them came in
    after every agent log: a correction on paper then wins over what the agent said."""
    paper = [a for a in records if a.source is not AiringSource.AGENT]
    agent = [a for a in records if a.source is AiringSource.AGENT]
    if not paper or not agent:
        return []
    newest_paper = max(received_order(a) for a in paper)
    if newest_paper[0] == 0 and all(newest_paper > received_order(a) for a in agent):
        return paper
    return []


def overruled(records: Sequence[Airing], best: Airing) -> str:
    """What the agent logged when a paper correction overrules it (shown beside it)."""
    if best.source is AiringSource.AGENT:
        return ""
    other = {a.status for a in records if a.source is AiringSource.AGENT} - {best.status}
    if not other:
        return ""
    statuses = ", ".join(sorted(str(s.label) for s in other))
    return str(_("the agent logged: {statuses}", statuses=statuses))


def joined(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


#: what a planned entry that is no announcement is called at the end of its entry id
#: (domain.playlists.entry_id): chimes, the library's pieces, relays, station IDs
_FILL_KINDS = ("chime", "filler", "relay", "station_id")


def is_filler_log(a: Airing) -> bool:
    """A log of a chime, a piece of the library or a relay played between announcements: kept
    in the station's log, but neither a planned topic's airing nor an unplanned one."""
    return (
        a.item_id is None
        and a.entry_id is not None
        and a.entry_id.rsplit("-", 1)[-1] in _FILL_KINDS
    )
