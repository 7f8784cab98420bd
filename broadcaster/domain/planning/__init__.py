"""Weekly airtime planning: which approved items air in which sessions of every station.

The problem (see docs/architecture.md, "The planning problem") decomposes by station: a
station's sessions are its own, so each station is planned alone, and stations whose clock, time
zone, targeted items, targets and history are identical share one solution (a national week has
thousands of stations but only a few hundred distinct problems).

Per station the model is:

* a *slot* is one dated session; its free time for announcements is split into *segments* by
  fixed blocks (relays, station IDs), quiet hours (unless allowed) and the per-session limit;
* a *demand* is one item at one station: a target, a size (duration plus the configured gap
  between announcements), the slots it may use (window, dayparts, length), a minimum gap
  between the starts of the sessions it airs in, and a value per airing
  ``weight(priority) × boost(observance) / target``;
* hard: the announcements in a segment, each followed by a gap except the last, fit in it
  (``Σ (duration + gap) ≤ length + gap``); an item at most once per slot; never more airings
  than the target; minimum gaps kept; nothing in a slot that has started before ``now``
  (those are kept exactly from the previous plan);
* best: the total value (priority-weighted attainment) first; then, among equal values, the
  sessions the previous plan used, airings spread evenly over the week (the solver's
  lexicographic objective and its weights: :mod:`.solver`), priority items first in their
  session (:mod:`.layout`).

The solver is a value-density greedy that picks each item's sessions with a small dynamic
programme (spread and minimum gap), then a local search (insert, relocate one airing to make
room, swap out cheaper airings), and an exact branch and bound on small stations. Everything is
deterministic: same values in, same plan out.

The modules, from the outside in:

* :mod:`.model`: settings, the stations as the planner sees them, and the weekly plan;
* :mod:`.weeks`: ISO weeks, session labels, durations in Vietnamese, units;
* :mod:`.week`: :func:`plan_week`, which compiles, solves, lays out and explains each station;
* :mod:`.compile`: stations and items into problems (:func:`compile_station`);
* :mod:`.problem`: the per-station problem, its objective and its checker (:func:`violations`);
* :mod:`.solver`: the search (:func:`solve_station`);
* :mod:`.layout`: the order and times inside a session;
* :mod:`.fill`: what fills the time announcements leave (library, relay, ending early);
* :mod:`.explain`: why a target was missed, in Vietnamese.

The plan's JSON form lives next to the repository that stores it, in
:mod:`broadcaster.db.plans_json`.
"""

from .compile import compile_station
from .model import (
    ClassAttainment,
    EntryKind,
    FillMode,
    FillPiece,
    FillPolicy,
    PlanEntry,
    PlannedSession,
    PlannerSettings,
    PlanSummary,
    SessionFill,
    Shortfall,
    ShortfallReason,
    SkippedItem,
    StationInput,
    StationPlan,
    WeeklyPlan,
)
from .problem import Assignment, Demand, Slot, StationProblem, objective, violations
from .solver import solve_station
from .week import plan_week
from .weeks import format_duration_vi, parse_week, resolve_week, session_label, week_monday

__all__ = [
    "Assignment",
    "ClassAttainment",
    "Demand",
    "EntryKind",
    "FillMode",
    "FillPiece",
    "FillPolicy",
    "PlanEntry",
    "PlanSummary",
    "PlannedSession",
    "PlannerSettings",
    "SessionFill",
    "Shortfall",
    "ShortfallReason",
    "SkippedItem",
    "Slot",
    "StationInput",
    "StationPlan",
    "StationProblem",
    "WeeklyPlan",
    "compile_station",
    "format_duration_vi",
    "objective",
    "parse_week",
    "plan_week",
    "resolve_week",
    "session_label",
    "solve_station",
    "violations",
    "week_monday",
]
