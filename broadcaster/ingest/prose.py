"""Topics and duties in running text: who is asked to do what, read from the sentence.

Letters and news items carry their topics in sentences ("Sở Y tế đề nghị … tuyên truyền để các
bậc cha mẹ hiểu rõ lợi ích …; thông báo rộng rãi …; hướng dẫn cha mẹ …"), notices to the public
in paragraphs. A clause is judged by its verb, as a reader does: publicising a subject to the
public (tuyên truyền, phổ biến, thông báo, hướng dẫn, vận động …) is airtime; organising,
building, hanging, reporting back, airing more often are an agency's duties; "tuyên truyền thông
qua tổ chức các cuộc thi" names the means, not a subject. Pure.
"""

from __future__ import annotations

import re

from broadcaster.domain.items import Item, ItemKind, Period

from .refs import clean_phrase, find_observances, find_slogans, find_theme

# verbs are matched in lower case only: "Ban Chỉ đạo", "Phòng Văn hóa và Thông tin" are names
_PROPAGANDA = (
    r"tuyên truyền|phổ biến|thông báo rộng rãi|thông báo|hướng dẫn|vận động|nâng cao nhận thức|"
    r"cảnh báo|khuyến cáo|giới thiệu|khuyến khích"
)
_DUTY = (
    r"tổ chức|xây dựng|lồng ghép|bố trí|rà soát|lập danh sách|báo cáo|tổng hợp|kiểm tra|treo|"
    r"tháo dỡ|niêm yết|mở chuyên trang|mở chuyên mục|tăng thời lượng|tăng cường hợp tác|"
    r"phát(?!\s+(?:hiện|huy|triển|sinh|động|tán|ban))|"
    r"chuẩn bị|tham mưu|phối hợp|ra quân|đưa tin|cung cấp|sửa chữa|tiếp sóng|huy động|thành lập|"
    r"chủ trì|giám sát|thăm|tặng quà|dọn|trang trí|in ấn|sơ tán|di dời|vận hành|thu hút|gửi|"
    r"tham dự|đôn đốc|bảo đảm|đảm bảo|triển khai|quán triệt|phân công|cử|trực|kiện toàn|"
    r"tổ chức thực hiện|nghiên cứu|ban hành|dự toán|chi trả|tập huấn"
)
_REQUEST = (
    r"đề nghị|yêu cầu|giao|chỉ đạo|chủ động|tiếp tục|đẩy mạnh|tăng cường|tập trung|cần phải|cần"
)
_VERB = re.compile(
    rf"(?<![\w])(?:(?P<request>{_REQUEST})|(?P<propaganda>{_PROPAGANDA})|(?P<duty>{_DUTY}))(?![\w])"
)
_CONNECTOR = re.compile(
    r"^(?:Theo đó|Ngoài ra|Đồng thời|Bên cạnh đó|Mặt khác|Trong đó|Cùng với đó|Tiếp đó)\s*,?\s*",
    re.IGNORECASE,
)
_QUOTES = re.compile(r"“[^“”]*”|\"[^\"]*\"")
_PURPOSE_OPENING = re.compile(r"^(?:để|nhằm|hưởng ứng|thực hiện|căn cứ|theo)\s")
_ASK_IN = re.compile(r"(?<![\w])(?:đề nghị|yêu cầu|giao|chỉ đạo)(?![\w])")
_ASKS = re.compile(r"^(?:đề nghị|yêu cầu|giao)\s", re.IGNORECASE)
_MEANS = re.compile(r"^(?:thông qua|qua|bằng|trên|tại|vào)\b")
_PURPOSE = re.compile(r"\b(?:để|nhằm)\s")
_LEAD_IN = re.compile(
    r"^(?:[,\s]|và\b|về\b|công tác\b|các hoạt động\b|hoạt động\b|mạnh mẽ\b|sâu rộng\b|"
    r"rộng rãi\b|kịp thời\b|thường xuyên\b|nâng cao nhận thức\b|cảnh báo\b|"
    r"cho\s+(?:toàn xã hội|cộng đồng|nhân dân|người dân|mọi người)\b|"
    r"toàn xã hội\b|đến\s+(?:toàn thể\s+)?(?:nhân dân|người dân|bà con)\b|"
    r"để\s+(?:các bậc cha mẹ|cha mẹ|người dân|nhân dân|bà con|mọi người|cộng đồng)\s+"
    r"(?:hiểu rõ|hiểu|biết|nắm rõ|nắm được|nắm)\b)+",
    re.IGNORECASE,
)
_AIRS_ABOUT = re.compile(
    r"^phát\s+(?:các\s+)?(?:tin,?\s*)?(?:bài|tin bài|chương trình)[^;]*?\svề\s+(.+)$"
)
_AGENCY_SUBJECT = re.compile(
    r"^(?:các\s+|trưởng các\s+|các\s+cơ quan,\s*)?(?:sở|phòng|ban|trung tâm|ủy ban|uỷ ban|ubnd|"
    r"đài|báo|hội|công an|bộ chỉ huy|ban chỉ huy|đoàn|cơ quan|đơn vị|thủ trưởng|chủ tịch|trạm|"
    r"văn phòng|chi cục|công ty|thôn|xóm|ấp|tổ dân phố|khu phố|trường|trưởng|bí thư|"
    r"công chức|bộ phận|ngành|địa phương|chi đoàn|chi hội|chi bộ)\b",
    re.IGNORECASE,
)
_TO_THE_PUBLIC = re.compile(
    r"thông báo\s+(?:đến|tới|cho)\s+(?:toàn thể\s+|các\s+|đông đảo\s+)?"
    r"(?:nhân dân|bà con|người dân|cử tri|quần chúng)",
    re.IGNORECASE,
)
#: "Đài truyền thanh xã phát thông báo này …": the notice itself is what is aired
_AIR_THIS = re.compile(
    r"\bphát\s+(?:lại\s+)?(?:toàn văn\s+)?(?:thông báo|văn bản|nội dung)\s+này\b", re.IGNORECASE
)
_SENTENCE = re.compile(
    r"(?<=[.!?…])\s+(?=[“\"(]?[A-ZĐÂĂÊÔƠƯÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ])"
)
_BASIS_OPENING = re.compile(
    r"^(?:Thực hiện|Căn cứ|Theo|Triển khai)\s+(?:[^,;]*?\b)?(?:số|\d+/)", re.IGNORECASE
)
_CLOSING = re.compile(
    r"trân trọng thông báo|thực hiện nghiêm túc|nghiêm túc thực hiện", re.IGNORECASE
)
#: the document's last words ("./."): a closing formula when short, else a last duty
_LAST_WORDS = re.compile(r"\./\.$")
_CLOSING_WORDS = 8
#: "… tập trung vào các nội dung: A; B; hướng dẫn C": each listed content is a topic
_CONTENT_LIST = re.compile(
    r"\b(?:các|những|một số)\s+nội dung(?:\s+(?:sau|chính|trọng tâm|cụ thể))?"
    r"(?:\s+(?:như sau|sau đây))?\s*:\s*",
    re.IGNORECASE,
)
_ASKED_AFTER_BASIS = re.compile(r",\s*[^,;:]{3,120}?\bđề nghị\s*:\s*")
#: "Thời gian tuyên truyền từ tháng 5 …" gives the period, not a topic
_TIME_SENTENCE = re.compile(r"^thời gian\b", re.IGNORECASE)
_ISSUED = re.compile(
    r"(?:ban hành|có|gửi)\s+(?:Công văn|Kế hoạch|Hướng dẫn|Thông báo|Công điện|Văn bản)\s+số"
)


def clause_kind(text: str) -> tuple[ItemKind, str] | None:
    """A clause's kind and, for airtime, its subject ("tác hại ma túy …"); None when the
    clause names no action (a statistic, a description)."""
    clause = _CONNECTOR.sub("", text.strip())
    # quoted words are a slogan's or a name's, not the clause's verb
    head = _QUOTES.sub(lambda q: "“" + "x" * (len(q.group()) - 2) + "”", clause)
    head = head[:1].lower() + head[1:]
    pos = 0
    if _PURPOSE_OPENING.match(head) and (ask := _ASK_IN.search(head)):
        pos = ask.end()  # "Để … được triển khai hiệu quả, UBND yêu cầu …": the request governs
    while m := _VERB.search(head, pos):
        if m.group("request"):
            pos = m.end()
            continue
        rest = head[m.end() :]
        if m.group("duty"):
            about = _AIRS_ABOUT.match(head[m.start() :])
            if about and m.group(0) == "phát":
                return ItemKind.PROPAGANDA, _topic(about.group(1))
            return ItemKind.ADMINISTRATIVE, clause
        rest = _LEAD_IN.sub("", rest)
        if _MEANS.match(rest) and not _PURPOSE.search(rest):
            return ItemKind.ADMINISTRATIVE, clause
        if _MEANS.match(rest):
            rest = rest[_PURPOSE.search(rest).end() :]  # type: ignore[union-attr]
            rest = _LEAD_IN.sub("", rest)
        return ItemKind.PROPAGANDA, _topic(rest)
    if _AGENCY_SUBJECT.match(clause) or _ASKS.match(clause):
        return ItemKind.ADMINISTRATIVE, clause
    return None


def instruction_to_officials(sentence: str) -> bool:
    """Whether a sentence tells an office or its staff what to do ("Các chi đoàn báo cáo kết
    quả …", "Giao Văn phòng chuẩn bị …", "Đề nghị các thành phần …"): not for listeners."""
    clause = _CONNECTOR.sub("", sentence.strip())
    kind = clause_kind(clause)
    if kind is None or kind[0] is not ItemKind.ADMINISTRATIVE:
        return False
    return bool(_AGENCY_SUBJECT.match(clause) or _ASKS.match(clause) or _VERB.match(clause.lower()))


def _topic(text: str) -> str:
    topic = clean_phrase(text)
    return topic[:1].upper() + topic[1:] if topic else topic


def _clauses(sentence: str) -> list[str]:
    """A sentence's clauses at ";" (outside quotes and brackets)."""
    out, depth, start = [], 0, 0
    for i, c in enumerate(sentence):
        if c in "(“":
            depth += 1
        elif c in ")”" and depth:
            depth -= 1
        elif c == ";" and depth == 0:
            out.append(sentence[start:i])
            start = i + 1
    out.append(sentence[start:])
    return [c.strip(" .") for c in out if c.strip(" .")]


def sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE.split(paragraph) if s.strip()]


def prose_items(paragraphs: list[str], period: Period | None) -> list[Item]:
    """Items from a text with no numbered parts: one per clause asking for airtime or a
    duty; in a notice to the public, its paragraphs are what listeners hear."""
    to_public = any(_TO_THE_PUBLIC.search(p) or _AIR_THIS.search(p) for p in paragraphs)
    found: list[tuple[ItemKind, str, str]] = []  # kind, title, text
    for p in paragraphs:
        if _BASIS_OPENING.match(p) and (not to_public or _TO_THE_PUBLIC.search(p)):
            # "Thực hiện Công văn số …, Sở … đề nghị: Các cơ quan … đẩy mạnh tuyên truyền …":
            # the basis leads in, what is asked after it is read
            asked = _ASKED_AFTER_BASIS.search(p)
            if asked is None:
                continue
            p = p[asked.end() :]
        if to_public and _TO_THE_PUBLIC.search(p):
            continue
        for s in sentences(p):
            if _ISSUED.search(s) or _CLOSING.search(s) or _TIME_SENTENCE.match(s):
                continue  # a news item's lead restates the document; a closing formula
            if _LAST_WORDS.search(s) and len(s.split()) <= _CLOSING_WORDS:
                continue
            listed = _CONTENT_LIST.search(s)
            if listed and not to_public:
                found.extend(_listed_contents(s, listed))
                continue
            kinds = [(c, clause_kind(c)) for c in _clauses(s)]
            if to_public:
                # a notice read out as it stands: what it tells people is what they hear,
                # only what it tells an office or its staff to do is a duty
                kinds = [
                    (c, k if k is None or instruction_to_officials(c) else (ItemKind.PROPAGANDA, c))
                    for c, k in kinds
                ]
            if to_public and all(k is None or k[0] is ItemKind.PROPAGANDA for _c, k in kinds):
                found.append((ItemKind.PROPAGANDA, _first_clause(s), s))
                continue
            for c, k in kinds:
                if k is not None:
                    found.append((k[0], k[1] if k[0] is ItemKind.PROPAGANDA else c, c))
    if to_public:
        found = _merge_paragraph_topics(found, paragraphs)
    return [
        Item(
            title=title[:160],
            topic=title[:200],
            number=str(i + 1),
            kind=kind,
            text=text,
            slogans=tuple(find_slogans(text)),
            theme=find_theme(text),
            observances=tuple(find_observances(text)),
            valid_from=period.start if period else None,
            valid_until=period.end if period else None,
            position=i,
        )
        for i, (kind, title, text) in enumerate(found)
    ]


def _listed_contents(sentence: str, listed: re.Match[str]) -> list[tuple[ItemKind, str, str]]:
    """The request before "các nội dung:" (a duty when it is one) and each content after it,
    a topic."""
    out: list[tuple[ItemKind, str, str]] = []
    lead = sentence[: listed.start()].strip(" ,")
    said = clause_kind(lead)
    if said is not None and said[0] is ItemKind.ADMINISTRATIVE:
        out.append((ItemKind.ADMINISTRATIVE, lead, lead))
    for c in _clauses(sentence[listed.end() :]):
        kind = clause_kind(c)
        title = kind[1] if kind is not None and kind[0] is ItemKind.PROPAGANDA else _topic(c)
        out.append((ItemKind.PROPAGANDA, title, c))
    return out


def _merge_paragraph_topics(
    found: list[tuple[ItemKind, str, str]], paragraphs: list[str]
) -> list[tuple[ItemKind, str, str]]:
    """In a notice, one paragraph is one topic: its sentences go together."""
    out: list[tuple[ItemKind, str, str]] = []
    where: dict[tuple[ItemKind, int], int] = {}
    for kind, title, text in found:
        para = next((i for i, p in enumerate(paragraphs) if text in p), -1)
        key = (kind, para)
        if kind is ItemKind.PROPAGANDA and key in where:
            k, t, body = out[where[key]]
            out[where[key]] = (k, t, f"{body} {text}")
            continue
        where[key] = len(out)
        out.append((kind, title, text))
    return out


def _first_clause(sentence: str) -> str:
    first = re.split(r";|, (?=đặt tại|trên cơ sở)", sentence, maxsplit=1)[0]
    return clean_phrase(first)


#: "… về việc tuyên truyền và tổ chức các hoạt động kỷ niệm 76 năm …": what the opening asks
#: to publicise
_PUBLICISE = re.compile(
    r"\btuyên truyền(?:\s+và\s+tổ chức\s+(?:các\s+)?hoạt động)?\s+"
    r"(?P<topic>(?:kỷ niệm|chào mừng|hưởng ứng)\s[^;.!?]{10,300})",
    re.IGNORECASE,
)


_MAKES_PIECES = re.compile(r"\btin,?\s*bài\b|\bphát thanh\b|\btruyền thanh\b", re.IGNORECASE)


def _topic_of_opening(
    items: tuple[Item, ...], subject: str | None, preamble: list[str], period: Period | None
) -> tuple[Item, ...]:
    """A document that lists only duties but opens by asking to publicise an anniversary
    still has that anniversary as its airtime topic, with the slogans it lists."""
    if any(i.kind is ItemKind.PROPAGANDA for i in items):
        return items
    for text in [subject or "", *preamble]:
        found = _PUBLICISE.search(text)
        if found is None:
            continue
        # "Tháng Tám(19/8/1945 …": the space a hurried typist left out
        topic = re.sub(r"(?<=\w)\(", " (", clean_phrase(found.group("topic")))
        title = topic[:1].upper() + topic[1:]
        slogans = _unique([s for i in items for s in i.slogans])
        # "1. Xây dựng tin bài tuyên truyền trên … đài phát thanh …": the pieces to air are
        # about what the opening names
        pieces = next((n for n, i in enumerate(items) if _MAKES_PIECES.search(i.text)), None)
        if pieces is not None:
            from dataclasses import replace

            aired = replace(
                items[pieces],
                title=title[:160],
                topic=title[:200],
                kind=ItemKind.PROPAGANDA,
                slogans=tuple(slogans),
                observances=tuple(find_observances(title)),
            )
            return (*items[:pieces], aired, *items[pieces + 1 :])
        opening = Item(
            title=title[:160],
            topic=title[:200],
            number="0",
            kind=ItemKind.PROPAGANDA,
            # the topic, not the sentence around it: that tells the office what to do
            text=f"{title}.",
            slogans=tuple(slogans),
            theme=find_theme(text),
            observances=tuple(find_observances(title)),
            valid_from=period.start if period else None,
            valid_until=period.end if period else None,
        )
        return (opening, *items)
    return items


def with_document_extras(
    items: tuple[Item, ...],
    subject: str | None,
    preamble: list[str],
    period: Period | None = None,
) -> tuple[Item, ...]:
    """Observance days and slogans the document names outside its items (its subject, its
    opening) go with its airtime items (or its first item when it has none)."""
    items = _topic_of_opening(items, subject, preamble, period)
    text = "\n".join([subject or "", *preamble])
    observances = find_observances(text)
    slogans = find_slogans(text)
    from dataclasses import replace

    # a list of slogans under its own heading is not a topic of its own when the document has
    # topics: its slogans go with the topics they speak of (or all of them: the campaign's)
    kept = _slogan_lists_into_topics(list(items))
    targets = [
        n for n, i in enumerate(kept) if i.kind is ItemKind.PROPAGANDA and not _is_slogan_list(i)
    ] or [0][: len(kept)]
    for n in targets:
        item = kept[n]
        names = {o.name for o in item.observances}
        extra = tuple(o for o in observances if o.name not in names)
        kept[n] = replace(
            item,
            observances=item.observances + extra,
            slogans=tuple(_unique([*item.slogans, *slogans])),
        )
    return tuple(replace(i, position=p) for p, i in enumerate(kept))


_STOP = frozenset(
    "và của các những về cho với trong là có không được một để tại từ đến".split()  # noqa: SIM905
)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 1 and w not in _STOP}


def _slogan_lists_into_topics(items: list[Item]) -> list[Item]:
    from dataclasses import replace

    lists = [i for i in items if i.kind is ItemKind.PROPAGANDA and _is_slogan_list(i)]
    topics = [
        n for n, i in enumerate(items) if i.kind is ItemKind.PROPAGANDA and not _is_slogan_list(i)
    ]
    if not lists or not topics:
        return items
    given: dict[int, list[str]] = {n: list(items[n].slogans) for n in topics}
    bags = {n: _words(f"{items[n].title} {items[n].text}") for n in topics}
    for slogan in (s for i in lists for s in i.slogans):
        words = _words(slogan)
        best = max(topics, key=lambda n: len(words & bags[n]))
        # two words in common tell which topic a slogan speaks of; fewer: the whole campaign's
        for n in [best] if len(words & bags[best]) >= 2 else topics:
            given[n].append(slogan)
    return [
        replace(i, slogans=tuple(_unique(given[n]))) if n in given else i
        for n, i in enumerate(items)
        if not (i.kind is ItemKind.PROPAGANDA and _is_slogan_list(i))
    ]


def _is_slogan_list(item: Item) -> bool:
    return bool(item.slogans) and bool(
        re.match(r"^(?:các\s+|một số\s+)?khẩu hiệu", item.title, re.I)
    )


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for v in values:
        if v.casefold() not in seen:
            seen.add(v.casefold())
            out.append(v)
    return out


__all__ = [
    "clause_kind",
    "instruction_to_officials",
    "prose_items",
    "sentences",
    "with_document_extras",
]
