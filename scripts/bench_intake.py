"""Benchmark what the directive parser reads from guidance documents: facts right, missed, invented.

Usage: .venv/bin/python scripts/bench_intake.py [--docs DIR]... [--verbose] [--json] [--cli]

Each document is parsed exactly as ``broadcaster directive parse FILE --json`` does it
(``read_guidance`` with the ``[ingest]`` settings, then ``parsed_json``; ``--cli`` runs that
command in a subprocess instead, slower and the same output) and its facts are scored against
``NAME.expect.json`` beside it (the format of ../shared/corpus/README.md). The sources are the
shared corpus (../shared/corpus beside the repo), this repo's own corpus (tests/ingest/corpus,
with the .docx and .pdf forms of one document that its make_variants.py builds into a temporary
folder) and the seeds (../shared/seeds: no expectations, so only whether a file is refused and how
many topics it gives). ``--docs DIR`` (repeatable) benches those folders instead; a folder with a
``make_variants.py`` gets its variants too. A missing folder is skipped with the reason.

Facts and how each is scored (text compared after NFC, lower case, one place for the tone mark
(hoà = hòa, uỷ = ủy), and UBND, HĐND, BCH, TT&TT, CHXHCN, PCCC… spelled out):

- place: null expects null; else the first part of the expected place (before a comma) without
  its level (xã, phường, huyện, tỉnh…) must be among the words of the parsed place.
- date: the document's own date, the same ISO string (YYYY-MM-DD or YYYY-MM) or both null.
- number: the same after removing spaces, upper-casing and writing every '-' as '/'
  ("60-NQ/TW" == "60/NQ-TW", "115- HD/BTGW" == "115-HD/BTGW"); null expects null.
- issuer: null expects null; else every word of the expected issuer outside parentheses must
  be a word of the parsed issuer ("Sở Thông tin và Truyền thông (Quảng Nam)" is matched by
  "Sở Thông tin và Truyền thông").
- basis, one fact each: a parsed reference (of any document or item of the file) with the same
  number as above and, when the expectation gives one, the same date.
- propaganda topics, one fact each: matched to at most one parsed propaganda item, greedily
  by best score first, where the score is the share of the expected title's content words
  (words other than và, của, các, về…) found in the item's title and text; a pair counts from
  0.6. A parsed propaganda item left unmatched is an invented topic: one more fact, wrong.
- administrative duties, one fact each: some parsed administrative item scores 0.6 or more by
  the same rule (one item may carry several duties).
- observances, one fact each: matched one to one with the observances of the parsed items when
  at least 75% of the content words of the shorter name are in the longer one ("ngày" does not
  count), and the date is exactly the expected --MM-DD (an expected null date takes any).
- period start and end: the document's period, the same ISO date or both null.
- slogans, one fact each: some parsed slogan is the same text after collapsing white space,
  writing every quote mark the same and dropping surrounding quotes and a trailing , ; . or ….

A document's share is facts right / (expected facts + invented topics); a refused document (an
InputError or any exception instead of a parse) gets none of its facts. Per source and overall
the shares are summed facts over summed facts. "Scripts passing the check" runs the script check
of broadcaster.ingest (check_script(text) -> list of problems, empty when the script is fine)
on every draft script, when that function exists. The last line is a one-line summary.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SHARED_CORPUS = REPO.parent / "shared" / "corpus"
SEEDS = REPO.parent / "shared" / "seeds"
OWN_CORPUS = REPO / "tests" / "ingest" / "corpus"
LABELS = {SHARED_CORPUS: "shared corpus", OWN_CORPUS: "own corpus", SEEDS: "seeds"}
DOCUMENT_SUFFIXES = {".txt", ".md", ".docx", ".pdf"}

TOPIC_THRESHOLD = 0.6
OBSERVANCE_THRESHOLD = 0.75

# ---------------------------------------------------------------------------------------------
# normalising text

_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_ABBREVIATIONS = {
    "ubnd": "ủy ban nhân dân",
    "hđnd": "hội đồng nhân dân",
    "bch": "ban chấp hành",
    "tp": "thành phố",
    "tx": "thị xã",
    "tt": "thị trấn",
    "chxhcn": "cộng hòa xã hội chủ nghĩa",
    "mttq": "mặt trận tổ quốc",
    "đvhc": "đơn vị hành chính",
    "pccc": "phòng cháy chữa cháy",
    "cnch": "cứu nạn cứu hộ",
    "tncs": "thanh niên cộng sản",
    "qđnd": "quân đội nhân dân",
    "atgt": "an toàn giao thông",
    "lđtbxh": "lao động thương binh và xã hội",
}  # fmt: skip
_PHRASES = [(re.compile(r"\btt\s*&\s*tt\b"), "thông tin và truyền thông")]
_STOP = {
    "và", "của", "các", "những", "về", "cho", "trong", "với", "là", "được", "để", "tại", "trên",
    "theo", "từ", "đến", "có", "một", "này", "đó", "như", "khi", "thì", "mà", "hoặc", "ở", "đã",
    "sẽ", "đang", "bị", "do", "vì", "nhằm", "qua", "ra", "vào", "cùng", "việc", "sự", "nhất",
    "hãy", "cũng", "đều", "nếu", "hơn", "lại", "rất", "mọi", "mỗi",
}  # fmt: skip
_LEVELS = {"xã", "phường", "thị", "trấn", "huyện", "quận", "thành", "phố", "tỉnh"}
_QUOTES = str.maketrans({c: '"' for c in "“”„‟«»″"} | {c: "'" for c in "‘’‚‛′"})


def _canon(token: str) -> str:
    """One spelling per syllable: the tone mark taken off and put at the end (hoà == hòa)."""
    decomposed = unicodedata.normalize("NFD", token)
    tones = [c for c in decomposed if c in _TONE_MARKS]
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    return base + "".join(tones[:1])


_STOP_KEYS = {_canon(w) for w in _STOP}
_LEVEL_KEYS = {_canon(w) for w in _LEVELS}


def words(text: str | None) -> list[str]:
    """The syllables of a text, normalised, abbreviations spelled out."""
    text = unicodedata.normalize("NFC", text or "").lower()
    for pattern, spelled in _PHRASES:
        text = pattern.sub(spelled, text)
    out: list[str] = []
    for token in re.findall(r"\w+", text):
        out.extend(_ABBREVIATIONS.get(token, token).split())
    return [_canon(t) for t in out]


def content(text: str | None, extra_stop: Iterable[str] = ()) -> set[str]:
    stop = _STOP_KEYS | {_canon(w) for w in extra_stop}
    found = {w for w in words(text) if w not in stop}
    return found or set(words(text))


def share(expected: str, candidate: set[str]) -> float:
    """The share of the expected text's content words found among the candidate's words."""
    wanted = content(expected)
    return len(wanted & candidate) / len(wanted) if wanted else 0.0


def overlap(a: str, b: str) -> float:
    """Observance names: the share of the shorter name's content words in the longer one."""
    x, y = content(a, ["ngày"]), content(b, ["ngày"])
    return len(x & y) / min(len(x), len(y)) if x and y else 0.0


def norm_number(number: str | None) -> str | None:
    if not number:
        return None
    text = unicodedata.normalize("NFC", number).upper()
    return re.sub(r"\s+", "", re.sub(r"[-‐‑–—]", "/", text))


def norm_slogan(text: str) -> str:
    text = " ".join(unicodedata.normalize("NFC", text).translate(_QUOTES).split())
    text = re.sub(r"(\.\.\.|…|[,;.])+$", "", text).strip()
    return text.strip("\"' ").strip()


def val(value: Any) -> str:
    return "null" if value is None else str(value)


def short(text: str | None, limit: int = 90) -> str:
    if text is None:
        return "nothing"
    text = " ".join(text.split())
    return f'"{text}"' if len(text) <= limit else f'"{text[: limit - 1]}…"'


# ---------------------------------------------------------------------------------------------
# parsing, as 'broadcaster directive parse FILE --json' does


@dataclass
class Parsed:
    data: dict[str, Any] | None
    error: str | None = None


def parse_in_process(path: Path) -> Parsed:
    from broadcaster.config import load_settings
    from broadcaster.domain.errors import InputError
    from broadcaster.ingest import IngestSettings, read_guidance
    from broadcaster.ingest.jsonout import parsed_json

    settings = load_settings().section("ingest", IngestSettings)
    try:
        extracted, documents = read_guidance(str(path), settings)
    except InputError as exc:
        return Parsed(None, f"refused: {exc}")
    except Exception as exc:  # a crash is a refusal too, and worth seeing
        return Parsed(None, f"crashed: {type(exc).__name__}: {exc}")
    # the same round trip through JSON as the command's output
    return Parsed(json.loads(json.dumps(parsed_json(documents, extracted), ensure_ascii=False)))


def parse_with_cli(path: Path) -> Parsed:
    command = REPO / ".venv" / "bin" / "broadcaster"
    argv = [str(command)] if command.exists() else [sys.executable, "-m", "broadcaster"]
    run = subprocess.run(
        [*argv, "directive", "parse", str(path), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        lines = (run.stderr or run.stdout).strip().splitlines() or [f"exit {run.returncode}"]
        return Parsed(None, "refused: " + re.sub(r"^(error|lỗi): ", "", lines[-1]))
    return Parsed(json.loads(run.stdout))


# ---------------------------------------------------------------------------------------------
# scoring


@dataclass
class Fact:
    #: place, date, number, issuer, basis, topic, duty, observance, period start/end, slogan,
    #: invented (a parsed propaganda item that matches no expected topic)
    kind: str
    expected: str
    ok: bool
    note: str = ""

    def line(self) -> str:
        if self.kind == "invented":
            return f"invented topic {self.expected}"
        mark = "ok" if self.ok else "missed"
        return f"{mark} {self.kind} {self.expected}" + (f": {self.note}" if self.note else "")


@dataclass
class DocResult:
    name: str
    expected: bool  # has an expectation file
    error: str | None = None
    facts: list[Fact] = field(default_factory=list)
    topics: int = 0  # parsed propaganda items
    duties: int = 0  # parsed administrative items
    documents: int = 0
    scripts: list[str] = field(default_factory=list)

    @property
    def right(self) -> int:
        return sum(f.ok for f in self.facts)

    @property
    def total(self) -> int:
        return len(self.facts)


def _all_refs(data: dict[str, Any]) -> list[dict[str, Any]]:
    refs = [r for d in data.get("documents") or [] for r in d.get("basis") or []]
    return refs + [r for i in data.get("items") or [] for r in i.get("basis") or []]


def _item_words(item: dict[str, Any]) -> set[str]:
    return set(words(f"{item.get('title') or ''} {item.get('text') or ''}"))


def _best(
    text: str, items: list[dict[str, Any]], bags: list[set[str]]
) -> tuple[dict[str, Any] | None, float]:
    """The item whose title and text hold most of the text's content words, and that share."""
    scored = [(share(text, bag), n) for n, bag in enumerate(bags)]
    if not scored:
        return None, 0.0
    best, n = max(scored, key=lambda pair: (pair[0], -pair[1]))
    return items[n], best


def expected_facts(expect: dict[str, Any]) -> list[Fact]:
    """Every fact of an expectation, each missed: what a refused document scores."""
    facts = [Fact("place", short(expect.get("place")), False, "refused")]
    facts += [Fact(k, val(expect.get(k)), False, "refused") for k in ("date", "number")]
    facts += [Fact("issuer", short(expect.get("issuer")), False, "refused")]
    facts += [Fact("basis", b["number"], False, "refused") for b in expect.get("basis", [])]
    facts += [Fact("topic", short(t), False, "refused") for t in expect["propaganda_topics"]]
    facts += [Fact("duty", short(t), False, "refused") for t in expect["administrative"]]
    facts += [Fact("observance", o["name"], False, "refused") for o in expect["observances"]]
    facts += [
        Fact(f"period {k}", val(expect["period"][k]), False, "refused") for k in ("start", "end")
    ]
    facts += [Fact("slogan", short(s, 60), False, "refused") for s in expect["slogans"]]
    return facts


def _header_facts(expect: dict[str, Any], doc: dict[str, Any]) -> list[Fact]:
    """Place, date, number and issuer of the file's first document."""
    facts = []
    want, got = expect.get("place"), doc.get("place")
    if want is None:
        ok = not got
    else:
        key = {w for w in words(want.split(",")[0]) if w not in _LEVEL_KEYS}
        ok = bool(got) and key <= set(words(got))
    facts.append(Fact("place", short(want), ok, "" if ok else f"read {short(got)}"))

    want, got = expect.get("date"), doc.get("date")
    facts.append(Fact("date", val(want), want == got, "" if want == got else f"read {val(got)}"))

    want, got = expect.get("number"), doc.get("number")
    ok = norm_number(want) == norm_number(got)
    facts.append(Fact("number", val(want), ok, "" if ok else f"read {val(got)}"))

    want, got = expect.get("issuer"), doc.get("issuer")
    if want is None:
        ok = not got
    else:
        ok = bool(got) and set(words(re.sub(r"\([^)]*\)", " ", want))) <= set(words(got))
    facts.append(Fact("issuer", short(want), ok, "" if ok else f"read {short(got)}"))
    return facts


def _basis_facts(expect: dict[str, Any], data: dict[str, Any]) -> list[Fact]:
    facts = []
    refs = _all_refs(data)
    for basis in expect.get("basis", []):
        same = [r for r in refs if norm_number(r.get("number")) == norm_number(basis["number"])]
        label = basis["number"] + (f" of {basis['date']}" if basis.get("date") else "")
        if not same:
            facts.append(Fact("basis", label, False, "not read"))
        elif basis.get("date") and all(r.get("date") != basis["date"] for r in same):
            facts.append(Fact("basis", label, False, f"read with date {same[0].get('date')}"))
        else:
            facts.append(Fact("basis", label, True))
    return facts


def _one_to_one(pairs: Iterable[tuple[Any, int, int]]) -> dict[int, int]:
    """Greedy matching over (rank, expected, parsed) pairs, best rank first."""
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _rank, wanted, found in sorted(pairs):
        if wanted not in matched and found not in used:
            matched[wanted] = found
            used.add(found)
    return matched


def _item_facts(expect: dict[str, Any], items: list[dict[str, Any]]) -> list[Fact]:
    """Propaganda topics (one to one; leftovers are invented) and administrative duties."""
    propaganda = [i for i in items if i.get("kind") == "propaganda"]
    administrative = [i for i in items if i.get("kind") == "administrative"]
    bags = [_item_words(i) for i in propaganda]
    admin_bags = [_item_words(i) for i in administrative]
    topics = expect["propaganda_topics"]
    matched = _one_to_one(
        (-share(t, bag), ti, ii)
        for ti, t in enumerate(topics)
        for ii, bag in enumerate(bags)
        if share(t, bag) >= TOPIC_THRESHOLD
    )
    taken = set(matched.values())
    facts = []
    for ti, topic in enumerate(topics):
        if ti in matched:
            facts.append(Fact("topic", short(topic), True))
            continue
        admin, admin_score = _best(topic, administrative, admin_bags)
        closest, closest_score = _best(topic, propaganda, bags)
        if admin is not None and admin_score >= TOPIC_THRESHOLD:
            note = f"read as administrative {admin.get('number')}"
        elif closest is not None:
            title = short(closest.get("title"), 50)
            note = f"closest {closest.get('number')} {title} ({closest_score:.0%})"
            if propaganda.index(closest) in taken:
                note += ", taken"
        else:
            note = "no propaganda item"
        facts.append(Fact("topic", short(topic), False, note))
    for ii, item in enumerate(propaganda):
        if ii not in taken:
            facts.append(
                Fact("invented", f"{item.get('number')} {short(item.get('title'))}", False)
            )

    # administrative duties: found among the administrative items (one may hold several)
    for duty in expect["administrative"]:
        _admin, best = _best(duty, administrative, admin_bags)
        if best >= TOPIC_THRESHOLD:
            facts.append(Fact("duty", short(duty), True))
            continue
        topic_item, topic_score = _best(duty, propaganda, bags)
        if topic_item is not None and topic_score >= TOPIC_THRESHOLD:
            note = f"read as propaganda {topic_item.get('number')}"
        else:
            note = f"best {best:.0%}"
        facts.append(Fact("duty", short(duty), False, note))
    return facts


def _observance_facts(expect: dict[str, Any], items: list[dict[str, Any]]) -> list[Fact]:
    wanted = expect["observances"]
    parsed = [o for i in items for o in i.get("observances") or []]

    def date_ok(o: dict[str, Any], p: dict[str, Any]) -> bool:
        return o["date"] is None or o["date"] == p.get("date")

    matched = _one_to_one(
        ((not date_ok(o, p), -overlap(o["name"], p.get("name") or "")), oi, pi)
        for oi, o in enumerate(wanted)
        for pi, p in enumerate(parsed)
        if overlap(o["name"], p.get("name") or "") >= OBSERVANCE_THRESHOLD
    )
    facts = []
    for oi, o in enumerate(wanted):
        label = f"{short(o['name'], 60)} {o['date']}"
        if oi not in matched:
            facts.append(Fact("observance", label, False, "not read"))
            continue
        p = parsed[matched[oi]]
        ok = date_ok(o, p)
        note = "" if ok else f"read {short(p.get('name'), 50)} {p.get('date')}"
        facts.append(Fact("observance", label, ok, note))
    return facts


def score(expect: dict[str, Any], data: dict[str, Any]) -> list[Fact]:
    """Every fact of the expectation, read right or not, and the invented topics."""
    doc = data.get("document") or {}
    items = data.get("items") or []
    facts = _header_facts(expect, doc) + _basis_facts(expect, data)
    facts += _item_facts(expect, items) + _observance_facts(expect, items)
    period = doc.get("period") or {}
    for key in ("start", "end"):
        want, got = expect["period"][key], period.get(key)
        note = "" if want == got else f"read {val(got)}"
        facts.append(Fact(f"period {key}", val(want), want == got, note))
    parsed_slogans = {norm_slogan(s) for i in items for s in i.get("slogans") or []}
    for slogan in expect["slogans"]:
        facts.append(Fact("slogan", short(slogan, 60), norm_slogan(slogan) in parsed_slogans))
    return facts


# ---------------------------------------------------------------------------------------------
# sources


@dataclass
class Source:
    label: str
    path: Path
    skipped: str | None = None
    results: list[DocResult] = field(default_factory=list)

    @property
    def has_expectations(self) -> bool:
        return any(r.expected for r in self.results)

    @property
    def right(self) -> int:
        return sum(r.right for r in self.results if r.expected)

    @property
    def total(self) -> int:
        return sum(r.total for r in self.results if r.expected)

    @property
    def refused(self) -> int:
        return sum(r.error is not None for r in self.results)


def shown(path: Path) -> str:
    try:
        return os.path.relpath(path, Path.cwd())
    except ValueError:
        return str(path)


def documents_in(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.suffix.lower() in DOCUMENT_SUFFIXES
        and p.name.lower() != "readme.md"
        and not p.name.endswith(".expect.json")
    )


def variants_of(folder: Path, into: Path) -> list[Path]:
    """The .docx/.pdf forms a corpus folder's make_variants.py builds (none without one)."""
    maker = folder / "make_variants.py"
    if not maker.is_file():
        return []
    spec = importlib.util.spec_from_file_location(f"_variants_{abs(hash(folder))}", maker)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return [Path(p) for p in module.make_variants(into)]


def bench_file(path: Path, parse: Callable[[Path], Parsed]) -> DocResult:
    expect_file = path.with_name(path.stem + ".expect.json")
    expect = json.loads(expect_file.read_text("utf-8")) if expect_file.is_file() else None
    result = DocResult(path.name, expect is not None)
    parsed = parse(path)
    if parsed.data is None:
        result.error = (parsed.error or "refused").replace(str(path), path.name)
        result.facts = expected_facts(expect) if expect else []
        return result
    items = parsed.data.get("items") or []
    result.documents = len(parsed.data.get("documents") or [])
    result.topics = sum(i.get("kind") == "propaganda" for i in items)
    result.duties = sum(i.get("kind") == "administrative" for i in items)
    result.scripts = [i["script"] for i in items if i.get("script")]
    if expect is not None:
        result.facts = score(expect, parsed.data)
    return result


def bench_source(label: str, folder: Path, parse: Callable[[Path], Parsed], tmp: Path) -> Source:
    source = Source(label, folder)
    if not folder.is_dir():
        source.skipped = f"{shown(folder)} not found (the shared folders ship beside the repo)"
        return source
    files = documents_in(folder)
    files += variants_of(folder, tmp / re.sub(r"\W+", "-", label))
    source.results = [bench_file(p, parse) for p in files]
    return source


# ---------------------------------------------------------------------------------------------
# the script check, when broadcaster.ingest has one


def find_script_check() -> tuple[str, Callable[[str], Any]] | None:
    for module_name in ("broadcaster.ingest", "broadcaster.ingest.scripts"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for name in ("check_script", "script_problems"):
            check = getattr(module, name, None)
            if callable(check):
                return f"{module_name}.{name}", check
    return None


@dataclass
class ScriptCheck:
    name: str | None
    checked: int = 0
    passed: int = 0
    error: str | None = None

    @property
    def percent(self) -> float | None:
        return 100 * self.passed / self.checked if self.name and self.checked else None


def run_script_check(sources: list[Source]) -> ScriptCheck:
    found = find_script_check()
    if found is None:
        return ScriptCheck(None)
    name, check = found
    outcome = ScriptCheck(name)
    for source in sources:
        for result in source.results:
            for script in result.scripts:
                outcome.checked += 1
                try:
                    problems = check(script)
                except Exception as exc:
                    outcome.error = outcome.error or f"{type(exc).__name__}: {exc}"
                    continue
                outcome.passed += not problems
    return outcome


# ---------------------------------------------------------------------------------------------
# reporting


def pct(right: int, total: int) -> str:
    return f"{100 * right / total:.0f}%" if total else "n/a"


def kinds_line(results: list[DocResult]) -> str:
    order = ["place", "date", "number", "issuer", "basis", "topic", "duty", "observance"]
    order += ["period start", "period end", "slogan"]
    parts = []
    for kind in order:
        facts = [f for r in results if r.expected for f in r.facts if f.kind == kind]
        if facts:
            parts.append(f"{kind} {sum(f.ok for f in facts)}/{len(facts)}")
    invented = sum(f.kind == "invented" for r in results for f in r.facts)
    return ", ".join(parts) + f"; invented topics {invented}"


def variant_line(source: Source) -> str | None:
    """Whether the forms of one guidance (same stem, several suffixes) read the same."""
    by_stem: dict[str, list[DocResult]] = {}
    for r in source.results:
        by_stem.setdefault(Path(r.name).stem, []).append(r)
    lines = []
    for stem, forms in sorted(by_stem.items()):
        if len(forms) < 2 or not all(f.expected for f in forms):
            continue
        reads = [{(f.kind, f.expected, f.ok) for f in r.facts} for r in forms]
        differ = set.union(*reads) - set.intersection(*reads)
        figures = ", ".join(
            f"{Path(r.name).suffix} {r.right}/{r.total}" + (" refused" if r.error else "")
            for r in forms
        )
        if differ:
            kinds = ", ".join(sorted({kind for kind, _, _ in differ}))
            same = f"NOT the same facts (they differ in: {kinds})"
        else:
            same = "the same facts"
        lines.append(f"  forms of {stem}: {figures}: {same}")
    return "\n".join(lines) or None


def summary_line(sources: list[Source], check: ScriptCheck) -> str:
    scored = [s for s in sources if s.has_expectations]
    right, total = sum(s.right for s in scored), sum(s.total for s in scored)
    parts = []
    for s in sources:
        if s.skipped:
            parts.append(f"{s.label} skipped")
        elif s.has_expectations:
            parts.append(f"{s.label} {pct(s.right, s.total)}")
        else:
            parts.append(f"{s.label}: {s.refused} refused")
    scripts = f"{check.percent:.0f}%" if check.percent is not None else "n/a"
    if check.name is None:
        scripts += " (not available yet)"
    return (
        f"SUMMARY: facts read {pct(right, total)} overall ({', '.join(parts)}); "
        f"scripts passing the check {scripts}"
    )


def report(sources: list[Source], check: ScriptCheck, mode: str, verbose: bool) -> None:
    print(f"intake accuracy ({mode})")
    for source in sources:
        print()
        if source.skipped:
            print(f"{source.label}: skipped: {source.skipped}")
            continue
        print(f"{source.label} ({shown(source.path)}, {len(source.results)} files)")
        for r in source.results:
            if not r.expected:
                state = r.error or (
                    f"{r.documents} document(s), {r.topics} propaganda topics, "
                    f"{r.duties} administrative items"
                )
                print(f"  {r.name}: {state}")
                continue
            head = f"  {r.name}: {r.right}/{r.total} facts ({pct(r.right, r.total)})"
            print(head + (f"; {r.error[:160]}" if r.error else ""))
            if r.error and not verbose:
                continue
            for f in r.facts:
                if verbose or not f.ok:
                    print(f"    {f.line()}")
        if source.has_expectations:
            print(
                f"  {source.label}: {source.right}/{source.total} facts "
                f"({pct(source.right, source.total)}); {source.refused} of "
                f"{len(source.results)} files refused"
            )
            print(f"  by kind: {kinds_line(source.results)}")
            variants = variant_line(source)
            if variants:
                print(variants)
        else:
            topics = sum(r.topics for r in source.results)
            print(
                f"  {source.label}: {source.refused} of {len(source.results)} files refused, "
                f"{topics} propaganda topics"
            )
    print()
    scored = [s for s in sources if s.has_expectations]
    right, total = sum(s.right for s in scored), sum(s.total for s in scored)
    files = sum(len(s.results) for s in sources)
    refused = sum(s.refused for s in sources)
    print(
        f"overall: {right}/{total} facts ({pct(right, total)}); {refused} of {files} files refused"
    )
    if check.name is None:
        print("script check: not available yet")
    else:
        line = f"script check ({check.name}): {check.passed} of {check.checked} scripts pass"
        print(line + (f"; it failed with {check.error}" if check.error else ""))
    print(summary_line(sources, check))


def as_json(sources: list[Source], check: ScriptCheck, mode: str) -> dict[str, Any]:
    scored = [s for s in sources if s.has_expectations]
    right, total = sum(s.right for s in scored), sum(s.total for s in scored)
    return {
        "mode": mode,
        "sources": [
            {
                "label": s.label,
                "path": str(s.path),
                "skipped": s.skipped,
                "facts_right": s.right,
                "facts": s.total,
                "share": s.right / s.total if s.total else None,
                "refused": s.refused,
                "files": [
                    {
                        "file": r.name,
                        "refused": r.error,
                        "documents": r.documents,
                        "propaganda_topics": r.topics,
                        "administrative_items": r.duties,
                        "facts_right": r.right if r.expected else None,
                        "facts": r.total if r.expected else None,
                        "wrong": [
                            {"kind": f.kind, "expected": f.expected, "note": f.note}
                            for f in r.facts
                            if not f.ok
                        ],
                    }
                    for r in s.results
                ],
            }
            for s in sources
        ],
        "overall": {
            "facts_right": right,
            "facts": total,
            "share": right / total if total else None,
        },
        "script_check": {
            "function": check.name,
            "checked": check.checked,
            "passed": check.passed,
            "error": check.error,
        },
        "summary": summary_line(sources, check),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--docs",
        action="append",
        type=Path,
        metavar="DIR",
        help="bench this folder instead of the default three (repeatable)",
    )
    parser.add_argument("--verbose", action="store_true", help="list the facts read right too")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--cli",
        action="store_true",
        help="run 'broadcaster directive parse FILE --json' in a subprocess",
    )
    args = parser.parse_args(argv)

    parse = parse_with_cli if args.cli else parse_in_process
    mode = (
        "subprocess: broadcaster directive parse FILE --json"
        if args.cli
        else "in process: read_guidance + parsed_json, as 'broadcaster directive parse FILE --json'"
    )
    folders = [p.resolve() for p in args.docs] if args.docs else [SHARED_CORPUS, OWN_CORPUS, SEEDS]
    with tempfile.TemporaryDirectory(prefix="bench_intake_") as tmp:
        sources = [
            bench_source(LABELS.get(folder, folder.name), folder, parse, Path(tmp))
            for folder in folders
        ]
    check = run_script_check(sources)
    if args.json:
        print(json.dumps(as_json(sources, check, mode), ensure_ascii=False, indent=2))
    else:
        report(sources, check, mode, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
