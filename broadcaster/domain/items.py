"""Propaganda items (topics to air), the guidance documents they come from, and approval."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple

from .citation import cite
from .messages import Msg, _


class Priority(StrEnum):
    """Circular 39/2020/TT-BTTTT: normal, priority (first in its session), emergency (now)."""

    NORMAL = "normal"
    PRIORITY = "priority"
    EMERGENCY = "emergency"

    @property
    def label(self) -> Msg:
        return {"normal": _("Normal"), "priority": _("Priority"), "emergency": _("Emergency")}[
            self.value
        ]

    @property
    def rank(self) -> int:
        """Lower runs first."""
        return {"emergency": 0, "priority": 1, "normal": 2}[self.value]


class ItemKind(StrEnum):
    PROPAGANDA = "propaganda"  # a topic to air
    ADMINISTRATIVE = "administrative"  # funding, duties, report-back requests: not aired


class ApprovalState(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    #: an approver sent it back with a comment; editing it makes it a draft again
    RETURNED = "returned"

    @property
    def label(self) -> Msg:
        return {
            "draft": _("Draft"),
            "approved": _("Approved"),
            "returned": _("Sent back"),
        }[self.value]


class Daypart(StrEnum):
    """Parts of the broadcast day an item may be restricted to."""

    MORNING = "morning"  # before 11:00
    NOON = "noon"  # 11:00–14:00
    EVENING = "evening"  # from 14:00

    @staticmethod
    def of_minute(minute: float) -> Daypart:
        if minute < 11 * 60:
            return Daypart.MORNING
        if minute < 14 * 60:
            return Daypart.NOON
        return Daypart.EVENING


@dataclass(frozen=True)
class Approval:
    """Where an item's script stands: a draft, approved (who, when) or sent back (who, when,
    why)."""

    state: ApprovalState = ApprovalState.DRAFT
    by: str | None = None
    at: datetime | None = None
    #: the approver's comment when sent back
    note: str | None = None

    @property
    def approved(self) -> bool:
        return self.state is ApprovalState.APPROVED

    @property
    def returned(self) -> bool:
        return self.state is ApprovalState.RETURNED


@dataclass(frozen=True)
class PartialDate:
    """A date that may lack its day or month ("ngày  tháng 5 năm 2021")."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    def iso(self) -> str | None:
        """ISO 8601, reduced precision when parts are missing (``2021-05``)."""
        if self.year is None:
            if self.month is not None and self.day is not None:
                return f"--{self.month:02d}-{self.day:02d}"
            return None
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def as_date(self) -> date | None:
        if self.year and self.month and self.day:
            try:
                return date(self.year, self.month, self.day)
            except ValueError:
                return None
        return None

    @staticmethod
    def parse_iso(text: str | None) -> PartialDate | None:
        if not text:
            return None
        if text.startswith("--"):
            m, d = text[2:].split("-")
            return PartialDate(None, int(m), int(d))
        parts = [int(p) for p in text.split("-")]
        return PartialDate(*(parts + [None] * (3 - len(parts))))


class DateForms(NamedTuple):
    """How a date is written for each set of its parts that is known: ``str.format`` templates
    given ``day``, ``month`` and ``year``."""

    full: str
    month_year: str
    day_month: str
    year: str


def write_date(d: PartialDate | Observance | None, forms: DateForms) -> str | None:
    """``d`` in the form its known parts call for; None when none is known."""
    if d is None:
        return None
    if d.day and d.month and d.year:
        form = forms.full
    elif d.month and d.year:
        form = forms.month_year
    elif d.day and d.month:
        form = forms.day_month
    elif d.year:
        form = forms.year
    else:
        return None
    return form.format(day=d.day, month=d.month, year=d.year)


@dataclass(frozen=True)
class DocumentRef:
    """A legal or guidance document cited as the basis of an item or directive."""

    type: str | None = None  # "Công văn", "Kế hoạch", "Quyết định"…
    number: str | None = None  # "2390/UBND-KGVX"
    date: date | None = None
    issuer: str | None = None

    def describe(self) -> str:
        """The citation as a reader writes it: ``Công văn số 2390/UBND-KGVX ngày 17/5/2021 của
        UBND tỉnh`` (parts not known left out; "" when only the kind is). Text, in the active
        language: it is stored with plan entries (the basis each airing shows), so it is
        rendered when the plan is made."""
        return cite(self.type, self.number, self.date, self.issuer)

    def to_json(self) -> dict[str, Any]:
        """The reference as JSON values, its date in ISO 8601: how the store keeps it and how
        ``directive parse --json`` prints it."""
        return {
            "type": self.type,
            "number": self.number,
            "date": self.date.isoformat() if self.date else None,
            "issuer": self.issuer,
        }

    @staticmethod
    def from_json(data: Mapping[str, Any]) -> DocumentRef:
        """The inverse of :meth:`to_json` (missing keys are unknown parts)."""
        return DocumentRef(
            type=data.get("type"),
            number=data.get("number"),
            date=date.fromisoformat(data["date"]) if data.get("date") else None,
            issuer=data.get("issuer"),
        )


@dataclass(frozen=True)
class Observance:
    """A day named or dated in the text (e.g. "Ngày toàn dân phòng, chống ma túy - 26/6")."""

    name: str
    month: int | None = None
    day: int | None = None
    year: int | None = None  # None: it recurs every year
    #: the year it began, for a yearly day written with it ("19/5/1890 - 19/5/2025"): a
    #: recurring day keeps ``year`` None and its first year here (how many years it marks)
    origin: int | None = None

    def iso(self) -> str | None:
        return (
            PartialDate(self.year, self.month, self.day).iso() if self.month and self.day else None
        )

    def on(self, year: int) -> date | None:
        if not (self.month and self.day):
            return None
        try:
            return date(self.year or year, self.month, self.day)
        except ValueError:
            return None


DEFAULT_TARGETS = {Priority.NORMAL: 3, Priority.PRIORITY: 5, Priority.EMERGENCY: 0}


@dataclass(frozen=True)
class Item:
    """A topic to air (or an administrative point kept for the record)."""

    title: str
    id: int | None = None
    topic: str = ""
    number: str = ""  # number path in its directive, e.g. "II.1.a"
    kind: ItemKind = ItemKind.PROPAGANDA
    priority: Priority = Priority.NORMAL
    valid_from: date | None = None
    valid_until: date | None = None
    target_per_week: int | None = None  # None: the default for its priority
    duration: timedelta | None = None  # measured from its audio
    estimated_duration: timedelta | None = None  # from its script, before synthesis
    text: str = ""
    script: str = ""
    approval: Approval = Approval()
    directive_id: int | None = None
    basis: tuple[DocumentRef, ...] = ()
    slogans: tuple[str, ...] = ()
    theme: str | None = None
    observances: tuple[Observance, ...] = ()
    dayparts: frozenset[Daypart] = frozenset()  # empty: any
    min_gap: timedelta | None = None
    stations: frozenset[str] = frozenset()  # empty: every station of the office
    position: int = 0
    #: where the item was read from in its directive's text (character offsets), if known
    passage_start: int | None = None
    passage_end: int | None = None
    #: deleted after it was approved or aired: kept for history, never planned again
    retired_at: datetime | None = None

    @property
    def passage(self) -> tuple[int, int] | None:
        if self.passage_start is None or self.passage_end is None:
            return None
        return self.passage_start, self.passage_end

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    @property
    def effective_duration(self) -> timedelta | None:
        return self.duration or self.estimated_duration

    def target(self, defaults: dict[Priority, int] | None = None) -> int:
        if self.target_per_week is not None:
            return self.target_per_week
        return (defaults or DEFAULT_TARGETS)[self.priority]

    def is_valid_on(self, day: date) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_until and day > self.valid_until)

    def approved_by(self, who: str, at: datetime) -> Item:
        if at.tzinfo is None:
            raise ValueError("approval time must be aware")
        return replace(self, approval=Approval(ApprovalState.APPROVED, who, at))

    def returned_by(self, who: str, at: datetime, note: str) -> Item:
        if at.tzinfo is None:
            raise ValueError("time sent back must be aware")
        return replace(self, approval=Approval(ApprovalState.RETURNED, who, at, note))


@dataclass(frozen=True)
class Period:
    """The period a directive covers when stated."""

    text: str
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class Directive:
    """A guidance document (công văn, kế hoạch, hướng dẫn) as imported."""

    number: str | None = None
    id: int | None = None
    doc_type: str | None = None
    issuer: str | None = None
    place: str | None = None
    date: PartialDate | None = None
    subject: str | None = None
    addressees: tuple[str, ...] = ()
    signer: str | None = None
    period: Period | None = None
    basis: tuple[DocumentRef, ...] = ()
    source_name: str | None = None
    source_sha256: str | None = None
    part: int = 0  # position of the document inside its file (cover letter 0, attachment 1…)
    imported_at: datetime | None = None
    #: the file's text as read (the review page shows it beside the items)
    text: str | None = None
    #: the office whose people work on it (None: imported from the command line, no office)
    office_code: str | None = None
    #: the text's fingerprint: the same document in another format or encoding has the same
    content_sha256: str | None = None

    def as_reference(self) -> DocumentRef:
        """This document cited as a basis: what an item without its own basis implements."""
        return DocumentRef(
            type=self.doc_type,
            number=(self.number or "").strip() or None,
            date=self.date.as_date() if self.date else None,
            issuer=self.issuer,
        )
