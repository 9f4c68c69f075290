"""Search across every type: /search/?q=

On PostgreSQL, full-text search: each type's searched fields, weighted, make
one tsvector document (`Searched.vector`) that is stored with the row, kept up
to date by a trigger and indexed with GIN (partnerships 0010, sources 0007).
One query per type matches the stored documents with websearch_to_tsquery,
keeps the best by ts_rank (PER_GROUP of each type on the page of every type,
PER_PAGE on each page of one type's, ?type=), and cuts a ts_headline snippet
for those rows only. The group's total is counted up to COUNT_LIMIT and no further, so
that a common word never has every match counted; and no more matches are
ranked than can be read (`ranked_candidates`): the first COUNT_LIMIT found,
and every match in a name (tests check with EXPLAIN that each part uses
its index).
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
    CombinedSearchQuery,
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
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import Col
from django.db.models.functions import Coalesce, NullIf
from django.shortcuts import render
from django.utils.functional import lazy
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .compiled import Compiled
from .history.registry import entry_types
from .links import pinned
from .lists.page_query import capped_count as counted_up_to
from .lists.pages import url_with
from .numbers import format_number
from .translations import DEFAULT, TRANSLATED, page_language

CONFIG = "english"
# The text-search configuration of each language's fields; a French or Arabic page
# parses the query with its own and English (where most names are), and ORs them.
CONFIGS = {"en": "english", "fr": "french", "ar": "arabic"}
MAX_QUERY_LENGTH = 200
# The best of each type on the page of every type; each group links to its type's
# own pages (?type=), PER_PAGE results a page.
PER_GROUP = 5
PER_PAGE = 20
# Each group's matches are counted up to this many; past it the page says "more than".
# A type's pages go as deep: its best COUNT_LIMIT can be read, no further.
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
    # (attribute, "relation__field") pairs the line needs from related rows (the first
    # of the rows pointing at it, for a reverse relation such as a person's positions): each
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
    def translated_fields(self):
        return getattr(self.model, "TRANSLATED_FIELDS", ())

    @property
    def documented_fields(self):
        """(field, weight, configuration) of every field the stored document holds: the
        weighted fields in English, then each translated one's French and Arabic
        columns with the same weight (partnerships 0025)."""
        documented = [(field, weight, CONFIG) for field, weight in self.weighted_fields]
        for field, weight in self.weighted_fields:
            if field in self.translated_fields:
                documented += [(f"{field}_{code}", weight, CONFIGS[code]) for code in TRANSLATED]
        return documented

    @property
    def matched_fields(self):
        """Every field a word may be found in (SQLite's search): the translations too."""
        return [field for field, _weight, _config in self.documented_fields]

    @property
    def read_columns(self):
        """The result line's columns, with the title's translations (`Result.title`)."""
        if self.title_field not in self.translated_fields:
            return self.columns
        return (*self.columns, *(f"{self.title_field}_{code}" for code in TRANSLATED))

    def snippet_fields_in(self, language):
        """The snippet's fields on a page in `language`: a translated field's text in
        that language where given (see `_snippet_text`)."""
        return tuple(
            (field, f"{field}_{language}")
            if language in TRANSLATED and field in self.translated_fields
            else (field, None)
            for field in self.snippet_fields
        )

    @property
    def title_field(self):
        return self.weighted_fields[0][0]

    @property
    def name_fields(self):
        """The fields weighted A, the type's names: indexed apart (`NameDocument`)."""
        return [field for field, weight in self.weighted_fields if weight == "A"]

    @property
    def name_index_name(self):
        return f"{self.model._meta.model_name}_name_search_idx"

    def lookups(self):
        """{attribute: the scalar subquery that reads it}, for `looked_up`."""
        found = {}
        for name, path in self.looked_up:
            relation, field = path.split(LOOKUP_SEP)
            related = self.model._meta.get_field(relation)
            model = related.related_model
            if related.one_to_many:  # rows pointing at the entry: the first of them
                rows = model.objects.filter(**{related.field.name: OuterRef("pk")}).order_by("pk")
            else:
                rows = model.objects.filter(pk=OuterRef(related.attname)).order_by()
            found[name] = Subquery(rows.values(field)[:1])
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
            SearchVector(field, config=config, weight=weight)
            for field, weight, config in self.documented_fields
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


def search_type(key):
    """The searched type whose key (its list's path) is `key`."""
    return next(kind for kind in search_types() if kind.key == key)


# -- the form --------------------------------------------------------------------------

CONTROL_CHARACTERS = gettext_lazy(
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


def _no_such_type():
    names = [kind.key for kind in search_types()]
    return _("There is no such type of result: the types are %(types)s and %(last)s.") % {
        "types": ", ".join(names[:-1]),
        "last": names[-1],
    }


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Words to search for"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        validators=[reject_control_characters],
        error_messages={
            "max_length": gettext_lazy(
                "A search can be at most %(limit_value)d characters long; this one has "
                "%(show_value)d. A few distinctive words work best."
            ),
            # PostgreSQL refuses a null byte in a query parameter: it never gets there.
            "null_characters_not_allowed": CONTROL_CHARACTERS,
        },
    )

    # ?type=agreements: that type's results only, PER_PAGE a page (?page=).
    type = forms.ChoiceField(
        required=False,
        choices=lambda: [(kind.key, kind.heading) for kind in search_types()],
        error_messages={"invalid_choice": lazy(_no_such_type, str)()},
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        error_messages={
            "invalid": gettext_lazy("The page number must be a whole number, such as 2."),
            "min_value": gettext_lazy("The page number must be a whole number, such as 2."),
        },
    )

    def clean_q(self):
        return " ".join(self.cleaned_data["q"].split())

    def clean_type(self):
        key = self.cleaned_data["type"]
        return search_type(key) if key else None

    def clean_page(self):
        number = self.cleaned_data["page"]
        if number is not None and number > max_pages():
            raise forms.ValidationError(
                _(
                    "Only %(limit)s results of a type can be read, on %(pages)s pages, and "
                    "page %(number)s is further: add a word to narrow the search."
                )
                % {
                    "limit": format_number(COUNT_LIMIT),
                    "pages": format_number(max_pages()),
                    "number": format_number(number),
                },
                code="too_deep",
            )
        return number

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("page") and "type" in cleaned and not cleaned["type"]:
            self.add_error(
                "page",
                _(
                    "Pages are numbered within one type of results: choose a type, such as "
                    "type=agreements, or leave the page out."
                ),
            )
        return cleaned


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
    start: int = 0  # how many better matches precede the results (on a type's later pages)
    url: str = ""  # the type's own pages of results, from the page of every type
    # Whether every match is ranked however many there are: SQLite's search ranks
    # them all; PostgreSQL's the first COUNT_LIMIT found and those in a name.
    ranks_every_match: bool = True

    @property
    def capped(self):
        return self.total > COUNT_LIMIT

    @property
    def counted(self):
        """As many matches as are known for certain."""
        return min(self.total, COUNT_LIMIT)

    @property
    def counted_text(self):
        return format_number(self.counted)

    @property
    def count_text(self):
        """The number of matches as the page says it: "25", or "more than 1,000"."""
        if self.capped:
            return _("more than %(count)s") % {"count": format_number(self.counted)}
        return format_number(self.counted)

    @property
    def partly_ranked(self):
        """Whether more match than were ranked (`ranked_candidates`)."""
        return self.capped and not self.ranks_every_match

    @property
    def more(self):
        """How many matches are not shown (at least that many when capped)."""
        return self.counted - len(self.results)


def _snippet_text(kind, language):
    """The text a headline is cut from: the snippet fields, each in the page's
    language where a translation is given, else in English."""
    fields = [
        F(field) if translation is None else Coalesce(NullIf(F(translation), Value("")), F(field))
        for field, translation in kind.snippet_fields_in(language)
    ]
    if len(fields) == 1:
        return fields[0]
    # Like " · ".join() of the non-empty fields: concat_ws skips NULLs.
    return Func(
        Value(" · "),
        *(NullIf(field, Value("")) for field in fields),
        function="CONCAT_WS",
        output_field=TextField(),
    )


def _title(kind, obj):
    """The result's title in the page's language (a `Localized` string where the type
    is translated)."""
    if kind.title_field in kind.translated_fields:
        return obj.text_in(kind.title_field)
    return getattr(obj, kind.title_field)


def _result(kind, obj, snippet):
    return Result(
        title=_title(kind, obj),
        url=obj.get_absolute_url(),
        line=kind.describe(obj),
        snippet=snippet,
    )


def capped_count(queryset):
    """How many rows `queryset` has, counted up to COUNT_LIMIT + 1, as a subquery."""
    return counted_up_to(queryset, COUNT_LIMIT + 1)


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


class NameDocument(Func):
    """The tsvector of a type's names, as its name index holds it (partnerships 0016,
    sources 0009): `to_tsvector('english', COALESCE(name, '') || ' ' || …)`.

    Written with no parameter, where SearchVector sends the configuration and
    the empty text as parameters: the site's statements are prepared, and a
    generic plan compares the index's expression with the query's, in which a
    parameter is not the constant the index was made with.
    """

    output_field = SearchVectorField()
    arg_joiner = " || ' ' || "
    template = f"to_tsvector('{CONFIG}'::regconfig, %(expressions)s)"

    def __init__(self, *fields):
        super().__init__(
            *(Func(F(field), template="COALESCE(%(expressions)s, '')") for field in fields)
        )


class ParsedOnceInEither(CombinedSearchQuery):
    """Two parsings of the query ORed (a French or Arabic page's: its language's and
    English), as one scalar subquery for the reason ParsedOnce gives."""

    def as_sql(self, compiler, connection):
        sql, params = super().as_sql(compiler, connection)
        return f"(SELECT {sql})", params


def parsed_query(text, language):
    """The query as PostgreSQL matches it on a page in `language`."""
    config = CONFIGS.get(language, CONFIG)
    if config == CONFIG:
        return ParsedOnce(text, config=CONFIG, search_type="websearch")
    return ParsedOnceInEither(
        SearchQuery(text, config=config, search_type="websearch"),
        SearchQuery.BITOR,
        SearchQuery(text, config=CONFIG, search_type="websearch"),
        config,
    )


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


def ranked_candidates(kind, matches, query):
    """The matches that are ranked, each with its rank and title: the first COUNT_LIMIT
    found, in the index's order, and every match in a name (as many at most).

    Ranking reads each match's stored document: for "drone" over 100,000
    agreements, 4,986 documents in 3,346 pages of the table, 15 ms, where only
    20 are shown. A type's pages go no deeper than COUNT_LIMIT, and its count
    no further, so the ranking stops there too. Not every match beyond those
    is ranked; a match in a name, weighted above any other, always is, read
    through the names' own index (`NameDocument`). Where fewer match than
    that, every match is ranked, as before.
    """
    # A match in a name is a match of the whole document too ("drone -hermes" is
    # not matched by a name without "hermes" where the summary has it): the
    # document is checked on the few rows the names' index finds, and not
    # through its own index, whose every match PostgreSQL read to intersect the
    # two (0.8 ms for "drone" over 100,000 agreements, where 1 name matched).
    named = (
        kind.model.objects.alias(
            named=NameDocument(*kind.name_fields),
            document=Func(
                StoredDocument(),
                template="(%(expressions)s || ''::tsvector)",
                output_field=SearchVectorField(),
            ),
        )
        .filter(named=query)
        .filter(document=query)
    )
    return (
        rows.order_by().values(
            candidate=F("pk"),
            candidate_rank=SearchRank(F("document"), query),
            candidate_title=F(kind.title_field),
        )[:COUNT_LIMIT]
        for rows in (matches, named)
    )


def best_of(kind, matches, query, start, stop):
    """The keys of the candidates ranked `start` to `stop`, as a subquery."""
    found, named = ranked_candidates(kind, matches, query)
    return Func(
        Subquery(found.union(named)),
        template=(
            "(SELECT best.candidate FROM %(expressions)s AS best ORDER BY "
            "best.candidate_rank DESC, best.candidate_title ASC, best.candidate ASC "
            f"LIMIT {int(stop) - int(start)} OFFSET {int(start)})"
        ),
        output_field=kind.model._meta.pk,
    )


def postgres_matches(kind, text, start=0, stop=PER_GROUP, language=DEFAULT):
    """One query: the matches of `kind` ranked `start` to `stop` (the best PER_GROUP by
    default), each with the total and a headline.

    The candidates (`ranked_candidates`) are ranked by their stored document
    alone, and the keys of those placed `start` to `stop` picked by a subquery;
    only those rows are read again, ranked and cut a headline, a costly
    function (tests check the plan). An OFFSET above the headline would have
    had one cut for every row it skipped, 1,000 on a type's last page.
    """
    query = parsed_query(text, language)
    matches = kind.model.objects.alias(document=StoredDocument()).filter(document=query)
    shown = kind.model.objects.alias(document=StoredDocument()).filter(
        pk__in=best_of(kind, matches, query, start, stop)
    )
    return (
        shown.annotate(
            rank=SearchRank(F("document"), query),
            headline=SearchHeadline(
                _snippet_text(kind, language),
                query,
                config=CONFIGS.get(language, CONFIG),
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
        .only(*kind.read_columns)
        .order_by("-rank", kind.title_field, "pk")
    )


# MATCHES.all(key, start, stop, COUNT_LIMIT, text=...): postgres_matches() of
# the type whose key is `key`, compiled once per process, rows and limit
# (compiled.py): building and compiling its ranking, headline and count took
# 1.5 ms of Python per type, more than the search itself on the fixtures.
MATCHES = Compiled(
    lambda key, start, stop, count_limit, language, text: postgres_matches(
        search_type(key), text, start, stop, language
    ),
    text=str,
)


def _postgres_rows(kind, text, start, stop):
    rows = MATCHES.all(kind.key, start, stop, COUNT_LIMIT, page_language(), text=text)
    return rows, lambda obj: headline_html(obj.headline)


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


def simple_matches(kind, terms, start=0, stop=PER_GROUP):
    """One query: rows where every term occurs in some searched field, title hits first;
    those placed `start` to `stop` (the first PER_GROUP by default)."""
    every_term = reduce(
        operator.and_,
        (
            reduce(
                operator.or_,
                (Q(**{f"{field}__icontains": term}) for field in kind.matched_fields),
            )
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
        .only(
            *kind.read_columns,
            *(
                field
                for pair in kind.snippet_fields_in(page_language())
                for field in pair
                if field
            ),
        )
        .order_by("-title_hits", *kind.model._meta.ordering)[start:stop]
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


def _simple_rows(kind, text, start, stop):
    terms = query_terms(text)
    if not terms:
        return [], None

    def cut(obj):
        values = (
            (translation and getattr(obj, translation)) or getattr(obj, field)
            for field, translation in kind.snippet_fields_in(page_language())
        )
        return snippet_around(" · ".join(value for value in values if value), terms)

    return list(simple_matches(kind, terms, start, stop)), cut


def _matches(kind, text, start, stop):
    """(rows, snippet): the matches of `kind` placed `start` to `stop`, and how each
    row's snippet is cut."""
    if connection.vendor == "postgresql":
        return _postgres_rows(kind, text, start, stop)
    return _simple_rows(kind, text, start, stop)


def _group(kind, text, start, stop):
    rows, snippet = _matches(kind, text, start, stop)
    results = [_result(kind, obj, snippet(obj)) for obj in rows]
    total = rows[0].total if rows else 0
    ranks_every_match = connection.vendor != "postgresql"
    return Group(
        kind.key, kind.heading, results, total, start, ranks_every_match=ranks_every_match
    )


def find(text):
    """Every type's group of its PER_GROUP best results for `text`: one query per type,
    none per row."""
    with pinned():  # the results' addresses
        return [_group(kind, text, 0, PER_GROUP) for kind in search_types()]


def max_pages():
    """How many pages of one type's results can be opened: its best COUNT_LIMIT."""
    return -(-COUNT_LIMIT // PER_PAGE)


def find_page(kind, text, number):
    """The results of `kind` for `text` on its page `number` (PER_PAGE a page), as a
    Group; one query, and one more when the page is past the last one, to count
    them for the message."""
    start = (number - 1) * PER_PAGE
    with pinned():
        group = _group(kind, text, start, min(start + PER_PAGE, COUNT_LIMIT))
        if not group.results and number > 1:
            group.total = _group(kind, text, 0, 1).total
        return group


# -- the page ------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultsPage:
    """Page `number` of one type's results, as partials/pagination.html reads a page."""

    number: int
    num_pages: int
    capped = False  # every page that can be opened is counted

    @property
    def paginator(self):
        return self

    @property
    def has_other_pages(self):
        return self.num_pages > 1


def _type_page(request, ctx, kind, query, number):
    """The context of page `number` of `kind`'s results, and its status."""
    group = find_page(kind, query, number)
    page = ResultsPage(number, max(1, -(-group.counted // PER_PAGE)))
    ctx.update(
        group=group,
        page=page,
        page_urls={
            "previous": url_with(request, page=number - 1 if number > 2 else None)
            if number > 1
            else "",
            "next": url_with(request, page=number + 1) if number < page.num_pages else "",
        },
        every_type_url=url_with(request, type=None, page=None),
        problem_link=(url_with(request, page=None), _("Go to the first page")),
    )
    if number > page.num_pages:
        values = {
            "number": format_number(number),
            "found": group.count_text,
            "pages": format_number(page.num_pages),
        }
        if group.total:
            problem = ngettext(
                "There is no page %(number)s of these results: the %(found)s found fill "
                "%(pages)s page.",
                "There is no page %(number)s of these results: the %(found)s found fill "
                "%(pages)s pages.",
                page.num_pages,
            )
        else:
            problem = ngettext(
                "There is no page %(number)s of these results: nothing matches, on "
                "%(pages)s page.",
                "There is no page %(number)s of these results: nothing matches, on "
                "%(pages)s pages.",
                page.num_pages,
            )
        ctx["problems"] = [problem % values]
        return 400
    return 200


def search(request):
    form = SearchForm(request.GET)
    ctx = {"form": form, "examples": EXAMPLES, "max_length": MAX_QUERY_LENGTH}
    if not form.is_valid():
        ctx["value"] = _printable(request.GET.get("q", ""))
        ctx["problems"] = [
            error for name in ("type", "page") for error in form.errors.get(name, ())
        ]
        if form.cleaned_data.get("type"):
            ctx["problem_link"] = (url_with(request, page=None), _("Go to the first page"))
        else:
            ctx["problem_link"] = (url_with(request, type=None, page=None), _("Search every type"))
        return render(request, "partnerships/search.html", ctx, status=400)
    query = form.cleaned_data["q"]
    kind = form.cleaned_data["type"]
    ctx["value"] = ctx["query"] = query
    ctx["kind"] = kind
    status = 200
    if query and kind:
        status = _type_page(request, ctx, kind, query, form.cleaned_data["page"] or 1)
    elif query:
        groups = find(query)
        ctx["groups"] = [group for group in groups if group.total]
        for group in ctx["groups"]:
            group.url = url_with(request, type=group.key)
        # At least this many: a capped group counts as COUNT_LIMIT.
        ctx["total"] = sum(group.counted for group in groups)
        ctx["total_text"] = format_number(ctx["total"])
        ctx["capped"] = any(group.capped for group in groups)
    return render(request, "partnerships/search.html", ctx, status=status)
