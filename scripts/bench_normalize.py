"""Benchmark Vietnamese text normalisation: sentences per second over the seed documents.

Usage: .venv/bin/python scripts/bench_normalize.py [--rounds N]

Splits every seed document (../shared/seeds/*.txt) into sentences, normalises them all several
times with the default (northern, codes dropped) options and once with southern + spelt codes, and
prints the throughput. Falls back to a built-in set of sentences when the seeds are absent.
The last line is a one-line summary.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

from broadcaster.speech.normalize import NormalizeOptions, normalize_text

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

FALLBACK = [
    "Ngày 26/6 là Ngày toàn dân phòng, chống ma túy.",
    "Tính đến ngày 09/5/2021, toàn tỉnh ghi nhận 37 trường hợp mắc tại 8/8 huyện.",
    "cả nước ghi nhận 22.074 trường hợp mắc bệnh sốt xuất huyết",
    "So với cùng kỳ năm 2020, số người mắc giảm 65,4%.",
    "Phát lúc 17h30 trên sóng của Đài truyền thanh xã.",
    "Ban Chấp hành Trung ương Đảng khóa XII",
    "theo Kế hoạch số 353/KH-UBND ngày 14/5/2021 của UBND tỉnh",
    "Đường dây nóng 0261.3544.123, gọi 114 khi có cháy; PCCC và CNCH.",
]


def load_sentences() -> tuple[list[str], str]:
    if not SEEDS.is_dir():
        return FALLBACK * 50, "built-in sentences (seeds not found)"
    sentences: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            sentences += [s for s in re.split(r"(?<=[.;!?])\s+", line) if s.strip()]
    return sentences, f"{len(sorted(SEEDS.glob('*.txt')))} seed documents"


def run(sentences: list[str], options: NormalizeOptions) -> float:
    start = time.perf_counter()
    for sentence in sentences:
        normalize_text(sentence, options)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="one round")
    args = parser.parse_args()
    if args.quick:
        args.rounds = 1

    sentences, source = load_sentences()
    chars = sum(len(s) for s in sentences)
    normalize_text("khởi động", NormalizeOptions())  # load and compile the dictionary once

    rates = []
    for _ in range(args.rounds):
        rates.append(len(sentences) / run(sentences, NormalizeOptions()))
    south = len(sentences) / run(sentences, NormalizeOptions("south", "spell"))

    whole = "\n".join(sentences)
    start = time.perf_counter()
    normalize_text(whole)
    whole_s = time.perf_counter() - start

    median = statistics.median(rates)
    print(f"input: {len(sentences)} sentences, {chars:,} characters from {source}")
    print(
        f"north/drop: median {median:,.0f} sentences/s over {args.rounds} rounds "
        f"(min {min(rates):,.0f}, max {max(rates):,.0f})"
    )
    print(f"south/spell: {south:,.0f} sentences/s")
    print(f"one {len(whole):,}-character text in one call: {whole_s * 1000:.0f} ms")
    print(
        f"normalize: {median:,.0f} sentences/s ({median * chars / len(sentences):,.0f} chars/s), "
        f"whole seed text {whole_s * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
