"""The numbered parts of a document as a tree: I. → 1. → 1.1. → a) → -.

Numbering counts only when it continues a sequence ("2." after "1.", "b)" after "a)"), so a
number that merely starts a line ("98/KH-UBND …", "2030 …") stays text. Pure: paragraphs in,
a tree out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from broadcaster.domain.errors import InputError
from broadcaster.domain.messages import _

from .text import ROMAN_VALUES, marker_of

_VI_LETTERS = "abcdđeghiklmnopqrstuvxy"
#: bullets nest this many levels at most ("* Nội dung:" → "+ …" → "- …")
MAX_BULLET_LEVELS = 3
_BULLET_RANK = 5
#: a plain line that introduces the list under it ("Khẩu hiệu tuyên truyền:")
_LIST_INTRO_WORDS = 12
_SLOGAN_HEADING = re.compile(r"^(?:các\s+|một số\s+)?khẩu hiệu\b", re.IGNORECASE)
#: the label of a paragraph that stands on its own among bullets (not a bullet's continuation)
PARAGRAPH = "¶"


@dataclass
class Node:
    kind: str  # root, roman, arabic, letter, bullet
    label: str
    heading: str
    rank: int
    parent: Node | None = None
    body: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    #: the newest child of each kind, and of each arabic depth: numbering checks ask for them
    #: once per paragraph, so they must not search the children
    _last_kind: dict[str, Node] = field(default_factory=dict, repr=False)
    _last_arabic: dict[int, Node] = field(default_factory=dict, repr=False)

    def add(self, child: Node) -> None:
        self.children.append(child)
        self._last_kind[child.kind] = child
        if child.kind == "arabic":
            self._last_arabic[child.rank] = child

    def last_child(self, kind: str) -> Node | None:
        return self._last_kind.get(kind)

    def last_arabic(self, depth: int) -> Node | None:
        return self._last_arabic.get(depth)


def _rank(kind: str, label: str) -> int:
    if kind == "roman":
        return 0
    if kind == "arabic":
        return label.count(".") + 1
    return {"letter": 4, "article": 4, "bullet": 5}[kind]


def _accept(kind: str, label: str, stack: list[Node], romans: list[int]) -> bool:
    """Numbering is only numbering when it continues a sequence ("2." after "1.")."""
    if kind == "bullet":
        return True
    if kind == "roman":
        value = ROMAN_VALUES[label]
        return (not romans and value <= 2) or (
            bool(romans) and value in (romans[-1], romans[-1] + 1)
        )
    if kind == "arabic":
        parts = label.split(".")
        if len(parts) == 1:
            container = next((n for n in reversed(stack) if n.rank < 1), stack[0])
            last = _last_arabic(container, 1)
            n = int(parts[0])
            return (last is None and n <= 2) or (last is not None and n in (last, last + 1))
        parent = next(
            (n for n in reversed(stack) if n.kind == "arabic" and n.rank == len(parts) - 1), None
        )
        if parent is None or parent.label != ".".join(parts[:-1]):
            return False
        last = _last_arabic(parent, len(parts))
        n = int(parts[-1])
        return (last is None and n <= 2) or (last is not None and n in (last, last + 1))
    if kind == "article":  # "Bài 1", "Bài 2" …
        prev = next((n for n in reversed(stack) if n.rank < 4), stack[0]).last_child("article")
        return int(label) == 1 if prev is None else int(label) in (int(prev.label) + 1,)
    # letters: a), b), … in the Vietnamese order (d then đ) or the Latin one
    container = next((n for n in reversed(stack) if n.rank < 4), stack[0])
    prev = container.last_child("letter")
    if prev is None:
        return label == "a"
    nxt = {_VI_LETTERS[i]: _VI_LETTERS[i + 1] for i in range(len(_VI_LETTERS) - 1)}
    return label in (nxt.get(prev.label), chr(ord(prev.label) + 1))


def _last_arabic(container: Node, depth: int) -> int | None:
    last = container.last_arabic(depth)
    return int(last.label.split(".")[-1]) if last is not None else None


def _introduces(heading: str) -> bool:
    return heading.rstrip().endswith(":")


def _bullet_rank(glyph: str, heading: str, stack: list[Node]) -> int:
    """How deep a bullet stands, as a reader sees it: under a bullet (or a plain line) that
    ends with ":" and has nothing under it yet; beside an earlier bullet of the same glyph;
    else beside the bullet above it ("* Nội dung:" / "+ …" / "* Khẩu hiệu:" / "- …")."""
    bullets = [n for n in stack if n.kind == "bullet"]
    top = stack[-1]
    if (
        top.kind == "bullet"
        and _introduces(top.heading)
        and not top.children
        and len(bullets) < MAX_BULLET_LEVELS
        and not (glyph == top.label and _introduces(heading))
    ):
        return top.rank + 1
    for n in reversed(bullets):
        if n.label == glyph:
            return n.rank
    return bullets[-1].rank if bullets else _BULLET_RANK


def _standalone(p: str, stack: list[Node]) -> Node | None:
    """A plain paragraph among bullets that is not the last bullet's continuation: a short
    line introducing a list ("Khẩu hiệu tuyên truyền:"), or what follows a list of slogans
    (a slogan is one line) or such a paragraph. It stands beside the outermost bullet."""
    top = stack[-1]
    if top.kind != "bullet" or (_introduces(top.heading) and not top.children):
        return None
    outer = next(n for n in stack if n.kind == "bullet")
    intro = _introduces(p) and len(p.split()) <= _LIST_INTRO_WORDS
    parent = top.parent
    after_slogans = parent is not None and bool(_SLOGAN_HEADING.match(parent.heading.strip()))
    if intro or after_slogans or top.label == PARAGRAPH:
        return Node("bullet", "" if intro else PARAGRAPH, p.strip(), outer.rank)
    return None


def build_tree(body: list[str], *, name: str, max_depth: int) -> Node:
    root = Node("root", "", "", -1)
    stack = [root]
    romans: list[int] = []
    for p in body:
        mk = marker_of(p)
        if mk is None and (alone := _standalone(p, stack)) is not None:
            while stack[-1].rank >= alone.rank:
                stack.pop()
            alone.parent = stack[-1]
            stack[-1].add(alone)
            stack.append(alone)
            continue
        if mk and _accept(mk[0], mk[1], stack, romans):
            kind, label, rest = mk
            rank = _bullet_rank(label, rest, stack) if kind == "bullet" else _rank(kind, label)
            node = Node(kind, label, rest.strip(), rank)
            while stack[-1].rank >= node.rank:
                stack.pop()
            if len(stack) > max_depth:
                shown = f"{label[:40]}{'…' if len(label) > 40 else ''}"
                raise InputError(
                    _(
                        "{name}: the numbering nests {depth} levels deep at '{label}', over the "
                        "limit of {limit}; guidance is numbered a few levels deep (I., 1., 1.1., "
                        "a), -): check that this is a guidance document, or raise [ingest] "
                        "max_depth",
                        name=name,
                        depth=len(stack),
                        label=shown,
                        limit=max_depth,
                    )
                )
            node.parent = stack[-1]
            stack[-1].add(node)
            stack.append(node)
            if kind == "roman":
                romans.append(ROMAN_VALUES[label])
        else:
            stack[-1].body.append(p)
    return root
