"""Search across every type: /search/?q=

On PostgreSQL, full-text search: each type's searched fields, weighted, make
one tsvector document (`Searched.vector`) that is stored with the row, kept up
to date by a trigger and indexed with GIN (partnerships 0010, sources 0007).
One query per type matches the stored documents with websearch_to_tsquery,
keeps the PER_GROUP best by ts_rank, and cuts a ts_headline snippet for those
rows only. The group's total is counted up to COUNT_LIMIT and no further, so
that a common word never has every match counted (tests check with EXPLAIN
that each part uses its index).
Which types are searched, and how, each type's declaration in the registry says
(`search=Searched(...)`).

On SQLite, a simpler match: every word of the query must occur,
case-insensitively, in some searched field, and the snippet is cut in Python.
"""

import dataclasses
import functools
import operator
import re
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce

from django import forms
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.models import (
    Case,
    Expression,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import Col
from django.db.models.functions import NullIf
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .compiled import Compiled
from .history.registry import entry_types
from .links import pinned

CONFIG = "english"
MAX_QUERY_LENGTH = 200
PER_GROUP = 20
# Each group's matches are counted up to this many; past it the page says "more than".
COUNT_LIMIT = 1000
SNIPPET_WORDS = 30
EXAMPLES = ["NATO", "Israel", "drone", "African Lion"]


# -- what is searched ----------------------------------------------------------------


@dataclass(frozen=True)
class Searched:
    """How search reads one entry type; each type's declaration carries one (`search=`).

    `search_types()` gives each its entry type, which names the model, the
    group's key and its heading.
    """

    # (field, weight) pairs, the title field first: A for the name, B for other
    # names, C for summaries, D for a source's full text.
    weighted_fields: tuple[tuple[str, str], ...]
    # The long text the snippet is cut from; the title is shown anyway.
    snippet_fields: tuple[str, ...]
    # What the result line needs; everything else stays in the database.
    columns: tuple[str, ...]
    describe: Callable  # the result's line under its title
    # (attribute, "relation__field") pairs the line needs from related rows: each
    # read by a scalar subquery, which PostgreSQL runs for the shown rows only (a
    # join would be made for every match before the best are picked).
    looked_up: tuple[tuple[str, str], ...] = ()
    label: str = ""  # the group's heading, when not the type's title
    entry_type: object = None

    @property
    def key(self):
        return self.entry_type.path

    @property
    def model(self):
        return self.entry_type.model

    @property
    def heading(self):
        return self.label or self.entry_type.title

    @property
    def fields(self):
        return [field for field, _ in self.weighted_fields]

    @property
    def title_field(self):
        return self.weighted_fields[0][0]

    def lookups(self):
        """{attribute: the scalar subquery that reads it}, for `looked_up`."""
        found = {}
        for name, path in self.looked_up:
            relation, field = path.split(LOOKUP_SEP)
            related = self.model._meta.get_field(relation)
            rows = related.related_model.objects.filter(pk=OuterRef(related.attname))
            found[name] = Subquery(rows.order_by().values(field)[:1])
        return found

    @property
    def index_name(self):
        return f"{self.model._meta.model_name}_search_idx"

    def vector(self):
        """The tsvector the stored document holds (see StoredDocument).

        One SearchVector per field, concatenated as tsvectors. The trigger
        that keeps the document computes the same from fixed values
        (partnerships 0010, sources 0007; a test checks that the two agree): a
        change here needs a migration that makes the trigger again and
        rewrites the documents.
        """
        vectors = [
            SearchVector(field, config=CONFIG, weight=weight)
            for field, weight in self.weighted_fields
        ]
        return reduce(operator.add, vectors)


@functools.cache
def search_types():
    """The searched entry types, in the registry's order."""
    return [
        dataclasses.replace(entry_type.search, entry_type=entry_type)
        for entry_type in entry_types
        if entry_type.search
    ]


# -- the form --------------------------------------------------------------------------

CONTROL_CHARACTERS = (
    "Searches cannot contain control characters such as a null byte. "
    "Type the words you are looking for."
)


def _is_control(char):
    # Tabs and line breaks are whitespace, folded into spaces below.
    return unicodedata.category(char) == "Cc" and not char.isspace()


def reject_control_characters(value):
    # A null byte is left to Django's own validator (same message, set below)
    # so that it is reported once.
    if "\x00" not in value and any(_is_control(char) for char in value):
        raise forms.ValidationError(CONTROL_CHARACTERS, code="control_characters")


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Words to search for",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        validators=[reject_control_characters],
        error_messages={
            "max_length": (
                "A search can be at most %(limit_value)d characters long; this one has "
                "%(show_value)d. A few distinctive words work best."
            ),
            # PostgreSQL refuses a null byte in a query parameter: it never gets there.
            "null_characters_not_allowed": CONTROL_CHARACTERS,
        },
    )

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())


def _printable(value):
    """The submitted text as it may be shown back: HTML cannot carry control characters."""
    return "".join(char for char in value if not _is_control(char))


# -- results ---------------------------------------------------------------------------


@dataclass
class Result:
    title: str
    url: str
    line: str
    snippet: str


@dataclass
class Group:
    key: str
    label: str
    results: list
    total: int  # counted up to COUNT_LIMIT + 1: more than COUNT_LIMIT is all it says then

    @property
    def capped(self):
        return self.total > COUNT_LIMIT

    @property
    def counted(self):
        """As many matches as are known for certain."""
        return min(self.total, COUNT_LIMIT)

    @property
    def count_text(self):
        """The number of matches as the page says it: "25", or "more than 1,000"."""
        return f"more than {self.counted:,}" if self.capped else f"{self.counted:,}"

    @property
    def more(self):
        """How many matches are not shown (at least that many when capped)."""
        return self.counted - len(self.results)


def _snippet_text(kind):
    fields = kind.snippet_fields
    if len(fields) == 1:
        return F(fields[0])
    # Like " · ".join() of the non-empty fields: concat_ws skips NULLs.
    return Func(
        Value(" · "),
        *(NullIf(F(field), Value("")) for field in fields),
        function="CONCAT_WS",
        output_field=TextField(),
    )


def _result(kind, obj, snippet):
    return Result(
        title=getattr(obj, kind.title_field),
        url=obj.get_absolute_url(),
        line=kind.describe(obj),
        snippet=snippet,
    )


def capped_count(queryset):
    """The number of rows of `queryset`, counted up to COUNT_LIMIT + 1, as a subquery.

    `SELECT COUNT(*) FROM (SELECT … LIMIT n)` stops reading matches at the
    limit, where COUNT(*) OVER () would have every match read and kept.
    """
    limited = queryset.order_by().values("pk")[: COUNT_LIMIT + 1]
    return Func(
        Subquery(limited),
        template="(SELECT COUNT(*) FROM %(expressions)s AS capped)",
        output_field=IntegerField(),
    )


def _group(kind, rows, snippet):
    results = [_result(kind, obj, snippet(obj)) for obj in rows]
    total = rows[0].total if rows else 0
    return Group(kind.key, kind.heading, results, total)


# PostgreSQL marks matches with these private-use characters, never with HTML:
# the headline is escaped as text first, then each pair becomes <mark>…</mark>.
START, STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")


def headline_html(headline):
    html = _MARKED.sub(r"<mark>\1</mark>", escape(headline))
    return mark_safe(html.replace(START, "").replace(STOP, ""))  # escaped above


def _search_document_column():
    column = SearchVectorField()
    column.set_attributes_from_name("search_document")
    return column


class StoredDocument(Expression):
    """The row's stored search document: the `search_document` column.

    PostgreSQL only; a trigger keeps it equal to the type's `vector()`
    (partnerships 0010, sources 0007). Not a model field, so that no form,
    export, revision or other query reads or copies it: it is named here.
    """

    column = _search_document_column()
    output_field = column

    def resolve_expression(self, query=None, *args, **kwargs):
        # The column of the query's own table, under whatever alias a subquery gives it.
        return Col(query.get_initial_alias(), self.column)


class ParsedOnce(SearchQuery):
    """websearch_to_tsquery() as a scalar subquery, which PostgreSQL runs once per query.

    The site's statements are prepared (settings: server-side binding), and
    after five runs a prepared statement may take a generic plan, in which the
    query text is a parameter: a bare websearch_to_tsquery($1, $2) is then
    parsed again for every match ranked. For "drone" over 100,000 agreements
    that was 4,986 times and 8.5 ms against 4.9 ms; as an InitPlan it is parsed
    once whatever the plan (tests check it).
    """

    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = super().as_sql(compiler, connection, function, template)
        return f"(SELECT {sql})", params


def postgres_matches(kind, text):
    """One query: the best PER_GROUP matches of `kind`, each with the total and a headline.

    Every match is ranked by its stored document alone; PostgreSQL cuts the
    headline, a costly function, only for the rows left after the sort and the
    limit (a Result node above the Limit: tests check the plan). An inner query
    picking the best rows first did the same work and cost a second query to
    build and compile for each type.
    """
    query = ParsedOnce(text, config=CONFIG, search_type="websearch")
    matches = kind.model.objects.alias(document=StoredDocument()).filter(document=query)
    return (
        matches.annotate(
            rank=SearchRank(F("document"), query),
            headline=SearchHeadline(
                _snippet_text(kind),
                query,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=SNIPPET_WORDS,
                min_words=SNIPPET_WORDS // 2,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
            total=capped_count(matches),
            **kind.lookups(),
        )
        .only(*kind.columns)
        .order_by("-rank", kind.title_field, "pk")[:PER_GROUP]
    )


# MATCHES.all(key, PER_GROUP, COUNT_LIMIT, text=...): postgres_matches() of the
# type whose key is `key`, compiled once per process and limits (compiled.py):
# building and compiling its ranking, headline and count took 1.5 ms of Python
# per type, more than the search itself on the fixtures.
MATCHES = Compiled(
    lambda key, per_group, count_limit, text: postgres_matches(
        next(kind for kind in search_types() if kind.key == key), text
    ),
    text=str,
)


def _postgres_search(text):
    return [
        _group(
            kind,
            MATCHES.all(kind.key, PER_GROUP, COUNT_LIMIT, text=text),
            lambda obj: headline_html(obj.headline),
        )
        for kind in search_types()
    ]


# Quotes and punctuation around a word are not part of it ("NATO", (drone)).
_PUNCTUATION = string.punctuation + "“”‘’«»„…–—"


def query_terms(text):
    """The distinct words of the query, as the SQLite search matches them."""
    words = (word.strip(_PUNCTUATION) for word in text.split())
    distinct = {}
    for word in words:
        if word:
            distinct.setdefault(word.casefold(), word)
    return list(distinct.values())


def simple_matches(kind, terms):
    """One query: rows where every term occurs in some searched field, title hits first."""
    every_term = reduce(
        operator.and_,
        (
            reduce(operator.or_, (Q(**{f"{field}__icontains": term}) for field in kind.fields))
            for term in terms
        ),
    )
    title_hits = sum(
        (
            Case(When(**{f"{kind.title_field}__icontains": term}, then=1), default=0)
            for term in terms
        ),
        Value(0),
    )
    matches = kind.model.objects.filter(every_term)
    return (
        matches.annotate(title_hits=title_hits, total=capped_count(matches), **kind.lookups())
        .only(*kind.columns, *kind.snippet_fields)
        .order_by("-title_hits", *kind.model._meta.ordering)[:PER_GROUP]
    )


def highlight(text, terms):
    """`text` escaped, with every occurrence of a term wrapped in <mark>."""
    pattern = re.compile(
        "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)),
        re.IGNORECASE,
    )
    parts, last = [], 0
    for found in pattern.finditer(text):
        parts += [escape(text[last : found.start()]), f"<mark>{escape(found.group())}</mark>"]
        last = found.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # every part escaped


def snippet_around(text, terms, words=SNIPPET_WORDS):
    """About `words` words of `text` around the first match, matches marked."""
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    tokens = text.split()
    first = next((i for i, token in enumerate(tokens) if pattern.search(token)), 0)
    start = max(0, min(first - words // 3, len(tokens) - words))
    shown = " ".join(tokens[start : start + words])
    lead = "… " if start > 0 else ""
    tail = " …" if start + words < len(tokens) else ""
    return mark_safe(f"{lead}{highlight(shown, terms)}{tail}")  # highlight() escapes


def _simple_search(text):
    terms = query_terms(text)
    if not terms:
        return [Group(kind.key, kind.heading, [], 0) for kind in search_types()]

    def snippet(kind):
        def cut(obj):
            values = (getattr(obj, field) for field in kind.snippet_fields)
            return snippet_around(" · ".join(value for value in values if value), terms)

        return cut

    return [
        _group(kind, list(simple_matches(kind, terms)), snippet(kind)) for kind in search_types()
    ]


def find(text):
    """Every type's group of results for `text`: one query per type, none per row."""
    with pinned():  # the results' addresses
        if connection.vendor == "postgresql":
            return _postgres_search(text)
        return _simple_search(text)


# -- the page ------------------------------------------------------------------------


def search(request):
    form = SearchForm(request.GET)
    ctx = {"form": form, "examples": EXAMPLES, "max_length": MAX_QUERY_LENGTH}
    if not form.is_valid():
        ctx["value"] = _printable(request.GET.get("q", ""))
        return render(request, "partnerships/search.html", ctx, status=400)
    query = form.cleaned_data["q"]
    ctx["value"] = ctx["query"] = query
    if query:
        groups = find(query)
        ctx["groups"] = [group for group in groups if group.total]
        # At least this many: a capped group counts as COUNT_LIMIT.
        ctx["total"] = sum(group.counted for group in groups)
        ctx["total_text"] = f"{ctx['total']:,}"
        ctx["capped"] = any(group.capped for group in groups)
    return render(request, "partnerships/search.html", ctx)
