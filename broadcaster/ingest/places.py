"""Where an office is, from a portal's address: "quangnam.gov.vn" is Quảng Nam.

Portal pages of provinces, districts and communes are named by the place without its tone marks
("thuanchau.sonla.gov.vn", "huecity.gov.vn"): a Vietnamese reader knows the place. A label is
matched against the places the text itself names first ("huyện Thuận Châu"), then against the
provinces and centrally-run cities (the 63 before the 2025 merger include the 34 after). Pure.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh", "Bến Tre",
    "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Đắk Lắk",
    "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Tĩnh",
    "Hải Dương", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum",
    "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An", "Nam Định", "Nghệ An", "Ninh Bình",
    "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh",
    "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa",
    "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc",
    "Yên Bái",
)  # fmt: skip
CITIES = ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế")

_LEVEL = r"(?:tỉnh|thành phố|huyện|thị xã|quận|xã|phường|thị trấn)"
_UPPER = "A-ZĐÂĂÊÔƠƯÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ"
PLACE_IN_TEXT = re.compile(
    rf"\b(?P<level>(?i:{_LEVEL}))\s+(?P<name>[{_UPPER}]\w*(?:\s+[{_UPPER}]\w*)*)"
)
_NOT_PLACE_LABELS = {"www", "gov", "vn", "com", "org", "net", "edu", "dcs", "portal", "egov"}


def slug(name: str) -> str:
    """'Thuận Châu' → 'thuanchau': a place as a portal address writes it."""
    text = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return re.sub(
        r"[^a-z0-9]", "", "".join(c for c in text if not unicodedata.combining(c)).lower()
    )


_KNOWN = {slug(p): f"tỉnh {p}" for p in PROVINCES} | {slug(c): f"thành phố {c}" for c in CITIES}


def place_from_url(url: str | None, text: str = "") -> str | None:
    """The place a portal address names, written as the text writes it when it does."""
    if not url:
        return None
    host = urlsplit(url if "://" in url else f"http://{url}").hostname or ""
    labels = [label for label in host.lower().split(".") if label not in _NOT_PLACE_LABELS]
    named: dict[str, str] = {}
    for m in PLACE_IN_TEXT.finditer(text):
        named.setdefault(slug(m.group("name")), f"{m.group('level').lower()} {m.group('name')}")
    for label in labels:
        for key in (label, label.removesuffix("city")):
            if key in named:
                return named[key]
            if key in _KNOWN:
                return _KNOWN[key]
    return None


__all__ = ["CITIES", "PLACE_IN_TEXT", "PROVINCES", "place_from_url", "slug"]
