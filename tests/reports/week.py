"""A known week of plans and airing logs, with every figure a report must show.

Office KV-TEST plans two commune stations for Mon 7 – Sun 13 July 2025 (UTC+7):

XA-A  item 1 Mon 05:32  aired in full, uploaded twice (retried upload, same event id)
      item 1 Wed 05:32  failed, then aired on a retry (two records, one entry: counts once)
      item 1 Fri 05:32  partial: 3 of 5 minutes
      item 2 Tue 17:02  interrupted after 1.5 minutes by an emergency bulletin at 17:03 (2 min)
      item 2 Thu 17:02  no log at all: missed
XA-B  item 1 Mon 05:32  aired, its log received three days late
      item 1 Thu 05:32  missed, operator's note "Mất điện"
      item 2 Sat 17:02  confirmed by hand (no times): aired, planned 4 minutes
      Sun 17:10         an operator's own notice (unplanned), 3 minutes
Ignored: a record for the next Monday, and one from a station outside the office.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone

from broadcaster.domain.airings import Airing, AiringSource, AiringStatus
from broadcaster.domain.items import (
    Approval,
    ApprovalState,
    Directive,
    DocumentRef,
    Item,
    PartialDate,
    Priority,
)
from broadcaster.domain.reconcile import PlannedAiring
from broadcaster.domain.stations import ClockSettings, Session, Station, StationKind

TZ = timezone(timedelta(hours=7))
MONDAY = date(2025, 7, 7)
SUNDAY = date(2025, 7, 13)
DAILY = frozenset(range(7))
CLOCK = ClockSettings(
    sessions=(
        Session("Sáng", DAILY, time(5, 30), timedelta(minutes=30)),
        Session("Chiều", DAILY, time(17, 0), timedelta(minutes=30)),
    ),
    timezone="Asia/Ho_Chi_Minh",
)
STATIONS = [
    Station("TINH", "Tỉnh Thử Nghiệm", StationKind.PROVINCE),
    Station(
        "KV-TEST",
        "Trung tâm Văn hóa - Thông tin khu vực Thử Nghiệm",
        StationKind.REGION,
        parent="TINH",
        is_office=True,
        clock=CLOCK,
    ),
    Station("XA-A", "Đài truyền thanh xã An Bình", StationKind.COMMUNE, parent="KV-TEST"),
    Station("XA-B", "Đài truyền thanh xã Bình Minh", StationKind.COMMUNE, parent="KV-TEST"),
    Station("XA-B-L1", "Cụm loa thôn 1", StationKind.CLUSTER, parent="XA-B"),
    Station("KV-KHAC", "Khu vực khác", StationKind.REGION, parent="TINH", is_office=True),
    Station("XA-KHAC", "Đài xã khác", StationKind.COMMUNE, parent="KV-KHAC", clock=CLOCK),
]
DIRECTIVE = Directive(
    number="123/SVHTTDL-QLVH",
    doc_type="Công văn",
    issuer="Sở Văn hóa, Thể thao và Du lịch",
    date=PartialDate(2025, 7, 1),
    subject="tuyên truyền tháng 7 năm 2025",
)
APPROVED = Approval(ApprovalState.APPROVED, "Chủ tịch UBND", datetime(2025, 7, 2, tzinfo=TZ))


def items(directive_id: int | None) -> list[Item]:
    return [
        Item(
            title="Phòng, chống dịch sốt xuất huyết",
            number="1",
            priority=Priority.PRIORITY,
            duration=timedelta(minutes=5),
            directive_id=directive_id,
            approval=APPROVED,
            position=1,
            basis=(DocumentRef("Kế hoạch", "45/KH-UBND", date(2025, 6, 20), "UBND tỉnh"),),
        ),
        Item(
            title="Phòng cháy, chữa cháy mùa khô",
            number="2",
            priority=Priority.NORMAL,
            duration=timedelta(minutes=4),
            directive_id=directive_id,
            approval=APPROVED,
            position=2,
        ),
        Item(
            title="Cảnh báo lũ quét",
            number="3",
            priority=Priority.EMERGENCY,
            duration=timedelta(minutes=2),
            directive_id=directive_id,
            approval=APPROVED,
            position=3,
        ),
    ]


def at(day: int, hh: int, mm: int, ss: int = 0) -> datetime:
    """Day 0 is Monday 7 July 2025, station time."""
    return datetime.combine(MONDAY + timedelta(days=day), time(hh, mm, ss), tzinfo=TZ)


@dataclass
class Week:
    item_ids: tuple[int, int, int]
    planned: list[PlannedAiring]
    airings: list[Airing]
    #: an upload that only arrives after the first report (day 3 Thu, XA-A item 2)
    late_upload: Airing


def build_week(item_ids: tuple[int, int, int] = (1, 2, 3)) -> Week:
    i1, i2, i3 = item_ids
    five, four = timedelta(minutes=5), timedelta(minutes=4)

    def plan(code: str, item: int, day: int, hh: int, mm: int, dur: timedelta) -> PlannedAiring:
        return PlannedAiring(
            station_code=code,
            item_id=item,
            start=at(day, hh, mm),
            duration=dur,
            priority=Priority.PRIORITY if item == i1 else Priority.NORMAL,
            session="Sáng" if hh < 12 else "Chiều",
            entry_id=f"{code}-{day}-{hh:02d}{mm:02d}-{item}",
        )

    planned = [
        plan("XA-A", i1, 0, 5, 32, five),
        plan("XA-A", i2, 1, 17, 2, four),
        plan("XA-A", i1, 2, 5, 32, five),
        plan("XA-A", i2, 3, 17, 2, four),
        plan("XA-A", i1, 4, 5, 32, five),
        plan("XA-B", i1, 0, 5, 32, five),
        plan("XA-B", i1, 3, 5, 32, five),
        plan("XA-B", i2, 5, 17, 2, four),
        # another office's station: not in this office's report
        plan("XA-KHAC", i1, 0, 5, 32, five),
    ]
    soon = timedelta(minutes=30)

    def log(
        event: str,
        code: str,
        status: AiringStatus,
        item: int | None,
        planned_start: datetime | None,
        start: datetime | None,
        end: datetime | None,
        received: datetime,
        **kw: object,
    ) -> Airing:
        return Airing(
            event_id=event,
            station_code=code,
            status=status,
            planned_start=planned_start,
            actual_start=start,
            actual_end=end,
            item_id=item,
            received_at=received,
            operator=kw.pop("operator", "Nguyễn Văn Trực"),  # type: ignore[arg-type]
            **kw,  # type: ignore[arg-type]
        )

    A, B = "XA-A", "XA-B"
    mon = at(0, 5, 32)
    aired_mon = log("a-mon", A, AiringStatus.AIRED, i1, mon, mon, mon + five, mon + soon)
    wed = at(2, 5, 32)
    fri = at(4, 5, 32)
    tue = at(1, 17, 2)
    emergency_at = at(1, 17, 3, 30)
    airings = [
        aired_mon,
        replace(aired_mon, received_at=mon + 2 * soon),  # the retried upload
        log("a-wed-1", A, AiringStatus.FAILED, i1, wed, wed, None, wed + soon, note="Lỗi loa"),
        log(
            "a-wed-2",
            A,
            AiringStatus.AIRED,
            i1,
            wed,
            wed + timedelta(minutes=6),
            wed + timedelta(minutes=11),
            wed + soon,
        ),
        log("a-fri", A, AiringStatus.PARTIAL, i1, fri, fri, fri + timedelta(minutes=3), fri + soon),
        log(
            "a-tue",
            A,
            AiringStatus.INTERRUPTED,
            i2,
            tue,
            tue,
            tue + timedelta(seconds=90),
            tue + soon,
        ),
        log(
            "a-tue-emergency",
            A,
            AiringStatus.AIRED,
            i3,
            None,
            emergency_at,
            emergency_at + timedelta(minutes=2),
            emergency_at + soon,
            entry_id="emergency-1",
            title="Cảnh báo lũ quét",
        ),
        log(
            "b-mon",
            B,
            AiringStatus.AIRED,
            i1,
            mon,
            mon,
            mon + five,
            mon + timedelta(days=3),
            operator="Trần Thị Máy",
        ),
        log(
            "b-thu",
            B,
            AiringStatus.MISSED,
            i1,
            at(3, 5, 32),
            None,
            None,
            at(3, 6, 0),
            note="Mất điện",
            operator="Trần Thị Máy",
        ),
        log(
            "b-sat",
            B,
            AiringStatus.MANUAL,
            i2,
            at(5, 17, 2),
            None,
            None,
            at(5, 18, 0),
            source=AiringSource.MANUAL,
            operator="Trần Thị Máy",
        ),
        log(
            "b-sun-notice",
            B,
            AiringStatus.MANUAL,
            None,
            None,
            at(6, 17, 10),
            at(6, 17, 13),
            at(6, 18, 0),
            source=AiringSource.MANUAL,
            title="Thông báo lịch tiêm chủng",
            operator="Trần Thị Máy",
        ),
        # outside the period, and outside the office
        log(
            "a-next-mon",
            A,
            AiringStatus.AIRED,
            i1,
            at(7, 5, 32),
            at(7, 5, 32),
            at(7, 5, 37),
            at(7, 6, 0),
        ),
        log("khac-mon", "XA-KHAC", AiringStatus.AIRED, i1, mon, mon, mon + five, mon + soon),
    ]
    thu = at(3, 17, 2)
    late = log(
        "a-thu-late",
        A,
        AiringStatus.MANUAL,
        i2,
        thu,
        None,
        None,
        thu + timedelta(days=4),
        source=AiringSource.MANUAL,
        note="Sổ giấy, nhập bù",
    )
    return Week(item_ids, planned, airings, late)


#: every figure of the week, as the JSON report must give it
EXPECTED_ITEM_STATIONS = {
    # (item index, station): planned, aired, partial, interrupted, missed, minutes, attainment
    (0, "XA-A"): (3, 2, 1, 0, 0, 13.0, 66.7),
    (1, "XA-A"): (2, 0, 0, 1, 1, 1.5, 0.0),
    (0, "XA-B"): (2, 1, 0, 0, 1, 5.0, 50.0),
    (1, "XA-B"): (1, 1, 0, 0, 0, 4.0, 100.0),
}
EXPECTED_ITEMS = {
    0: (5, 3, 1, 0, 1, 18.0, 60.0),
    1: (3, 1, 0, 1, 1, 5.5, 33.3),
}
EXPECTED_TOTALS = (8, 4, 1, 1, 2, 23.5, 50.0)
EXPECTED_PRIORITIES = {
    "priority": (5, 3, 1, 0, 1, 18.0, 60.0),
    "normal": (3, 1, 0, 1, 1, 5.5, 33.3),
}
EXPECTED_STATIONS = {
    # planned, aired, partial, interrupted, missed, minutes (planned entries), attainment,
    # sessions planned, sessions held, minutes on air, emergencies, unplanned, late logs
    "XA-A": (5, 2, 1, 1, 1, 14.5, 40.0, 5, 4, 16.5, 1, 1, 0),
    "XA-B": (3, 2, 0, 0, 1, 9.0, 66.7, 3, 3, 12.0, 0, 1, 1),
}
EXPECTED_RECORDS = 10
EXPECTED_DUPLICATES = 2
EXPECTED_ON_AIR = 28.5
