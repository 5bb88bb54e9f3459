"""Benchmark: would a word-segmented index find what a person searches for? (pure Python)

    .venv/bin/python bench/search_recall.py [--words 漏水,电梯,…]

Over the committed customer texts (the demo's complaints and the classifier's negative reviews),
for each search word: how many texts contain it (what the queue's search must return), how many of
those a jieba-segmented index would find — the word is one of the text's tokens, with
``jieba.cut_for_search`` (search-engine mode, also the finer sub-words) — and how many the bigram
index of ``core/textsearch.py`` finds (every text whose bigram sequence holds the word's bigrams in
order; by construction all of them). A jieba ``tsvector`` misses a text whenever the word is cut
differently inside a longer word or a phrase (漏水 in 水管漏水了 → 水管 / 漏水 / 了 is found, but
门禁卡 or 电梯间 may come out as one token).
"""

from __future__ import annotations

import argparse
import csv
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from complaintdesk.core import textsearch  # noqa: E402  (pure Python, no Django)

TEXTS = [
    ROOT / "complaintdesk" / "demo" / "data" / "complaints.csv",
    ROOT / "complaintdesk" / "language" / "testdata" / "reviews" / "negative_reviews.csv",
]
WORDS = "漏水,电梯,燃气,噪音,空调,安装,客服,退款,质量,快递,售后,充电,屏幕,耳机,房间,前台,服务员,不满意,太慢了"


def texts() -> list[str]:
    out = []
    for path in TEXTS:
        with path.open(encoding="utf-8-sig") as f:
            out.extend(row["review"] for row in csv.DictReader(f) if row.get("review"))
    return out


def bigram_finds(word: str, text: str) -> bool:
    """What the PostgreSQL query does: the word's bigrams in a row in one run of the text."""
    wanted = [word[i:i + 2] for i in range(len(word) - 1)]
    for run in textsearch.words(text):
        grams = [run[i:i + 2] for i in range(len(run) - 1)]
        for start in range(len(grams) - len(wanted) + 1):
            if grams[start:start + len(wanted)] == wanted:
                return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", default=WORDS)
    args = parser.parse_args()
    import jieba

    jieba.setLogLevel(logging.WARNING)
    corpus = texts()
    tokens = [set(jieba.cut_for_search(t)) for t in corpus]
    print(f"{len(corpus)} texts")
    print(f"{'word':8} {'contain':>8} {'jieba finds':>12} {'recall':>7} {'bigram finds':>13}")
    total = found_jieba = found_bigram = 0
    for word in args.words.split(","):
        holding = [i for i, t in enumerate(corpus) if word in t]
        jieba_hits = sum(1 for i in holding if word in tokens[i])
        bigram_hits = sum(1 for i in holding if bigram_finds(word, corpus[i]))
        total, found_jieba, found_bigram = total + len(holding), found_jieba + jieba_hits, found_bigram + bigram_hits
        recall = jieba_hits / len(holding) if holding else float("nan")
        print(f"{word:8} {len(holding):>8} {jieba_hits:>12} {recall:>7.1%} {bigram_hits:>13}")
    print(f"{'all':8} {total:>8} {found_jieba:>12} {found_jieba / total:>7.1%} {found_bigram:>13}")


if __name__ == "__main__":
    main()
