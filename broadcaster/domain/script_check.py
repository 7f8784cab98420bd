"""The script check: what in an announcement script should not go on air, each problem with the
words in question, so the office can put it right before a leader approves.

A trial of draft scripts (issue 16) found scripts that read the guidance to villagers
("Tuyên truyền Quyết định số 346/QĐ-TTg…", "Thực hiện phát thanh bài tuyên truyền … (gửi kèm
Công văn này)"), stopped mid-sentence ("…dịch bệnh sốt xuất…."), read "(Nguồn: …)" or a web
address, or opened "Thực hiện Kế hoạch," with no number. The check finds those in any script,
drafted by the importer or typed by a person. It only points at text: nothing is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .messages import Msg, _

#: how many words of a long sentence a problem quotes
QUOTED_WORDS = 12

_SENTENCE = re.compile(r"[^.!?…\n]+(?:[.!?…]+[”\"')\]]*|$)", re.MULTILINE)
_CLOSING = "”\"')]» \t\n"
#: "…", "...", "…." at the end: the text was cut there
_TRAILING_ELLIPSIS = re.compile(r"(?:…|\.\.\.)\.*$")
_SOURCE_NOTE = re.compile(r"\(\s*Nguồn\s*:[^)]*\)?", re.IGNORECASE)
_WEB_ADDRESS = re.compile(
    r"\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:gov|com|org|net|edu|info)(?:\.vn)?\b\S*",
    re.IGNORECASE,
)
# what an office is told to do, not what listeners hear: the verb that opens an instruction
_INSTRUCTION_OPENING = re.compile(
    r"^(?:Đồng thời,?\s+)?(?:Đề nghị|Yêu cầu|Giao cho|Giao|Chỉ đạo|Tuyên truyền|Phổ biến|"
    r"Thực hiện phát thanh|Phát thanh|Đăng tải|Báo cáo)\b"
)
_INSTRUCTION_ANYWHERE = re.compile(
    r"\b(?:gửi kèm|kèm theo)\s+(?:Công văn|Kế hoạch|Hướng dẫn|văn bản)\b|\bbáo cáo kết quả\b",
    re.IGNORECASE,
)
# "Thực hiện Kế hoạch, Đài…" / "Căn cứ Công văn của UBND xã": a document named without its number
_BASIS_WITHOUT_NUMBER = re.compile(
    r"\b(?:Thực hiện|Căn cứ|Theo)\s+(?:các\s+)?(?:Kế hoạch|Công văn|Quyết định|Hướng dẫn|"
    r"Chỉ thị|Nghị quyết|Thông báo|Thông tư|Nghị định)(?=\s*[,.;:]|\s+(?:của|này)\b)"
)


@dataclass(frozen=True)
class ScriptProblem:
    """One problem of a script: what is wrong and what to do (``message``), the words in
    question as they stand in the script (``passage``), and where they start."""

    message: Msg
    passage: str
    start: int


def _quoted(text: str) -> str:
    words = text.split()
    shown = " ".join(words[:QUOTED_WORDS])
    return shown + (" …" if len(words) > QUOTED_WORDS else "")


def _sentences(script: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group().strip()) for m in _SENTENCE.finditer(script) if m.group().strip()]


def _unfinished(script: str) -> ScriptProblem | None:
    body = script.rstrip(_CLOSING)
    if not body:
        return None
    if _TRAILING_ELLIPSIS.search(body) or body[-1].isalnum() or body[-1] in ",;:-–":
        tail = " ".join(body.split()[-6:])
        return ScriptProblem(
            _(
                "the script stops mid-sentence at “{passage}”: finish the sentence",
                passage=tail,
            ),
            tail,
            script.rfind(tail),
        )
    return None


def _instructions(script: str) -> list[ScriptProblem]:
    out = []
    for start, sentence in _sentences(script):
        if _INSTRUCTION_OPENING.match(sentence) or _INSTRUCTION_ANYWHERE.search(sentence):
            quoted = _quoted(sentence)
            out.append(
                ScriptProblem(
                    _(
                        "“{passage}” is an instruction meant for officials: tell listeners "
                        "what is happening and what they should do instead",
                        passage=quoted,
                    ),
                    quoted,
                    start + script[start:].find(sentence[:20]),
                )
            )
    return out


def _matches(script: str) -> list[ScriptProblem]:
    out = []
    for m in _SOURCE_NOTE.finditer(script):
        out.append(
            ScriptProblem(
                _(
                    "“{passage}” says where the text was taken from, which listeners do not "
                    "need: delete it",
                    passage=_quoted(m.group()),
                ),
                m.group(),
                m.start(),
            )
        )
    for m in _WEB_ADDRESS.finditer(script):
        address = m.group().rstrip('.,;:)”"')
        out.append(
            ScriptProblem(
                _(
                    "“{passage}” is a web address, which listeners cannot follow on the "
                    "loudspeakers: say where to look in words, or delete it",
                    passage=address,
                ),
                address,
                m.start(),
            )
        )
    for m in _BASIS_WITHOUT_NUMBER.finditer(script):
        out.append(
            ScriptProblem(
                _(
                    "“{passage}” names a document without its number: add its number and "
                    "date, or leave the document out",
                    passage=m.group(),
                ),
                m.group(),
                m.start(),
            )
        )
    return out


def check_script(script: str) -> list[ScriptProblem]:
    """Every problem of an announcement script, in the order they stand in it (none: it is
    fit to air as far as the check can tell)."""
    if not script.strip():
        return [ScriptProblem(_("the script is empty: write what the announcer reads"), "", 0)]
    found = _matches(script) + _instructions(script)
    unfinished = _unfinished(script)
    if unfinished is not None:
        found.append(unfinished)
    return sorted(found, key=lambda p: p.start)
