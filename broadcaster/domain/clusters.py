"""Loudspeaker clusters as playout devices: which clusters play a commune's programme, and
how their airings are reported under the commune.

A cluster (cụm loa) with its own agent plays the published playlist of the station whose
programme it follows (its commune) and logs each airing under its own code. A report counts
each such cluster's airings in a row of its own right under its commune, against the same
planned entries as the commune's.

An item's ``stations`` may name clusters (the riverside villages): the item is planned at the
commune whose programme they play, and its entries in the commune's playlist say which
clusters play it (``clusters``), so those clusters' agents alone play it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace

from .reconcile import PlannedAiring
from .stations import Station, StationTree


def device_clusters(tree: StationTree, code: str, devices: Collection[str]) -> list[Station]:
    """The clusters following ``code``'s programme that run an agent (are in ``devices``)."""
    return [c for c in tree.followers(code) if c.code in devices]


def aimed_clusters(
    targets: Collection[str], code: str, groups: Collection[str], followers: Collection[str]
) -> tuple[str, ...]:
    """The clusters among ``followers`` (those playing station ``code``'s programme) that an
    item aimed at ``targets`` reaches alone; () when it reaches the whole station: aimed
    nowhere in particular, at the station itself or at one of its ``groups`` (ancestors)."""
    if not targets or code in targets or any(g in targets for g in groups):
        return ()
    return tuple(sorted(c for c in followers if c in targets))


def with_clusters(
    tree: StationTree, stations: Sequence[Station], devices: Collection[str]
) -> list[Station]:
    """``stations``, each followed by the device clusters that play its programme."""
    out: list[Station] = []
    for s in stations:
        out.append(s)
        out += [c for c in device_clusters(tree, s.code, devices) if c not in stations]
    return out


def cluster_planned(
    planned: Iterable[PlannedAiring], tree: StationTree, codes: Collection[str]
) -> list[PlannedAiring]:
    """The planned entries with, for each cluster among ``codes`` that follows a station's
    programme, a copy of each of that station's entries under the cluster's code (its agent
    logs the commune's entry ids under its own code)."""
    out = list(planned)
    follows: dict[str, list[str]] = {}
    for code in codes:
        if code not in tree or tree.get(code).broadcasts:
            continue
        programme = tree.programme_of(code)
        if programme is not None and programme.code != code:
            follows.setdefault(programme.code, []).append(code)
    out += [
        replace(p, station_code=c)
        for p in out
        if p.station_code in follows
        for c in follows[p.station_code]
    ]
    return out
