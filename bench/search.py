"""Benchmark: searching a large history — by number, phone, phone tail (尾号), customer name and
Chinese words — through the queue's search box, as a supervisor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/search.py --database complaintdesk_bench_gen [--terms 20] [--runs 3]

Uses a database filled by ``bench/generate.py`` (it does not create one). For each kind of search
it draws ``--terms`` different real values from the data (numbers, phones, names; fixed Chinese
words), then, for each, times the server side of what the search box fetches
(``GET /q/all/?q=…`` with ``HX-Request`` and ``HX-Target: results``: the search query, the capped
count, the first page rendered) through Django's test client. Each term is timed ``--runs`` times;
the figure per kind is the median and the 95th percentile over all of them. The whole page (the
same list inside the navigation with its queue counts) is timed once per term as well.

``--compare-ids-first`` times, instead, each search of number, phone, tail and name both with the
page read ids first (as the queue page does for a search) and in one query, interleaved.

``--compare`` also times, for the Chinese words, the page's two queries (first 25 rows, capped
count) without the page around them, once with the search as it is and once written as the plain
``icontains`` on subject and description (what the code did before the bigram index), interleaved
in the same run.

Target (issue 12 §4): p95 under 200 ms. Results: ``var/bench_search.json``; docs/BENCHMARKS.md
("## Search") quotes them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Two-character words must be found (漏水, 电梯); 门禁 is the word of the peer comparison (in no
# generated text); words in a few hundred complaints (燃气, 蟑螂); a three-character word and a phrase.
WORDS = ["漏水", "电梯", "门禁", "燃气", "蟑螂", "物业费", "噪音太大了"]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True, help="a database filled by bench/generate.py")
    parser.add_argument("--terms", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--compare", action="store_true", help="also time icontains for the words")
    parser.add_argument("--compare-ids-first", action="store_true",
                        help="also time each search with the page read in one query (ids first off)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    url = urlparse(os.environ.get("DATABASE_URL", ""))
    if url.scheme not in ("postgres", "postgresql"):
        sys.exit("DATABASE_URL must point at the PostgreSQL server that holds --database")
    os.environ["DATABASE_URL"] = urlunparse(url._replace(path=f"/{args.database}"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.django.local"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Q
    from django.test import Client
    from django.urls import reverse

    from complaintdesk.complaints import selectors
    from complaintdesk.customers.models import Customer
    from complaintdesk.org.models import User

    total = connection.cursor()
    total.execute("SELECT count(*) FROM complaints_complaint")
    size = total.fetchone()[0]

    def sample(sql: str) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(sql, [args.terms])
            return [row[0] for row in cursor.fetchall()]

    # TABLESAMPLE: random real values without reading the whole table.
    seed = int(args.seed)
    numbers = sample(f"SELECT number FROM complaints_complaint TABLESAMPLE SYSTEM (1) REPEATABLE ({seed}) "
                     "ORDER BY md5(number) LIMIT %s")
    phones = sample(f"SELECT contact_phone FROM complaints_complaint TABLESAMPLE SYSTEM (1) REPEATABLE ({seed}) "
                    "ORDER BY md5(number) LIMIT %s")
    names = sample(f"SELECT name FROM customers_customer TABLESAMPLE SYSTEM (5) REPEATABLE ({seed}) "
                   "ORDER BY md5(name) LIMIT %s")
    kinds = {
        "number (TS…)": numbers,
        "phone (11 digits)": phones,
        "phone tail (last 4)": [p[-4:] for p in phones],
        "customer name": names,
        **{f"text: {w}": [w] for w in WORDS},
    }
    user = User.objects.get(username="supervisor")
    client = Client()
    client.force_login(user)
    page = reverse("web:queue", args=["all"])

    def timed_page(term: str, full: bool = False) -> float:
        """The search box's request (htmx, ``HX-Target: results``: the list only); ``full``: the
        whole page as opened from a link (the navigation and its queue counts around the list)."""
        headers = {} if full else {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}
        started = time.perf_counter()
        response = client.get(page, {"q": term}, **headers)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200, (term, response.status_code)
        return elapsed * 1000

    def timed_query(**kwargs) -> float:
        """The page's two queries without the page: the first 25 rows and the capped count."""
        started = time.perf_counter()
        qs = selectors.complaint_list(user=user, **kwargs)
        list(qs[:25])
        qs.order_by()[:2001].count()
        return (time.perf_counter() - started) * 1000

    from django.core.paginator import Paginator

    from complaintdesk.web.views import queues

    ids_first_page = queues.CappedPaginator.page

    def one_query(on: bool) -> None:
        queues.CappedPaginator.page = ids_first_page if on else Paginator.page

    timed_page(numbers[0])  # warm: URL resolver, templates, the calendar cache
    results = {}
    if args.compare_ids_first:
        # Only this comparison (run it with another --seed than the main run, for cold terms):
        # each term timed both ways, the order alternating term by term so neither always warms
        # the other.
        extra = {kind: terms for kind, terms in kinds.items() if not kind.startswith("text: ")}
        for kind, terms in extra.items():
            on, off = [], []
            for i, term in enumerate(terms):
                for _ in range(args.runs):
                    for mode in ((True, False) if i % 2 else (False, True)):
                        one_query(mode)
                        (on if mode else off).append(timed_page(term))
            one_query(True)
            results[f"ids first: {kind}"] = {
                "ids_first_median_ms": round(statistics.median(on), 1), "ids_first_p95_ms": round(percentile(on, 95), 1),
                "one_query_median_ms": round(statistics.median(off), 1), "one_query_p95_ms": round(percentile(off, 95), 1),
            }
            r = results[f"ids first: {kind}"]
            print(f"{kind:24} ids first median {r['ids_first_median_ms']:7.1f} p95 {r['ids_first_p95_ms']:7.1f} ms | "
                  f"one query median {r['one_query_median_ms']:7.1f} p95 {r['one_query_p95_ms']:7.1f} ms", flush=True)
        kinds = {}
    for kind, terms in kinds.items():
        samples = [timed_page(term) for _ in range(args.runs) for term in terms]
        hits = selectors.complaint_list(user=user, search=terms[0]).order_by()[:2001].count()
        whole = [timed_page(term, full=True) for term in terms]
        results[kind] = {"median_ms": round(statistics.median(samples), 1), "p95_ms": round(percentile(samples, 95), 1),
                         "n": len(samples), "hits_first_term": hits,
                         "full_page_median_ms": round(statistics.median(whole), 1)}
        if args.compare and kind.startswith("text: "):
            term = terms[0]
            old, new = [], []
            for _ in range(args.runs):  # interleaved, so both see the same machine
                old.append(timed_query(extra=Q(subject__icontains=term) | Q(description__icontains=term)))
                new.append(timed_query(search=term))
            results[kind]["icontains_median_ms"] = round(statistics.median(old), 1)
            results[kind]["bigram_median_ms"] = round(statistics.median(new), 1)
        print(f"{kind:24} median {results[kind]['median_ms']:8.1f} ms  p95 {results[kind]['p95_ms']:8.1f} ms  "
              f"hits {hits:>5}  full page {results[kind]['full_page_median_ms']:7.1f} ms" + (f"  query: icontains {results[kind]['icontains_median_ms']:8.1f} ms"
                                    f" vs bigram {results[kind]['bigram_median_ms']:8.1f} ms"
                                    if "icontains_median_ms" in results[kind] else ""), flush=True)
    out = ROOT / "var" / ("bench_search_ids_first.json" if args.compare_ids_first else "bench_search.json")
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"complaints": size, "customers": Customer.objects.count(), "results": results},
                              ensure_ascii=False, indent=2))
    print(f"{size} complaints; written {out}")


if __name__ == "__main__":
    main()
