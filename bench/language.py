"""Benchmark: text intelligence (forbidden-phrase checker and classifier), on one core.

    .venv/bin/python bench/language.py [--runs 5] [--skip-classifier] [--dataset online_shopping_10_cats.csv]

The texts come from --dataset (default: the 1,000-review sample committed in
complaintdesk/language/testdata/reviews/; the figures in docs/BENCHMARKS.md used the whole
62,774-row online_shopping_10_cats.csv, see that folder's SOURCE.txt).

Checker: throughput over the review texts (UTF-8 bytes of text
checked per second, one ``check()`` call per text, packaged rules), and precision/recall on the
labelled sets in complaintdesk/language/testdata/.

Classifier: negative reviews only (label == 0), ``cat`` as the label, stratified 80/20 split with
seed 0. Baseline: character TF-IDF (1–2-grams, scikit-learn defaults otherwise) + LinearSVC(),
trained and timed in the same run. Ours: NB-SVM over jieba words + character 1–2-grams
(``TextClassifier()``), and the char-only variant (``TextClassifier(words=False)``). Accuracy and
macro-F1 on the 20 %, training time, and predictions per second for the whole test set in one
batch and one text at a time. Timings are medians over ``--runs``; accuracy is deterministic.

The process is pinned to one CPU. Prints a Markdown table and writes var/bench_language.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The committed sample by default; --dataset takes the whole original CSV (same columns: cat,label,review).
DATASET = ROOT / "complaintdesk" / "language" / "testdata" / "reviews" / "negative_reviews.csv"


def _median_time(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def bench_checker(runs: int) -> dict:
    from complaintdesk.language.checker import PhraseChecker
    from complaintdesk.language.phrases_default import FORBIDDEN_RULES
    from complaintdesk.language.tests.cases import load_cases

    build_seconds, checker = _median_time(lambda: PhraseChecker(FORBIDDEN_RULES), runs)
    with DATASET.open(encoding="utf-8-sig") as handle:
        texts = [row["review"] for row in csv.DictReader(handle)]
    n_bytes = sum(len(t.encode("utf-8")) for t in texts)
    checker.check(texts[0])
    seconds, hits = _median_time(lambda: sum(len(checker.check(t)) for t in texts), runs)
    out = {
        "rules": len(FORBIDDEN_RULES),
        "build_seconds": round(build_seconds, 3),
        "texts": len(texts),
        "megabytes": round(n_bytes / 1e6, 2),
        "mb_per_second": round(n_bytes / seconds / 1e6, 2),
        "texts_per_second": round(len(texts) / seconds),
        "hits_in_reviews": hits,
    }
    for name in ("checker_cases.tsv", "checker_holdout.tsv"):
        cases = load_cases(name)
        flagged = [bool(checker.check(c.text)) for c in cases]
        tp = sum(1 for c, f in zip(cases, flagged, strict=True) if c.label and f)
        fp = sum(1 for c, f in zip(cases, flagged, strict=True) if not c.label and f)
        fn = sum(1 for c, f in zip(cases, flagged, strict=True) if c.label and not f)
        out[name] = {
            "sentences": len(cases),
            "positives": sum(c.label for c in cases),
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": round(tp / (tp + fp), 4),
            "recall": round(tp / (tp + fn), 4),
        }
    return out


def bench_classifier(runs: int) -> dict:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    from complaintdesk.language.classifier import TextClassifier, rule_predictions, tokenize

    with DATASET.open(encoding="utf-8-sig") as handle:
        rows = [row for row in csv.DictReader(handle) if row["label"] == "0"]
    texts, labels = [r["review"] for r in rows], [r["cat"] for r in rows]
    x_train, x_test, y_train, y_test = train_test_split(
        texts, labels, test_size=0.2, stratify=labels, random_state=0
    )
    tokenize("预热")  # jieba loads its dictionary once per process; not part of any timing
    one_at_a_time = x_test[:2000]

    def baseline():
        return make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 2)), LinearSVC()).fit(
            x_train, y_train
        )

    candidates = {
        "baseline: char 1-2 TF-IDF + LinearSVC": (baseline, lambda m, xs: list(m.predict(xs))),
        "NB-SVM, jieba words + char 1-2 (default)": (
            lambda: TextClassifier().fit(x_train, y_train),
            lambda m, xs: [label for label, _ in m.predict(xs)],
        ),
        "NB-SVM, char 1-2 only (--chars-only)": (
            lambda: TextClassifier(words=False).fit(x_train, y_train),
            lambda m, xs: [label for label, _ in m.predict(xs)],
        ),
    }
    results = {"train": len(x_train), "test": len(x_test), "labels": len(set(labels))}
    for name, (train, predict) in candidates.items():
        train_seconds, model = _median_time(train, runs)
        batch_seconds, predicted = _median_time(lambda m=model, p=predict: p(m, x_test), runs)
        single_seconds, _ = _median_time(
            lambda m=model, p=predict: [p(m, [t]) for t in one_at_a_time], max(1, runs // 2)
        )
        results[name] = {
            "accuracy": round(accuracy_score(y_test, predicted), 4),
            "macro_f1": round(f1_score(y_test, predicted, average="macro"), 4),
            "train_seconds": round(train_seconds, 2),
            "predictions_per_second_batch": round(len(x_test) / batch_seconds),
            "predictions_per_second_single": round(len(one_at_a_time) / single_seconds),
        }
    rule_seconds, _ = _median_time(lambda: [rule_predictions(t) for t in one_at_a_time], runs)
    results["rules-v1 (all five fields per call)"] = {
        "calls_per_second": round(len(one_at_a_time) / rule_seconds)
    }
    return results


def main() -> None:
    global DATASET
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-classifier", action="store_true")
    parser.add_argument("--dataset", type=Path, default=DATASET, help="CSV with cat,label,review columns")
    args = parser.parse_args()
    DATASET = args.dataset
    if not DATASET.is_file():
        parser.error(f"no such file: {DATASET}")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    report = {"runs": args.runs, "python": sys.version.split()[0], "checker": bench_checker(args.runs)}
    if not args.skip_classifier:
        report["classifier"] = bench_classifier(args.runs)

    c = report["checker"]
    print(
        f"checker: {c['rules']} rules, {c['texts']} texts / {c['megabytes']} MB: "
        f"{c['mb_per_second']} MB/s ({c['texts_per_second']} texts/s), build {c['build_seconds']} s"
    )
    for name in ("checker_cases.tsv", "checker_holdout.tsv"):
        s = c[name]
        print(
            f"  {name}: {s['sentences']} sentences ({s['positives']} with violations) "
            f"P={s['precision']} R={s['recall']} (tp {s['tp']}, fp {s['fp']}, fn {s['fn']})"
        )
    if "classifier" in report:
        print("\n| model | accuracy | macro-F1 | training s | pred/s (batch) | pred/s (one by one) |")
        print("|---|---|---|---|---|---|")
        for name, r in report["classifier"].items():
            if isinstance(r, dict) and "accuracy" in r:
                print(
                    f"| {name} | {r['accuracy']} | {r['macro_f1']} | {r['train_seconds']} | "
                    f"{r['predictions_per_second_batch']} | {r['predictions_per_second_single']} |"
                )
        print(
            f"rules-v1: {report['classifier']['rules-v1 (all five fields per call)']['calls_per_second']} calls/s"
        )
    out = ROOT / "var" / "bench_language.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
