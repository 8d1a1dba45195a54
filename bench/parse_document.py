"""Parser benchmark: a 500 KB document, and texts built to hit each heuristic over and over.

    .venv/bin/python bench/parse_document.py [--json]

Prints, for seed 004 repeated to 500 KB and for each pathological text of 500 KB (long lines, thousands
of numbers, sentences, list items, markdown markers …), the best of three parse times. A regular
expression that backtracks would take minutes on such input; the goal is under one second each.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")

import django

django.setup()

from danvan.directives import parsing  # noqa: E402

SIZE = 500_000
SEED = Path(__file__).resolve().parent.parent / "danvan/directives/tests/register_data/seed_004.txt"
PIECES = [
    "Định kỳ 6 tháng, 1 năm, ",  # one endless line of recurrence openers
    "Định kỳ 6 tháng, 1 năm báo cáo\n",  # thousands of recurring reports
    "Giao ",
    "X phối hợp với ",
    "a chủ trì ",
    "trước ngày 1/1 ",
    "đạt 80 % - ",
    "Đảm bảo 1,1",
    "Số 1-A/B ",  # thousands of document numbers
    "A. ",  # thousands of sentences
    "ĐẢNG CỘNG SẢN VIỆT NAM ",
    "Biên Hòa, ngày 1 tháng 1 năm 2000 ",
    "Số 1-A/B Biên Hòa, ngày 1 tháng 1 năm 2000 V/v x ĐẢNG ỦY SỞ X\n",
    "ĐẢNG BỘ TỈNH ĐỒNG NAI ĐẢNG ỦY KHỐI ",
    "_a ",
    "[x]{",
    "\\",
    "T/M ĐẢNG ỦY ",
    "- a; PHÓ BÍ THƯ\n",
    "1- Các cấp ủy đảng trực thuộc tổ chức nghiên cứu.\n",
]


def repeated(piece: str, size: int = SIZE) -> str:
    return (piece * (size // len(piece) + 1))[:size]


def best_of_three(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        parsing.parse(text)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    seed = repeated(SEED.read_text(encoding="utf-8"))
    result = {
        "seed_004_500kb_s": round(best_of_three(seed), 3),
        "seed_004_500kb_tasks": len(parsing.parse(seed).tasks),
    }
    slowest = ("", 0.0)
    for piece in PIECES:
        text = repeated(piece)
        if piece.startswith("1- "):
            text = "III. TỔ CHỨC THỰC HIỆN\n" + text
        if piece.startswith("- a;"):
            text = "Nơi nhận: T/M ĐẢNG ỦY\n" + text
        elapsed = best_of_three(text)
        if elapsed > slowest[1]:
            slowest = (piece, elapsed)
    result["pathological_texts"] = len(PIECES)
    result["pathological_max_s"] = round(slowest[1], 3)
    result["pathological_slowest"] = slowest[0]
    print(json.dumps(result, ensure_ascii=False) if args.json else result)


if __name__ == "__main__":
    main()
