"""The agent's log reads as an operator's log: short sentences in the operator's language,
times in the station's zone; the scheduler's and the HTTP client's own lines only behind
--debug, the detailed lines behind -v."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from broadcaster.agent import logs
from broadcaster.domain.messages import _, speaking
from broadcaster.i18n import translations

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
#: 05:30:02 on Tuesday 08/12/2026 in Vietnam
AT = datetime(2026, 12, 7, 22, 30, 2, 417000, tzinfo=UTC)


@pytest.fixture
def restored_logging() -> Iterator[None]:
    """configure_logging replaces the root logger's handlers: put them back afterwards."""
    root = logging.getLogger()
    kept = (root.handlers[:], root.level)
    named = {n: logging.getLogger(n).level for n in ("broadcaster", logs.internals.name)}
    try:
        yield
    finally:
        root.handlers[:], root.level = kept
        for name, level in named.items():
            logging.getLogger(name).setLevel(level)


def _record(level: int, msg: object, name: str = "broadcaster.agent") -> logging.LogRecord:
    record = logging.LogRecord(name, level, __file__, 1, msg, None, None)
    record.created, record.msecs = AT.timestamp(), 417.0
    return record


def test_a_line_starts_with_the_station_time_and_a_warning_says_so():
    fmt = logs.StationFormatter(TZ)
    played = _record(logging.INFO, logs.line(logs.PLAYED, title="Tin 1"))
    missed = _record(
        logging.WARNING,
        logs.line(
            logs.MISSED, title="Tin 2", planned="05:31:00", why=_("its playlist arrived too late")
        ),
    )
    assert fmt.format(played) == "08/12/2026 05:30:02,417 đã phát xong «Tin 1»"
    assert fmt.format(missed) == (
        "08/12/2026 05:30:02,417 CẢNH BÁO: bỏ lỡ «Tin 2» (kế hoạch 05:31:00): "
        "nhận lịch phát quá muộn"
    )
    with speaking(translations("en")):
        assert fmt.format(missed) == (
            "08/12/2026 05:30:02,417 WARNING: missed «Tin 2» (planned 05:31:00): "
            "its playlist arrived too late"
        )


def _emit_one_of_each() -> None:
    logs.log.info(logs.line(logs.PLAYED, title="Tin 1"))
    logs.log.debug(_("the heartbeat did not reach the office: {error}", error="HTTP 502"))
    logs.internals.debug("job entry:2026-12-07T22:30:00+00:00|ab fired")
    logging.getLogger("apscheduler.executors.default").warning(
        'Run time of job "entry:…" was missed by 0:00:03'
    )
    logging.getLogger("httpx").info("HTTP Request: POST http://office/api/v1/heartbeat")


def _configured(**depth: bool) -> list[str]:
    out = io.StringIO()
    logs.configure_logging("Asia/Ho_Chi_Minh", stream=out, **depth)
    _emit_one_of_each()
    return [line.split(" ", 2)[2] for line in out.getvalue().splitlines()]


def test_by_default_only_the_operators_lines_show(restored_logging):
    assert _configured() == ["đã phát xong «Tin 1»"]


def test_verbose_adds_the_detailed_lines_but_no_internals(restored_logging):
    assert _configured(verbose=True) == [
        "đã phát xong «Tin 1»",
        "tín hiệu hoạt động không tới được đơn vị: HTTP 502",
    ]


def test_debug_shows_the_internals_with_their_loggers_names(restored_logging):
    assert _configured(debug=True) == [
        "[broadcaster.agent] đã phát xong «Tin 1»",
        "[broadcaster.agent] tín hiệu hoạt động không tới được đơn vị: HTTP 502",
        "[broadcaster.agent.internals] job entry:2026-12-07T22:30:00+00:00|ab fired",
        '[apscheduler.executors.default] CẢNH BÁO: Run time of job "entry:…" was missed by 0:00:03',
        "[httpx] HTTP Request: POST http://office/api/v1/heartbeat",
    ]


def test_a_failing_periodic_job_is_one_operator_line_and_a_traceback_behind_debug(caplog):
    def broken() -> None:
        raise RuntimeError("boom")

    job = logs.guarded(broken, _("the heartbeat"))
    with caplog.at_level(logging.DEBUG, logger="broadcaster.agent"):
        job()  # does not raise: the scheduler never logs its own error line
    operator = [r for r in caplog.records if r.name == "broadcaster.agent"]
    assert [(r.levelno, r.getMessage(), r.exc_info) for r in operator] == [
        (
            logging.ERROR,
            "tín hiệu hoạt động gặp lỗi ngoài dự kiến (RuntimeError: boom); "
            "phần mềm phát vẫn tiếp tục",
            None,
        )
    ]
    (detail,) = [r for r in caplog.records if r.name == logs.internals.name]
    assert detail.exc_info is not None and detail.levelno == logging.DEBUG


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_tools_find_the_lines_they_look_for_in_either_language(lang):
    spoken = translations(lang)
    played = logs.line_pattern(logs.PLAYED, spoken, title=r"Tin số \d+")
    started = logs.line_pattern(logs.STARTED, spoken)
    with speaking(spoken):
        line = str(logs.line(logs.PLAYED, title="Tin số 12"))
        ready = str(
            logs.line(logs.STARTED, version="0.1.0", station="XA-DAKMIL", player="null", n=8)
        )
    match = played.fullmatch(line)
    assert match is not None and match.group("title") == "Tin số 12"
    assert started.fullmatch(ready) and not started.fullmatch(line)
    with speaking(spoken):
        warned = logs.StationFormatter(TZ).format(
            _record(
                logging.WARNING,
                logs.line(logs.MISSED, title="Tin số 3", planned="05:31:00", why="x"),
            )
        )
    level, text = logs.without_level(warned.split(" ", 2)[2], spoken)
    missed = logs.line_pattern(logs.MISSED, spoken, title=r"Tin số \d+").fullmatch(text)
    assert level == logging.WARNING and missed is not None and missed.group("title") == "Tin số 3"
    stamp = logs.STAMP.match(f"08/12/2026 05:30:02,417 {line}")
    assert stamp is not None
    assert logs.parse_stamp(stamp.group(1), TZ) == AT
