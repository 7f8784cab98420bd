"""Benchmark bounded intake: parse time and peak memory for big texts and hostile files.

Usage: .venv/bin/python scripts/bench_intake_bounds.py [--quick]

Each case runs ``read_guidance`` (extract, parse, draft scripts; what ``directive parse`` does
before printing) in a fresh Python process, so its peak RSS is its own. Texts of 1, 5, 10 and
19.9 MB (just under the 20 MB default limit) come in two shapes: "guidance", a long plan of
ordinary numbered topics, and "dense", twenty topics each one paragraph packed with citations,
days, slogan cues and dotted blanks (the shape that used to take minutes per megabyte). The
hostile files are the ones the tests build (tests/ingest/bombs.py): they must be refused fast
and without unpacking. ``--quick`` stops the texts at 5 MB. The last line is a one-line summary.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.ingest import bombs  # noqa: E402  (the hostile files the tests build)

MB = 1024 * 1024
EXAMPLE = REPO / "schedules" / "guidance" / "2026-05_huong-dan-tuyen-truyen-xa-nam-binh.txt"
ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII"]

# peak RSS from /proc (VmHWM belongs to the new program; ru_maxrss would carry over the
# benchmark's own peak across fork and exec)
CHILD = r"""
import json, resource, sys, time
from broadcaster.domain.errors import InputError
from broadcaster.ingest import read_guidance

def peak_kb():
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

before = peak_kb()
start = time.perf_counter()
try:
    _, documents = read_guidance(sys.argv[1])
    outcome = f"{sum(len(d.items) for d in documents)} topics"
except InputError as exc:
    outcome = "refused: " + str(exc).split(": ", 1)[1]
seconds = time.perf_counter() - start
peak = peak_kb()
print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024, "base_mb": before / 1024,
                  "outcome": outcome}))
"""


def guidance_text(target: int) -> str:
    """A long plan: the example's header, then numbered topics with the example's prose."""
    text = EXAMPLE.read_text("utf-8")
    head, _, rest = text.partition("I. NỘI DUNG TUYÊN TRUYỀN")
    prose = [
        p
        for p in rest.split("\n\nII. KHẨU HIỆU")[0].split("\n\n")
        if p.strip() and not p[0].isdigit() and not p.startswith(("a)", "b)"))
    ]
    parts, size = [head], len(head.encode())
    for r, roman in enumerate(ROMANS):
        parts.append(f"{roman}. NỘI DUNG TUYÊN TRUYỀN ĐỢT {r + 1}\n")
        for n in range(1, 1000):
            topic = (
                f"{n}. Tuyên truyền phòng, chống sốt xuất huyết đợt {n} (theo Công văn số "
                f"{n}/SYT-NVY ngày 12/5/2026 của Sở Y tế)\n\n" + "\n\n".join(prose) + "\n"
            )
            parts.append(topic)
            size += len(topic.encode())
            if size >= target:
                return "\n".join(parts)
    return "\n".join(parts)


def ordinary_docx(xml_mb: int) -> bytes:
    """A .docx of numbered topics and varied prose, ``xml_mb`` of XML (no bomb: it packs
    about 6 times, as Word's files do)."""
    rng = random.Random(1)
    words = EXAMPLE.read_text("utf-8").split()

    def body() -> Iterator[bytes]:
        size, n = 0, 0
        while size < xml_mb * MB:
            n += 1
            prose = " ".join(rng.choice(words) for _ in range(120))
            text = f"{n % 999 + 1}. Tuyên truyền nội dung {n}" if n % 10 == 1 else prose
            chunk = f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>".encode()
            size += len(chunk)
            yield chunk

    return bombs.docx_with_body(body())


def run_case(path: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=1800,
        check=False,
    )
    if result.returncode != 0:
        return {"seconds": float("nan"), "peak_mb": float("nan"), "base_mb": 0.0,
                "outcome": "crashed: " + result.stderr.strip().splitlines()[-1]}  # fmt: skip
    data: dict[str, object] = json.loads(result.stdout)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="texts up to 5 MB only")
    args = parser.parse_args()
    sizes = [1.0, 5.0] if args.quick else [1.0, 5.0, 10.0, 19.9]

    with tempfile.TemporaryDirectory(prefix="bench-intake-") as tmp:
        folder = Path(tmp)
        cases: list[tuple[str, Path]] = []
        for mb in sizes:
            for shape, make in (("guidance", guidance_text), ("dense", bombs.big_guidance)):
                path = folder / f"{shape}-{mb:g}.txt"
                path.write_text(make(int(mb * MB)), "utf-8")
                cases.append((f"{shape} text {path.stat().st_size / MB:.1f} MB", path))
        docx_mb = 5 if args.quick else 25
        path = folder / "thuong.docx"
        path.write_bytes(ordinary_docx(docx_mb))
        cases.append((f"ordinary docx, {docx_mb} MB of XML", path))
        hostile: list[tuple[str, str, bytes]] = [
            ("docx, 40 MB of ordinary XML", "xml.docx", ordinary_docx(40)),
            ("docx zip bomb (300 MB of XML)", "bom.docx", bombs.zip_bomb_docx(300)),
            ("docx lying about its sizes", "doi.docx", bombs.lying_docx()),
            ("docx, 3,000 parts", "parts.docx", bombs.docx_with_parts(3000)),
            ("docx, tables 3,000 deep", "long.docx", bombs.docx_with_nested_tables(3000)),
            ("pdf, a 300 MB stream", "bom.pdf", bombs.pdf_with_streams([300])),
            ("pdf, 1,500 pages", "dai.pdf", bombs.pdf_with_pages(1500)),
            ("text, numbering 3,000 deep", "sau.txt", bombs.deep_numbering(3000).encode()),
        ]
        for label, name, data in hostile:
            path = folder / name
            path.write_bytes(data)
            cases.append((f"{label}, {path.stat().st_size / MB:.2f} MB on disk", path))

        print(f"{'case':<48} {'seconds':>8} {'peak RSS':>9}  outcome")
        results: dict[str, dict[str, object]] = {}
        for label, path in cases:
            r = run_case(path)
            results[label] = r
            outcome = str(r["outcome"])
            print(
                f"{label:<48} {r['seconds']:>8.2f} {r['peak_mb']:>6.0f} MB  "
                f"{outcome[:90]}{'…' if len(outcome) > 90 else ''}",
                flush=True,
            )

    texts = {k: v for k, v in results.items() if " text " in k}
    bombs_ = {k: v for k, v in results.items() if " text " not in k and "ordinary docx" not in k}
    biggest = max(sizes)
    big = {k: v for k, v in texts.items() if k.endswith(f"{biggest:.1f} MB")}
    refused = sum(1 for v in bombs_.values() if str(v["outcome"]).startswith("refused"))
    slowest_bomb = max(float(str(v["seconds"])) for v in bombs_.values())
    worst_rss = max(float(str(v["peak_mb"])) for v in bombs_.values())
    big_text = ", ".join(
        f"{k.split(' text')[0]} {float(str(v['seconds'])):.1f} s / {float(str(v['peak_mb'])):.0f} MB"
        for k, v in big.items()
    )
    print(
        f"SUMMARY intake bounds: {biggest:g} MB text parsed in {big_text} (seconds / peak RSS); "
        f"{refused} of {len(bombs_)} hostile files refused, slowest {slowest_bomb:.1f} s, "
        f"peak RSS at most {worst_rss:.0f} MB"
    )


if __name__ == "__main__":
    main()
