"""Chinese full-text search (complaint subject and description, customer names). Pure Python
plus the SQL function it mirrors.

PostgreSQL's parsers do not segment Chinese, and a trigram index cannot serve the two-character
words people actually search for (漏水, 电梯, 噪音). So the text is indexed as **character
bigrams**: lower-cased, split at every character that is not a letter or digit, and each run cut
into overlapping pairs (``水管漏水了`` → 水管 管漏 漏水 水了). Any search term of two or more
characters is then the set of its own bigrams, all of which must be present — one GIN lookup per
bigram — and the candidate rows are re-checked with the exact substring condition, so the result
is exactly what ``icontains`` on subject or description would return, without reading every row.

The document is a stored generated column — ``complaints_complaint.search_doc`` =
``cd_search_doc(subject, description)`` and ``customers_customer.name_doc`` = ``cd_search_doc(name,
NULL)`` — computed by PostgreSQL on insert and update, so intake, imports, edits and bulk loads all
keep it current without application code, with a GIN index (migrations ``complaints 0010`` and
``customers 0002``). On SQLite (the embedded default) search stays a plain substring scan. The choice, against ``pg_trgm`` and a
jieba-segmented ``tsvector``, is measured in docs/BENCHMARKS.md ("Search").
"""

from __future__ import annotations

# The same tokenisation as the SQL function below, for the query side.


def words(text: str) -> list[str]:
    """Runs of letters and digits, lower-cased (as ``regexp_split_to_table(lower(t), '[^[:alnum:]]+')``)."""
    out, current = [], []
    for ch in text.lower():
        if ch.isalnum():
            current.append(ch)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out


def bigrams(text: str) -> set[str]:
    """The bigrams of every run of two or more characters (single characters are not indexed)."""
    grams = set()
    for word in words(text):
        grams.update(word[i : i + 2] for i in range(len(word) - 1))
    return grams


def phrase(word: str) -> str:
    """The bigrams of one run, each right after the previous one (``<->``)."""
    return " <-> ".join("'" + word[i : i + 2] + "'" for i in range(len(word) - 1))


def tsquery(term: str) -> tuple[str, bool] | None:
    """``(tsquery text, exact)`` for a search term, or ``None`` when no run of the term has two
    characters (a one-character search cannot use the index).

    A term that is one run of letters and digits (漏水, 水管漏水, wifi) becomes a phrase of its
    bigrams at consecutive positions — exactly "subject or description contains it": ``exact``
    is True and nothing else needs checking. A term with spaces or punctuation is the AND of its
    runs' phrases, a superset: ``exact`` is False and the caller re-checks the substring."""
    runs = words(term)
    usable = [w for w in runs if len(w) >= 2]
    if not usable:
        return None
    exact = len(runs) == 1 and runs[0] == term.lower()
    return " & ".join(f"({phrase(w)})" for w in usable), exact


# Installed by migrations complaints 0010 and customers 0002 (PostgreSQL only; CREATE OR REPLACE). IMMUTABLE: a stored generated column
# and its index may only use immutable functions; it depends on nothing but its arguments. Each
# bigram carries its position; runs are separated by a gap, so a phrase never spans two runs (nor
# subject and description).
FUNCTION_SQL = r"""
CREATE OR REPLACE FUNCTION cd_search_doc(subject text, description text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(string_agg(quote_literal(substr(r.w, i, 2)) || ':' || least(r.start + i, 16383), ' ')::tsvector,
                  ''::tsvector)
  FROM (SELECT w, sum(char_length(w) + 2) OVER (ORDER BY n) - char_length(w) AS start
        FROM regexp_split_to_table(lower(coalesce(subject, '') || ' ' || coalesce(description, '')), '[^[:alnum:]]+')
             WITH ORDINALITY AS t(w, n)) r,
       generate_series(1, char_length(r.w) - 1) AS i
  WHERE char_length(r.w) >= 2
$$
"""
