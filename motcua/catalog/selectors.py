"""Reads on the catalog: procedure search ranked by relevance, tolerant of typos and everyday words.

Citizens type without diacritics, with typos ("khia sinh") and in everyday words ("sang tên sổ đỏ" for a
land-use-right transfer). Each procedure has a folded `search_text` (name, code, field, authority and the
keywords an administrator gave it, see `Procedure.refresh_search_text`). A search

1. takes candidates from the database — on PostgreSQL those sharing enough trigrams with a query word, found
   through the GIN trigram index (pg_trgm's `<%` word-similarity operator); on SQLite every published procedure
   (an embedded catalog holds a few thousand at most), up to `CANDIDATE_LIMIT`;
2. scores each candidate in Python with the same measure on both databases: how well each query word matches a
   word of the procedure (exact, the beginning of a word, one typo away, or similar trigrams), how much of the
   name it covers, and a bonus when the whole query is the name, part of the name or one of the keywords.

So the ranking is the same on both databases; PostgreSQL's index only spares reading the whole table.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.db import connection
from django.db.models import BooleanField, Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from motcua.catalog.models import Procedure, split_keywords
from motcua.core.text import fold, fold_terms

CANDIDATE_LIMIT = 5000
RESULT_LIMIT = 200
# pg_trgm word similarity a query word must reach in a candidate's text. Exact words and words being typed score
# 0.75 or more; one typo in a word of four letters or more 0.4 or more, except swapping its first two letters
# ("hkai"), which only SQLite (scoring every procedure) forgives when it is the only word that matches.
TRIGRAM_THRESHOLD = 0.4
# Share of the query's words (weighted by how well they match) a procedure must match to be found at all.
MINIMUM_COVERAGE = 0.6


def _trigrams(word: str) -> frozenset[str]:
    """Trigrams as pg_trgm makes them: the word padded with two spaces before and one after."""
    padded = f"  {word} "
    return frozenset(padded[i:i + 3] for i in range(len(padded) - 2))


def _one_edit_apart(a: str, b: str) -> bool:
    """A and B differ by one insertion, deletion, substitution or swap of two neighbouring letters."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diffs) == 1 or (
            len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


@lru_cache(maxsize=65536)
def word_similarity(term: str, word: str) -> float:
    """How well a query TERM matches a WORD of a procedure, from 0 (not at all) to 1 (the same word).

    A word being typed (its first three letters or more) scores 0.9, a typo in a word of four letters or more
    0.75, and otherwise the share of common trigrams when it reaches one half. Terms shorter than three letters
    ("so", "do") must match exactly: too many words begin with them.
    """
    if term == word:
        return 1.0
    if len(term) >= 3 and word.startswith(term):
        return 0.9
    if len(term) >= 4 and len(word) >= 4 and _one_edit_apart(term, word):
        return 0.75
    if len(term) < 3:
        return 0.0
    a, b = _trigrams(term), _trigrams(word)
    share = len(a & b) / len(a | b)
    return share if share >= 0.5 else 0.0


@dataclass(frozen=True)
class _Candidate:
    pk: int
    sort_key: str
    name: str
    search_text: str
    keywords: str


def _best(term: str, words: set[str]) -> float:
    return max((word_similarity(term, word) for word in words), default=0.0)


def _contains_phrase(text: str, phrase: str) -> bool:
    return f" {phrase} " in f" {text} "


class _Query:
    """Folded query terms, and for each the words of the catalog it matches with their similarity."""

    def __init__(self, terms: list[str], candidates: list[_Candidate]) -> None:
        self.terms = terms
        vocabulary = {word for c in candidates for word in c.search_text.split()}
        self.matches = [
            {word: sim for word in vocabulary if (sim := word_similarity(term, word)) > 0} for term in terms
        ]

    def best(self, index: int, words: set[str]) -> float:
        matches = self.matches[index]
        return max((matches[word] for word in matches.keys() & words), default=0.0)


def relevance(query: _Query, candidate: _Candidate) -> float:
    """The score of CANDIDATE for the QUERY; 0 means it is not a match."""
    terms = query.terms
    text_words = set(candidate.search_text.split())
    coverage = sum(query.best(i, text_words) for i in range(len(terms))) / len(terms)
    if coverage < MINIMUM_COVERAGE:
        return 0.0
    name = fold(candidate.name)
    name_words = name.split()
    in_name = sum(query.best(i, set(name_words)) for i in range(len(terms))) / len(terms)
    score = coverage + 0.5 * in_name
    # Among equally good matches, the procedure whose name is mostly the query comes first.
    score += 0.2 * sum(1 for word in name_words if _best(word, set(terms)) >= 0.9) / max(len(name_words), 1)
    phrase = " ".join(terms)
    if name == phrase:
        score += 3.0
    elif _contains_phrase(name, phrase):
        score += 2.0
    elif any(_contains_phrase(fold(keyword), phrase) for keyword in split_keywords(candidate.keywords)):
        score += 1.5
    elif _contains_phrase(candidate.search_text, phrase):
        score += 0.5
    return score


def _candidates(queryset: QuerySet[Procedure], terms: list[str]) -> list[_Candidate]:
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Procedure._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
                           [str(TRIGRAM_THRESHOLD)])
        near = Q()
        for term in terms:
            # The terms are parameters; only the quoted table name is put into the SQL text.
            near |= Q(RawSQL(f"%s <%% {table}.search_text", [term], output_field=BooleanField()))  # noqa: S611
        queryset = queryset.filter(near)
    queryset = queryset.order_by("pk")
    rows = queryset.values_list("pk", "sort_key", "name", "search_text", "keywords")[:CANDIDATE_LIMIT]
    return [_Candidate(*row) for row in rows]


def ranked_procedure_ids(queryset: QuerySet[Procedure], query: str) -> list[int]:
    """Primary keys of the procedures of QUERYSET matching QUERY, most relevant first (at most RESULT_LIMIT)."""
    terms = fold_terms(query)
    if not terms:
        return []
    candidates = _candidates(queryset, list(dict.fromkeys(terms)))
    prepared = _Query(terms, candidates)
    scored = [(relevance(prepared, c), c) for c in candidates]
    ranked = sorted(((s, c) for s, c in scored if s > 0), key=lambda sc: (-sc[0], sc[1].sort_key, sc[1].pk))
    return [c.pk for _s, c in ranked[:RESULT_LIMIT]]


def search_procedures(queryset: QuerySet[Procedure], query: str) -> QuerySet[Procedure]:
    """QUERYSET narrowed to the procedures matching QUERY, ordered by relevance (see the module's docstring)."""
    ids = ranked_procedure_ids(queryset, query)
    if not ids:
        return queryset.none()
    rank = Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)), output_field=IntegerField())
    return queryset.filter(pk__in=ids).order_by(rank)
