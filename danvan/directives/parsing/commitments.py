"""Targets: the commitments with a percentage ("Đảm bảo 100% …", "đạt từ 80% trở lên"), read by `targets`."""

from __future__ import annotations

import re

from danvan.core.text import search_key

from .text import clause_text, clean_text, split_sentences

_PERCENT_RE = re.compile(
    r"(\d{1,3}(?:[.,]\d+)?)\s*%?\s*(?:-|đến|tới)\s*(\d{1,3}(?:[.,]\d+)?)\s*%|(\d{1,3}(?:[.,]\d+)?)\s*%"
)
_TARGET_WORDS = {"dam bao", "bao dam", "dat", "phan dau", "tro len", "it nhat", "toi thieu", "ty le", "ti le"}


def _number(text: str) -> int | float:
    value = float(text.replace(",", "."))
    return int(value) if value.is_integer() else value


def targets(text: str, *, cleaned: bool = False) -> list[dict]:
    """Every commitment with a percentage ("Đảm bảo 100% …", "đạt từ 80% trở lên"): [{text, percent}].

    A range ("80%-100%") counts once, with its lower bound. A percentage in a sentence without a word of
    commitment (đảm bảo, đạt, phấn đấu, trở lên, ít nhất, tối thiểu, tỷ lệ) is a figure, not a target.
    """
    found: list[dict] = []
    paragraphs = (text if cleaned else clean_text(text)).split("\n")
    sentences = (
        sentence for paragraph in paragraphs if "%" in paragraph for sentence in split_sentences(paragraph)
    )
    for sentence in sentences:
        if "%" not in sentence:
            continue
        for clause in re.split(r";\s*", sentence):
            if "%" not in clause:
                continue
            key = f" {search_key(clause)} "
            if not any(f" {word} " in key for word in _TARGET_WORDS):
                continue
            for match in _PERCENT_RE.finditer(clause):
                value = match.group(1) or match.group(3)
                try:
                    percent = _number(value)
                except ValueError:
                    continue
                if percent > 100:
                    continue
                found.append({"text": clause_text(clause), "percent": percent})
    return found
