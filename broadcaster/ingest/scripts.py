"""Draft announcement scripts for propaganda items, from an editable Jinja2 template.

The draft reads the substance of the topic to listeners: an opening naming the document it
implements, the body without the sentences that assign work to agencies ("Đề nghị các cơ quan
báo chí…"), the slogans at the end. Staff edit it before approval (``broadcaster items edit``).

A script is what listeners hear: Vietnamese content, whatever language the interface speaks.
So the template and the words made here ("ngày … tháng … năm …", "số …", "của …") are not
interface text and do not go through the message catalogue; only the errors do.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from broadcaster.domain.errors import InputError
from broadcaster.domain.items import (
    DateForms,
    Directive,
    DocumentRef,
    Item,
    ItemKind,
    PartialDate,
    write_date,
)
from broadcaster.domain.messages import _

from .limits import Progress, no_progress
from .parser import ParsedDocument
from .prose import instruction_to_officials

#: syllables per minute a station announcer reads at (Vietnamese words are syllables);
#: loudspeaker announcements are read slower than studio news (≈ 160–180)
DEFAULT_READING_RATE = 150
DEFAULT_TEMPLATE = "announcement.txt.j2"

_WORD = re.compile(r"\w+")
_OPENING_QUOTE = re.compile(r"[“\"]")
# compiled once: substance() runs them for every line of every item
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_BULLET_MARK = re.compile(r"^\s*[-–•+]\s*")
_ASSIGNS_WORK = re.compile(
    r"^(?:Đồng thời\s+)?(?:Đề nghị|Yêu cầu|Giao|Chỉ đạo|Phối hợp với)\s+(?:các\s+|cho\s+|UBND\s+)?"
    r"(?:cơ quan|đơn vị|phòng|ban|ngành|ủy ban|uỷ ban|UBND|trung tâm|đài|báo|địa phương|hệ thống|"
    r"cổng|trang|xã|huyện|sở)",
    re.IGNORECASE,
)
_AGENCY_SUBJECT = re.compile(
    r"^(?:Sở|Phòng|Trung tâm|Đài|Báo|Ban|Ủy ban|UBND|Các cơ quan|Các đơn vị)\b[^.]{0,120}?"
    r"\b(?:chủ trì|phối hợp|có trách nhiệm|xây dựng kế hoạch|chỉ đạo)\b",
)
_VERB = re.compile(
    r"(?<!báo chí, )(?<!cơ quan )\b(?:tuyên truyền|thông tin|phổ biến|vận động|đưa tin|truyền thông)\b\s*(?:,\s*)?(?:về\s+)?",
    re.IGNORECASE,
)


def estimate_seconds(script: str, rate: int = DEFAULT_READING_RATE) -> int:
    """Seconds to read a script aloud at ``rate`` syllables per minute."""
    if rate <= 0:
        raise InputError(
            _("reading rate {rate} is not positive; use syllables per minute, e.g. 150", rate=rate)
        )
    words = len(_WORD.findall(script))
    return math.ceil(words * 60 / rate) if words else 0


def _sentences(paragraph: str) -> list[str]:
    pieces = _SENTENCE_END.split(paragraph)
    out: list[list[str]] = []  # each sentence's pieces, joined once at the end
    for piece in pieces:
        if out and piece[:1].islower():
            out[-1].append(piece)
        elif piece:
            out.append([piece])
    return [" ".join(parts) for parts in out]


def _quotes_a_slogan(sentence: str, slogans: dict[int, set[str]]) -> bool:
    """Whether an opening quote in the sentence is followed by one of the slogans (by length:
    testing every slogan against every sentence is quadratic)."""
    for m in _OPENING_QUOTE.finditer(sentence):
        start = m.end()
        for length, texts in slogans.items():
            if sentence[start : start + length] in texts:
                return True
    return False


_ASIDE = re.compile(
    r"\s*\((?:\s*Nguồn\s*:|gửi kèm|kèm theo|theo\s+(?:Công văn|Kế hoạch|Hướng dẫn|Quyết định))[^()]*\)"
    r"|\s*\bNguồn\s*:.*$|\s*(?:https?://|www\.)\S+",
    re.IGNORECASE,
)
_AIRTIME_OPENING = re.compile(
    r"^(?:Tiếp tục\s+|Đẩy mạnh\s+|Tăng cường\s+|Tập trung\s+)?(?:công tác\s+)?"
    r"(?:tuyên truyền|phổ biến|thông tin|truyền thông)\s*(?:,\s*)?(?:về\s+|cho\s+người dân\s+về\s+)?",
    re.IGNORECASE,
)
_FINISHED = (".", "!", "?", "…", "”", '"', ")")


def _for_listeners(sentence: str) -> str | None:
    """A sentence as listeners should hear it: an instruction to officials is dropped, "Tuyên
    truyền X" becomes "Xin thông tin tới bà con về X", asides for staff ("(Nguồn: …)", a web
    address, "(gửi kèm Công văn này)") go."""
    sentence = _ASIDE.sub("", sentence).strip()
    if not sentence or instruction_to_officials(sentence):
        return None
    m = _AIRTIME_OPENING.match(sentence)
    if m and len(sentence[m.end() :].split()) >= 3:
        rest = sentence[m.end() :].rstrip(" .;:")
        return f"Xin thông tin tới bà con về {rest[:1].lower() + rest[1:] if rest[1:2].islower() else rest}."
    return sentence


def substance(text: str, slogans: tuple[str, ...] | list[str] = ()) -> list[str]:
    """The paragraphs of an item's text a listener should hear (slogans are read apart), each
    ending its sentence: a text cut mid-sentence loses the unfinished one."""
    kept: list[str] = []
    fallback: list[str] = []
    by_length: dict[int, set[str]] = {}
    for x in slogans:
        by_length.setdefault(len(x), set()).add(x)
    for raw in text.split("\n"):
        para = _BULLET_MARK.sub("", raw).strip()
        para = re.sub(r"\s*\.?/\.?$", ".", para) if para.endswith(("./.", "/.", "./")) else para
        if not para:
            continue
        sentences = []
        for s in _sentences(para):
            if by_length and _quotes_a_slogan(s, by_length):
                continue
            if _ASSIGNS_WORK.match(s) or _AGENCY_SUBJECT.match(s):
                verb = _VERB.search(s)
                rest = s[verb.end() :].strip() if verb else ""
                if len(rest.split()) >= 6:
                    fallback.append(_ended(rest[:1].upper() + rest[1:]))
                continue
            heard = _for_listeners(s)
            if heard:
                sentences.append(heard)
        if sentences:
            kept.append(" ".join(sentences))
    paragraphs = kept or fallback
    if paragraphs and not paragraphs[-1].rstrip().endswith(_FINISHED):
        # the document stops here (a page cut off): drop the unfinished sentence
        said = _sentences(paragraphs[-1])
        if len(said) > 1:
            paragraphs[-1] = " ".join(said[:-1])
        elif len(paragraphs) > 1:
            paragraphs.pop()
    return [_ended(p) for p in paragraphs]


def _ended(paragraph: str) -> str:
    paragraph = paragraph.rstrip(" ,;:-–")
    return paragraph if paragraph.endswith(_FINISHED) else f"{paragraph}."


#: a date as an announcement reads it out: "ngày 05 tháng 05 năm 2021", "tháng 5 năm 2021"
_SPOKEN_DATE = DateForms(
    full="ngày {day:02d} tháng {month:02d} năm {year}",
    month_year="tháng {month} năm {year}",
    day_month="{day} tháng {month}",
    year="năm {year}",
)


def date_text(d: PartialDate | None) -> str | None:
    return write_date(d, _SPOKEN_DATE)


def describe_directive(d: Directive) -> str:
    """'Công văn số 3717/UBND-VX ngày 03 tháng 11 năm 2021 của Ủy ban nhân dân thị xã Duyên Hải'."""
    parts = [d.doc_type or "Văn bản"]
    if d.number and not d.number.startswith("/"):
        parts.append(f"số {d.number}")
    when = date_text(d.date)
    if when:
        parts.append(when)
    if d.issuer:
        parts.append(f"của {d.issuer}")
    return " ".join(parts)


def describe_ref(ref: DocumentRef) -> str:
    parts = [ref.type or "Văn bản"]
    if ref.number:
        parts.append(f"số {ref.number}")
    if ref.date:
        parts.append(f"ngày {ref.date.day:02d} tháng {ref.date.month:02d} năm {ref.date.year}")
    if ref.issuer:
        parts.append(f"của {ref.issuer}")
    return " ".join(parts)


def readable_topic(item: Item) -> str:
    topic = item.topic or item.title
    words = topic.split()
    # lower-case the first word unless it is a name ("Phong trào “…”" keeps its capital)
    if (
        words
        and words[0][1:].islower()
        and not topic.startswith(
            ("Ngày", "Tháng", "Tuần", "Phong trào", "Chương trình", "Đề án", "Lễ", "Cuộc")
        )
    ):
        topic = topic[:1].lower() + topic[1:]
    return topic


_KINDS = (
    ("election", re.compile(r"bầu cử|cử tri|ứng cử", re.IGNORECASE)),
    ("disaster", re.compile(r"thiên tai|bão|lũ|mưa lớn|sạt lở|cháy|cứu nạn|ngập", re.IGNORECASE)),
    ("health", re.compile(r"dịch|bệnh|tiêm|vắc xin|y tế|sức khỏe|ma túy|ma tuý|đuối nước", re.I)),
    ("law", re.compile(r"\bLuật\b|Nghị định|pháp luật|quy định mới", re.IGNORECASE)),
)
_COMMUNE = re.compile(r"\b(xã|phường|thị trấn)\s+([A-ZĐÂĂÊÔƠƯ]\w*(?:\s+[A-ZĐÂĂÊÔƠƯ]\w*)*)")


def topic_kind(item: Item) -> str:
    """Which template opening fits a topic: an observance or anniversary, a health campaign,
    disaster prevention, a law, an election, or a local notice."""
    if item.observances or re.search(r"kỷ niệm|ngày lễ", item.title, re.IGNORECASE):
        return "observance"
    text = f"{item.title}\n{item.text[:400]}"
    return next((kind for kind, cue in _KINDS if cue.search(text)), "local")


def station_of(directive: Directive) -> str:
    """The station that reads the script: the commune's when the guidance names one."""
    for text in (directive.issuer, directive.place, directive.subject):
        m = _COMMUNE.search(text or "")
        if m:
            return f"Đài Truyền thanh {m.group(1)} {m.group(2)}"
    return "Đài Truyền thanh cơ sở"


def _observance_lines(item: Item, year: int | None) -> list[dict[str, Any]]:
    out = []
    for o in item.observances:
        since = year - o.origin if year and o.origin and year > o.origin else None
        out.append(
            {
                "name": o.name,
                "date_text": f"{o.day} tháng {o.month}" if o.day and o.month else None,
                "years": since,
                "origin": o.origin,
            }
        )
    return out


def script_context(directive: Directive, item: Item) -> dict[str, Any]:
    """What a script template is given (see templates/announcement.txt.j2)."""
    # a bullet under "Nội dung tuyên truyền" is a point of the directive's own plan: the
    # documents it cites are its subject, not what it implements
    cites = item.basis and "•" not in item.number
    numbered = item.basis[0].number if cites else directive.number
    source = describe_ref(item.basis[0]) if cites else describe_directive(directive)
    # "Thực hiện Kế hoạch, …" with no number says nothing a listener can check: leave it out
    if not numbered or numbered.startswith("/"):
        source = ""
    year = (
        item.valid_from.year
        if item.valid_from
        else (directive.date.year if directive.date else None)
    )
    return {
        "item": item,
        "directive": {
            "doc_type": directive.doc_type,
            "number": directive.number,
            "issuer": directive.issuer,
            "subject": directive.subject,
            "date_text": date_text(directive.date),
            "describe": describe_directive(directive),
        },
        "source": source,
        "station": station_of(directive),
        "kind": topic_kind(item),
        "topic": readable_topic(item),
        "paragraphs": substance(item.text, item.slogans),
        "slogans": list(item.slogans),
        "theme": item.theme,
        "observances": _observance_lines(item, year),
    }


@dataclass(frozen=True)
class ScriptRenderer:
    """Renders an item's draft script; ``source_name`` names the template in error messages."""

    template_source: str
    source_name: str = f"broadcaster/ingest/templates/{DEFAULT_TEMPLATE}"
    reading_rate: int = DEFAULT_READING_RATE

    @classmethod
    def default(cls, reading_rate: int = DEFAULT_READING_RATE) -> ScriptRenderer:
        # the announcement is what listeners hear, always in Vietnamese: the template is content,
        # not interface, so it has no i18n extension and its words stay out of the catalogue
        text = (
            resources.files("broadcaster.ingest")
            .joinpath("templates", DEFAULT_TEMPLATE)
            .read_text("utf-8")
        )
        return cls(text, reading_rate=reading_rate)

    @classmethod
    def from_file(cls, path: Path, reading_rate: int = DEFAULT_READING_RATE) -> ScriptRenderer:
        try:
            text = path.read_text("utf-8")
        except FileNotFoundError:
            raise InputError(
                _(
                    "{path}: script template not found; check [ingest] script_template or "
                    "--template",
                    path=str(path),
                )
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(
                _(
                    "{path}: cannot read the script template ({reason}); save it as UTF-8 text",
                    path=str(path),
                    reason=str(exc),
                )
            ) from exc
        return cls(text, str(path), reading_rate)

    def _template(self) -> jinja2.Template:
        # compiled once per renderer: compiling is most of the cost of a short script
        cached: jinja2.Template | None = self.__dict__.get("_compiled")
        if cached is not None:
            return cached
        compiled = self._compile()
        object.__setattr__(self, "_compiled", compiled)
        return compiled

    def _compile(self) -> jinja2.Template:
        # a station's own template too holds what listeners hear (Vietnamese content): no i18n
        env = jinja2.Environment(
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            autoescape=False,
        )
        try:
            return env.from_string(self.template_source)
        except jinja2.TemplateSyntaxError as exc:
            where = f"{self.source_name}:{exc.lineno}"
            raise InputError(
                _(
                    "{where}: script template error: {reason}; fix the template",
                    where=where,
                    reason=exc.message or "",
                )
            ) from exc

    def render(self, directive: Directive, item: Item) -> str:
        """The draft script of one item (an empty string for administrative items)."""
        if item.kind is not ItemKind.PROPAGANDA:
            return ""
        context = script_context(directive, item)
        try:
            text = self._template().render(**context)
        except jinja2.TemplateError as exc:
            line = getattr(exc, "lineno", None)
            where = f"{self.source_name}:{line}" if line else self.source_name
            raise InputError(
                _(
                    "{where}: script template error: {reason}; fix the template",
                    where=where,
                    reason=str(exc),
                )
            ) from exc
        text = unicodedata.normalize("NFC", text)
        lines = [ln.strip() for ln in text.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()

    def apply(
        self, documents: list[ParsedDocument], progress: Progress = no_progress
    ) -> list[ParsedDocument]:
        """Documents whose propaganda items carry a draft script and its estimated duration."""
        out = []
        total = sum(len(doc.items) for doc in documents)
        done = 0
        for doc in documents:
            items = []
            for item in doc.items:
                progress("scripts", done, total)
                done += 1
                script = self.render(doc.directive, item)
                seconds = estimate_seconds(script, self.reading_rate) if script else None
                items.append(
                    replace(
                        item,
                        script=script,
                        estimated_duration=timedelta(seconds=seconds) if seconds else None,
                    )
                )
            out.append(replace(doc, items=tuple(items)))
        progress("scripts", total, total)
        return out
