"""Decoding guidance files: Unicode encodings, Windows-1258 and the legacy font encodings.

Old government files were typed in TCVN3 (ABC, ``.VnTime`` fonts) or VNI (``VNI-Times``): the
bytes, or the characters a Unicode program shows for them, stand for Vietnamese letters only
through the font. Which one a file uses is not recorded anywhere, so every plausible reading is
tried and the one that reads most like Vietnamese wins.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# TCVN 5712:1993 (VN3): lower-case letters with tones, plus seven upper-case base letters.
# Upper-case letters with tones have no code of their own: a separate "H" font draws the
# lower-case codes as capitals, so plain text cannot tell them apart.
_TCVN3_PAIRS = (
    "a1:Ă a2:Â a3:Ê a4:Ô a5:Ơ a6:Ư a7:Đ a8:ă a9:â aa:ê ab:ô ac:ơ ad:ư ae:đ "
    "b5:à b6:ả b7:ã b8:á b9:ạ bb:ằ bc:ẳ bd:ẵ be:ắ c6:ặ c7:ầ c8:ẩ c9:ẫ ca:ấ cb:ậ "
    "cc:è ce:ẻ cf:ẽ d0:é d1:ẹ d2:ề d3:ể d4:ễ d5:ế d6:ệ d7:ì d8:ỉ dc:ĩ dd:í de:ị "
    "df:ò e1:ỏ e2:õ e3:ó e4:ọ e5:ồ e6:ổ e7:ỗ e8:ố e9:ộ ea:ờ eb:ở ec:ỡ ed:ớ ee:ợ "
    "ef:ù f1:ủ f2:ũ f3:ú f4:ụ f5:ừ f6:ử f7:ữ f8:ứ f9:ự fa:ỳ fb:ỷ fc:ỹ fd:ý fe:ỵ"
)
TCVN3_BYTE_TO_CHAR: dict[int, str] = {
    int(code, 16): char for code, char in (pair.split(":") for pair in _TCVN3_PAIRS.split())
}
TCVN3_CHAR_TO_BYTE: dict[str, int] = {v: k for k, v in TCVN3_BYTE_TO_CHAR.items()}

# VNI-Windows: a base letter followed by a mark character (as Windows-1252 shows it).
_VNI_MARKS_LOWER = {
    "ù": "\u0301",  # sắc
    "ø": "\u0300",  # huyền
    "û": "\u0309",  # hỏi
    "õ": "\u0303",  # ngã
    "ï": "\u0323",  # nặng
}
_VNI_SPECIAL = {  # single characters standing for a whole letter
    "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "ô": "ơ", "ö": "ư", "î": "ỵ", "ñ": "đ",
    "Í": "Í", "Ì": "Ì", "Æ": "Ỉ", "Ó": "Ĩ", "Ò": "Ị", "Ô": "Ơ", "Ö": "Ư", "Î": "Ỵ", "Ñ": "Đ",
}  # fmt: skip
# circumflex (â) and breve (ê) combined with a tone have their own mark characters
_VNI_CIRCUMFLEX = {
    "â": "",
    "á": "\u0301",
    "à": "\u0300",
    "å": "\u0309",
    "ã": "\u0303",
    "ä": "\u0323",
}
_VNI_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}


def _build_vni() -> dict[str, str]:
    table: dict[str, str] = {}
    for lower in (True, False):

        def case(s: str, lower: bool = lower) -> str:
            return s if lower else s.upper()

        for base in "aeiouy":
            for mark, combining in _VNI_MARKS_LOWER.items():
                if base == "i":
                    continue
                table[case(base) + case(mark)] = unicodedata.normalize(
                    "NFC", case(base) + combining
                )
        for base in "aeo":
            for mark, tone in _VNI_CIRCUMFLEX.items():
                table[case(base) + case(mark)] = unicodedata.normalize(
                    "NFC", case(base) + "\u0302" + tone
                )
        for mark, tone in _VNI_BREVE.items():
            table[case("a") + case(mark)] = unicodedata.normalize(
                "NFC", case("a") + "\u0306" + tone
            )
        for base, horned in (("ô", "ơ"), ("ö", "ư")):
            for mark, combining in _VNI_MARKS_LOWER.items():
                table[case(base) + case(mark)] = unicodedata.normalize(
                    "NFC", case(horned) + combining
                )
    return table


VNI_SEQUENCES: dict[str, str] = _build_vni()
_VNI_PATTERN = re.compile(
    "|".join(re.escape(k) for k in sorted([*VNI_SEQUENCES, *_VNI_SPECIAL], key=len, reverse=True))
)

# Frequent Vietnamese syllables that carry a diacritic: a text that reads as Vietnamese is full
# of them; a mis-decoded one has almost none.
_COMMON = """
của các và được người trong những với để về tại này đã có không năm ngày tháng số tỉnh huyện xã
thực hiện tuyên truyền thông tin công tác cơ quan đơn vị nhân dân ủy ban chủ tịch phòng chống
sở văn hóa thể thao du lịch y tế giáo dục đào tạo bảo vệ môi trường phát triển kinh tế hội đề
nghị kế hoạch quyết định chỉ thị hướng dẫn nội dung đảm bảo tăng cường đẩy mạnh nâng cao nhận
thức trách nhiệm cộng đồng gia đình trẻ em học sinh đồng chí địa bàn trên địa phương triển khai
cấp ủy đảng chính quyền đoàn thể mặt trận tổ quốc việt nam cộng hòa xã độc lập tự do hạnh phúc
kính gửi nơi nhận lưu giám đốc phó trưởng ban chỉ đạo tổ chức phối hợp hoạt động phong trào dịch
bệnh sốt xuất huyết đuối nước thiên tai phòng cháy chữa cháy ma túy hiệu quả kịp thời đầy đủ
nhiệm vụ giải pháp mục đích yêu cầu kinh phí ngân sách báo cáo kết quả trước đến từ theo căn cứ
"""
COMMON_SYLLABLES = frozenset(
    w for w in unicodedata.normalize("NFC", _COMMON).split() if any(ord(c) > 127 for c in w)
)
_WORD = re.compile(r"[^\W\d_]+")


def vietnamese_score(text: str) -> int:
    """How Vietnamese a text reads: common accented syllables minus broken-looking words."""
    score = 0
    for word in _WORD.findall(text[:200_000]):
        lw = word.lower()
        if lw in COMMON_SYLLABLES:
            score += 2
        elif any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", lw)) and not all(
            "a" <= c <= "z" or c in _VIET_LETTERS for c in lw
        ):
            score -= 1
    return score


_VIET_LETTERS = frozenset(
    unicodedata.normalize(
        "NFC",
        "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ",
    )
)


def _tcvn3_byte(b: int) -> str:
    if b in TCVN3_BYTE_TO_CHAR:
        return TCVN3_BYTE_TO_CHAR[b]
    return bytes([b]).decode("cp1252", errors="replace") if b >= 0x80 else chr(b)


def decode_tcvn3_text(text: str) -> str:
    """Text whose characters are TCVN3 codes as a Latin-1/Windows-1252 program shows them."""
    return repair_tcvn3_capitals(text.translate(_TCVN3_SHOWN))


def decode_vni_text(text: str) -> str:
    """Text whose characters are VNI codes as a Windows-1252 program shows them."""

    def sub(m: re.Match[str]) -> str:
        s = m.group(0)
        return VNI_SEQUENCES.get(s) or _VNI_SPECIAL[s]

    return _VNI_PATTERN.sub(sub, text)


def _cp1252_byte(ch: str) -> int | None:
    try:
        return ch.encode("cp1252")[0]
    except UnicodeEncodeError:
        if ord(ch) < 256:
            return ord(ch)  # the five bytes Windows-1252 leaves undefined
        return None


def _tcvn3_tables() -> tuple[dict[int, str], dict[int, str]]:
    """str.translate tables: a character as a Windows-1252 program shows a TCVN3 byte → the
    letter it stands for; and each byte (read as Latin-1) → its TCVN3 reading."""
    shown: dict[int, str] = {}
    candidates = {chr(x) for x in range(256)}
    candidates |= {bytes([b]).decode("cp1252", errors="ignore") for b in range(0x80, 0x100)}
    for ch in candidates - {""}:
        code = _cp1252_byte(ch)
        if code is not None and code in TCVN3_BYTE_TO_CHAR:
            shown[ord(ch)] = TCVN3_BYTE_TO_CHAR[code]
    raw = {b: _tcvn3_byte(b) for b in range(256)}
    return shown, raw


_TOKEN = re.compile(r"\S+")
_ASCII_LOWER = re.compile(r"[a-z]")


def repair_tcvn3_capitals(text: str) -> str:
    """Upper-case letters with tones come out lower-case from TCVN3 (see above): in a line
    written in capitals ("ủY BAN NHÂN DÂN", "KINH PHí"), raise them again."""
    lines = []
    for line in text.split("\n"):
        if _ASCII_LOWER.search(line):  # its word holding that letter is not in capitals
            lines.append(line)
            continue
        tokens = [t for t in _TOKEN.findall(line) if any(c.isalpha() for c in t)]
        capital_like = [
            t
            for t in tokens
            if any(c.isascii() and c.isupper() for c in t)
            and not any(c.isascii() and c.islower() for c in t)
        ]
        strong = sum(1 for t in capital_like if sum(c.isascii() and c.isupper() for c in t) >= 2)
        if tokens and strong >= 2 and len(capital_like) == len(tokens):
            line = line.upper()
        lines.append(line)
    return "\n".join(lines)


_TCVN3_SHOWN, _TCVN3_RAW = _tcvn3_tables()


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # "utf-8", "utf-16", "windows-1258", "tcvn3", "vni", "windows-1252"


def _looks_utf16(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def is_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: not a text file (checked after UTF-16)."""
    sample = data[:8000]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(4, len(sample) // 50)


def decode_bytes(data: bytes) -> Decoded | None:
    """Decode a text file's bytes; None when they are not text at all."""
    for bom, codec, name in (
        (b"\xef\xbb\xbf", "utf-8-sig", "utf-8"),
        (b"\xff\xfe\x00\x00", "utf-32", "utf-32"),
        (b"\xff\xfe", "utf-16", "utf-16"),
        (b"\xfe\xff", "utf-16", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return Decoded(repair_legacy(data.decode(codec)).text, name)
            except UnicodeDecodeError:
                return None
    utf16 = _looks_utf16(data)
    if utf16:
        try:
            return Decoded(repair_legacy(data.decode(utf16)).text, "utf-16")
        except UnicodeDecodeError:
            return None
    if is_binary(data):
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return repair_legacy(text)
    # a single-byte file: try each reading and keep the most Vietnamese one
    candidates = [
        Decoded(data.decode("cp1258", errors="replace"), "windows-1258"),
        Decoded(repair_tcvn3_capitals(data.decode("latin-1").translate(_TCVN3_RAW)), "tcvn3"),
        Decoded(decode_vni_text(data.decode("cp1252", errors="replace")), "vni"),
        Decoded(data.decode("cp1252", errors="replace"), "windows-1252"),
    ]
    return _best(candidates)


_SAMPLE = 200_000  # characters vietnamese_score reads


def repair_legacy(text: str) -> Decoded:
    """Unicode text may still hold legacy-font characters (a .docx typed in .VnTime shows
    "Uû ban nh©n d©n"): convert when that reads as Vietnamese much better."""
    text = unicodedata.normalize("NFC", text)
    base = Decoded(text, "utf-8")
    if not any(128 <= ord(c) < 256 for c in text[:_SAMPLE]):
        return base
    # judge the readings on a sample holding what the score reads (a VNI reading is up to
    # three times shorter; to the end of a line, as capitals are repaired line by line), then
    # convert the whole text only when one wins
    end = text.find("\n", 3 * _SAMPLE)
    sample = text if end < 0 or end > 4 * _SAMPLE else text[:end]
    decoders = {"tcvn3": decode_tcvn3_text, "vni": decode_vni_text}
    candidates = [Decoded(sample, "utf-8")]
    candidates += [Decoded(decode(sample), name) for name, decode in decoders.items()]
    best = _best(candidates)
    # only convert on clear evidence: a Unicode text must stay as it is
    if best.encoding != "utf-8" and vietnamese_score(best.text) > vietnamese_score(sample) + 5:
        whole = best.text if sample is text else decoders[best.encoding](text)
        return Decoded(unicodedata.normalize("NFC", whole), best.encoding)
    return base


def _best(candidates: list[Decoded]) -> Decoded:
    scored = [(vietnamese_score(c.text), -i, c) for i, c in enumerate(candidates)]
    scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
    best = scored[0][2]
    return Decoded(unicodedata.normalize("NFC", best.text), best.encoding)


def encode_tcvn3(text: str) -> bytes:
    """Unicode → TCVN3 bytes (upper-case letters with tones become their lower-case codes,
    as the ``.VnTimeH`` fonts store them). For tests and for exporting to old systems."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 128:
            out.append(ord(ch))
        elif ch in TCVN3_CHAR_TO_BYTE:
            out.append(TCVN3_CHAR_TO_BYTE[ch])
        elif ch.lower() in TCVN3_CHAR_TO_BYTE:
            out.append(TCVN3_CHAR_TO_BYTE[ch.lower()])
        else:
            # punctuation (“ ” – …) keeps its Windows-1252 code, as Word wrote it
            try:
                code = ch.encode("cp1252")
            except UnicodeEncodeError:
                code = b"?"
            out += code if code[0] not in TCVN3_BYTE_TO_CHAR else b"?"
    return bytes(out)


def encode_windows_1258(text: str) -> bytes:
    """Unicode → Windows-1258, which writes most tones as combining marks after the letter."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        # keep circumflex, breve and horn on the letter (cp1258 has â ê ô ă ơ ư), tone apart
        shape = next((m for m in marks if m in "\u0302\u0306\u031b"), None)
        if shape is not None:
            base, marks = unicodedata.normalize("NFC", base + shape), marks.replace(shape, "", 1)
        try:
            out += (base + marks).encode("cp1258")
        except UnicodeEncodeError:
            out += b"?"
    return bytes(out)


def encode_vni(text: str) -> bytes:
    """Unicode → VNI-Windows bytes (a letter and its mark characters, Windows-1252 codes)."""
    reverse = {v: k for k, v in VNI_SEQUENCES.items()}
    reverse.update({v: k for k, v in _VNI_SPECIAL.items() if v not in reverse})
    out = []
    for ch in unicodedata.normalize("NFC", text):
        out.append(reverse.get(ch, ch))
    return "".join(out).encode("cp1252", errors="replace")
