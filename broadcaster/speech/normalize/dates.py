"""Dates, times, ranges, ordinals, months and Roman numerals after the words that take them."""

from __future__ import annotations

import re

from .letters import ROMAN, roman_value
from .numbers import read_int_str, read_number
from .options import Dialect
from .text import sub

_MONTHS = (
    "", "một", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười", "mười một", "mười hai",
)  # fmt: skip

_DATE_DASHED = re.compile(r"(?<![\w/.,\-])(\d{1,2})([.\-])(\d{1,2})\2(\d{4})(?![\w]|[.,\-/]\d)")
_DAY_DASH_MONTH = re.compile(r"(?<!\w)((?i:ngày)\s+)(\d{1,2})-(\d{1,2})(?![\w/.,\-–])")
_RANGE_DASH = re.compile(r"(?:(?<=\d)|(?<=\d[h%'’]))\s*[-–—]\s*(?=\d)")
_NEGATIVE = re.compile(r"(?:(?<=^)|(?<=[\s(]))[-−](?=\d)")

_DMY = re.compile(r"(?<![\w/.,])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\w/]|[.,]\d)")
_MY = re.compile(r"(?<![\w/.,])(?:([Tt]háng|THÁNG)\s+)?(\d{1,2})/(\d{4})(?![\w/]|[.,]\d)")
_DM = re.compile(r"(?<![\w/.,])(\d{1,2})/(\d{1,2})(?![\w/]|[.,]\d)")
_SLASH_NUMBERS = re.compile(r"(?<=\d)\s*/\s*(?=\d)")
_COLON_NUMBERS = re.compile(r"(?<=\d):(?=\d)")  # a scale or ratio (1:500); times are read first
_PREV_WORD = re.compile(r"(\w+)\W*\Z")
_NEXT_WORDS = re.compile(r"\W{0,3}(\w+)(?:\s+(\w+))?")

_ADDRESS_BEFORE = {"ngõ", "ngách", "hẻm", "kiệt", "nhà", "số"}
_DATE_BEFORE = {
    "ngày", "hôm", "sáng", "trưa", "chiều", "tối", "đêm", "từ", "đến", "trước", "sau",
    "đường", "phố",  # streets named after dates: đường 3/2, phố 30/4
}  # fmt: skip
_COUNTED = {
    "huyện", "xã", "phường", "thị", "thành", "tỉnh", "quận", "đơn", "trường", "người", "hộ",
    "thôn", "bon", "buôn", "bản", "ấp", "khóm", "tổ", "ca", "tiêu", "chỉ", "cơ", "điểm", "xóm",
    "làng", "khu", "địa", "sở", "ban", "ngành", "phòng", "học", "câu", "bài", "lớp", "trạm",
    "đội", "nhóm", "hội", "doanh", "bệnh", "chi", "đảng", "thí", "vùng", "tuyến", "nội", "lượt",
    "trận", "khối", "công", "dự", "cụm", "chiếc", "con", "cái", "căn", "ngôi", "mô", "gia",
    "đoàn", "cán", "hợp", "phiếu", "ý", "thành viên", "nhiệm", "mục", "cuộc", "trang", "thủ",
}  # fmt: skip
_FRACTION_NEXT = {"số", "dân", "diện", "tổng", "lượng", "khối", "quãng", "thời"}

_TIME_HM = re.compile(
    r"(?<![\w:.,])([01]?\d|2[0-4])[hHg:]([0-5]\d)(?:(?:['’]|\s?phút)(?!\w))?(?![\w]|[.,:]\d)"
)
_TIME_H = re.compile(r"(?<![\w:.,])([01]?\d|2[0-4])\s?[hH](?![\w])")

_ORDINAL = re.compile(rf"(?<!\w)([Tt]hứ|THỨ)\s+(\d+|{ROMAN})(?![\w])")
_MONTH = re.compile(r"(?<!\w)([Tt]háng|THÁNG)\s+(\d{1,2})(?![\w/]|[.,]\d)")
_ROMAN_AFTER = re.compile(
    r"(?<!\w)((?i:khóa|khoá|kỳ|kì|lần|phần|chương|mục|quý|đại hội|thế kỷ|thế kỉ|phụ lục|tập|phiên))"
    rf"\s+({ROMAN})(?:/(\d{{4}}))?(?![\w])"
)
_ROMAN_HEADING = re.compile(rf"^(\s*)({ROMAN})\.(?=\s)")


def _date(day: str, month: str, year: str | None, dialect: Dialect) -> str:
    words = f"{read_int_str(day, dialect)} tháng {_MONTHS[int(month)]}"
    if year is not None:
        words += f" năm {read_int_str(year, dialect)}"
    return words


def ranges(line: str) -> str:
    """Dashed dates made slashed, a dash between numbers "đến", a minus sign "âm"."""

    def dashed_date(m: re.Match[str]) -> str:
        day, month = int(m.group(1)), int(m.group(3))
        if 1 <= day <= 31 and 1 <= month <= 12:
            return f"{m.group(1)}/{m.group(3)}/{m.group(4)}"
        return m.group(0)

    def day_dash_month(m: re.Match[str]) -> str:
        # "ngày 20-11" is 20 November; "ngày 15-16/5" stays a range
        day, month = int(m.group(2)), int(m.group(3))
        if 1 <= day <= 31 and 1 <= month <= 12:
            return f"{m.group(1)}{m.group(2)}/{m.group(3)}"
        return m.group(0)

    line = _DATE_DASHED.sub(dashed_date, line)
    line = _DAY_DASH_MONTH.sub(day_dash_month, line)
    line = _RANGE_DASH.sub(" đến ", line)
    return _NEGATIVE.sub("âm ", line)


def _day_month_or_ratio(m: re.Match[str], dialect: Dialect) -> str:
    """Day/month after "ngày", a fraction before "số", a ratio before what is counted."""
    a, b = m.group(1), m.group(2)
    prev = _PREV_WORD.search(m.string, max(0, m.start() - 40), m.start())
    nxt = _NEXT_WORDS.match(m.string, m.end())
    prev_word = (
        prev.group(1).lower() if prev and m.string[prev.end(1) : m.start()].strip() == "" else ""
    )
    next_word = nxt.group(1).lower() if nxt else ""
    next_two = f"{next_word} {nxt.group(2).lower()}" if nxt and nxt.group(2) else ""
    valid_date = 1 <= int(a) <= 31 and 1 <= int(b) <= 12
    if valid_date and prev_word in _DATE_BEFORE:
        return _date(a, b, None, dialect)
    if next_word in _FRACTION_NEXT and int(a) < int(b):
        return f"{read_int_str(a, dialect)} phần {read_int_str(b, dialect)}"
    if (
        next_word in _COUNTED
        or next_two in _COUNTED
        or prev_word in _ADDRESS_BEFORE
        or not valid_date
    ):
        return f"{read_int_str(a, dialect)} trên {read_int_str(b, dialect)}"
    return _date(a, b, None, dialect)


def dates(line: str, dialect: Dialect) -> str:
    """Day/month/year, month/year and day/month (or a ratio); any other slash between numbers."""

    def dmy(m: re.Match[str]) -> str:
        day, month = int(m.group(1)), int(m.group(2))
        if 1 <= day <= 31 and 1 <= month <= 12:
            return _date(m.group(1), m.group(2), m.group(3), dialect)
        return m.group(0)

    def my(m: re.Match[str]) -> str:
        keyword, month, year = m.group(1), m.group(2), m.group(3)
        if not 1 <= int(month) <= 12:
            return m.group(0)
        prev = _PREV_WORD.search(m.string, 0, m.start())
        if keyword is None and prev and prev.group(1).lower() == "số":
            return f"{read_int_str(month, dialect)} năm {read_int_str(year, dialect)}"
        return f"{keyword or 'tháng'} {_MONTHS[int(month)]} năm {read_int_str(year, dialect)}"

    line = sub(_DMY, line, dmy)
    line = sub(_MY, line, my)
    line = sub(_DM, line, lambda m: _day_month_or_ratio(m, dialect))
    return _SLASH_NUMBERS.sub(" trên ", line)


def times(line: str, dialect: Dialect) -> str:
    """17h30, 17:30, 8h; a colon left between numbers is a scale or ratio (1:500)."""

    def hm(m: re.Match[str]) -> str:
        hour, minute = m.group(1), m.group(2)
        words = f"{read_int_str(hour, dialect)} giờ"
        if int(minute):
            words += f" {read_int_str(minute, dialect)} phút"
        return words

    line = sub(_TIME_HM, line, hm)
    line = sub(_TIME_H, line, lambda m: f"{read_int_str(m.group(1), dialect)} giờ")
    return _COLON_NUMBERS.sub(" trên ", line)


def ordinals_months_romans(line: str, dialect: Dialect) -> str:
    """Ordinals ("thứ 4": thứ tư), months ("tháng 4": tháng tư), "khóa XIV", headings "II."."""

    def ordinal(m: re.Match[str]) -> str:
        raw = m.group(2)
        value = int(raw) if raw.isdigit() else roman_value(raw)
        if value == 1:
            return f"{m.group(1)} nhất"
        if value == 4:
            return f"{m.group(1)} tư"
        return f"{m.group(1)} {read_number(value, dialect)}"

    def month(m: re.Match[str]) -> str:
        value = int(m.group(2))
        if 1 <= value <= 12:
            return f"{m.group(1)} {_MONTHS[value]}"
        return f"{m.group(1)} {read_int_str(m.group(2), dialect)}"

    def roman(m: re.Match[str]) -> str:
        words = f"{m.group(1)} {read_number(roman_value(m.group(2)), dialect)}"
        if m.group(3):
            words += f" năm {read_int_str(m.group(3), dialect)}"
        return words

    def heading(m: re.Match[str]) -> str:
        words = read_number(roman_value(m.group(2)), dialect)
        return f"{m.group(1)}{words[0].upper()}{words[1:]}."

    line = sub(_ORDINAL, line, ordinal)
    line = sub(_MONTH, line, month)
    line = sub(_ROMAN_AFTER, line, roman)
    return _ROMAN_HEADING.sub(heading, line)
