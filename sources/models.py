import functools
import operator
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import DEFERRED, F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

from partnerships import facts as fact_rules
from partnerships.dates import (
    PreciseDate,
    approximate_field,
    clean_date,
    date_columns,
    date_constraints,
    month_field,
    precision_field,
)
from partnerships.history.records import WikiHistory
from partnerships.links import slug_url
from partnerships.lists.indexes import SortIndex
from partnerships.numbers import format_number
from partnerships.translations import TRANSLATED, localized, page_language

from .furniture import stray_furniture
from .text import quote_in_text

# The columns a row of the sources list shows (templatetags/source_rows.py).
LISTED = [
    "title",
    "slug",
    "author",
    "kind",
    "publisher",
    "language",
    *date_columns("publication_date"),
]


class SourceQuerySet(models.QuerySet):
    def with_citation_count(self):
        """citation_count, counted for each source shown, not by grouping every citation."""
        from partnerships.models import CountOf

        return self.annotate(citation_count=CountOf(Citation, "source"))

    def for_list(self):
        # Not the full text, a whole document each, which the list read for nothing.
        return self.with_citation_count().order_by("title").only(*LISTED)

    def for_export(self):
        # Not with_entries(): the prefetch sets each citation's source already, and
        # joining it again would copy the source's full text into every citation.
        return (
            self.with_citation_count()
            .order_by("title")
            .prefetch_related(
                models.Prefetch(
                    "citations",
                    queryset=Citation.objects.select_related(*ENTRY_FIELDS).prefetch_related(
                        *_link_fact_names()
                    ),
                )
            )
        )


def _link_fact_names():
    """The prefetches that name what a citation's link facts name ("party:12"), for each
    chunk of an export: an agreement's parties, an exercise's participants, a person's
    positions, an engagement's partners and people, an indicator's values
    (partnerships.exports.LINKED reads them)."""
    from partnerships.models import (
        EngagementPartner,
        EngagementPerson,
        ExerciseParticipant,
        Partner,
        Position,
    )

    return [
        models.Prefetch("agreement__parties", queryset=Partner.objects.only("name")),
        models.Prefetch(
            "exercise__participations",
            queryset=ExerciseParticipant.objects.select_related("partner").only(
                "exercise", "partner__name"
            ),
        ),
        models.Prefetch("person__positions", queryset=Position.objects.named()),
        models.Prefetch(
            "engagement__partner_links",
            queryset=EngagementPartner.objects.select_related("partner").only(
                "engagement", "partner__name"
            ),
        ),
        models.Prefetch(
            "engagement__person_links",
            queryset=EngagementPerson.objects.select_related("person").only(
                "engagement", "person__name"
            ),
        ),
        "indicator__values",
    ]


class Source(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", gettext_lazy("News report")
        ANALYSIS = "analysis", gettext_lazy("Analysis")
        EXPLAINER = "explainer", gettext_lazy("Explainer")
        OFFICIAL = "official", gettext_lazy("Official document")

    class Language(models.TextChoices):
        ENGLISH = "en", gettext_lazy("English")
        ARABIC = "ar", gettext_lazy("Arabic")
        FRENCH = "fr", gettext_lazy("French")
        SPANISH = "es", gettext_lazy("Spanish")

    title = models.CharField(
        max_length=300,
        help_text=gettext_lazy("The title as the document shows it."),
        verbose_name=gettext_lazy("title"),
    )
    slug = models.SlugField(
        max_length=200,
        help_text=gettext_lazy("The page's address: /sources/this-slug/."),
        verbose_name=gettext_lazy("slug"),
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=gettext_lazy("kind"))
    publisher = models.CharField(
        max_length=200,
        blank=True,
        help_text=gettext_lazy("Only as the document names it; else leave empty."),
        verbose_name=gettext_lazy("publisher"),
    )
    author = models.CharField(
        max_length=200,
        blank=True,
        help_text=gettext_lazy("Only as the document names it; else leave empty."),
        verbose_name=gettext_lazy("author"),
    )
    url = models.URLField(gettext_lazy("URL"), max_length=500, blank=True)
    language = models.CharField(
        max_length=2,
        choices=Language.choices,
        default=Language.ENGLISH,
        help_text=gettext_lazy("The language of the text."),
        verbose_name=gettext_lazy("language"),
    )
    publication_date = models.DateField(
        null=True,
        blank=True,
        help_text=gettext_lazy("As the document dates itself; empty when it does not."),
        verbose_name=gettext_lazy("publication date"),
    )
    publication_date_precision = precision_field("publication date")
    publication_date_approximate = approximate_field("publication date")
    publication_date_month = month_field("publication date")
    full_text = models.TextField(
        help_text=gettext_lazy("The document's text, verbatim. Citations are checked against it."),
        verbose_name=gettext_lazy("full text"),
    )
    reliability_note = models.TextField(
        blank=True,
        help_text=gettext_lazy(
            "A reviewer's note on how far this document can be trusted, and why."
        ),
        verbose_name=gettext_lazy("reliability note"),
    )
    furniture = models.TextField(
        gettext_lazy("page furniture"),
        blank=True,
        help_text=gettext_lazy(
            "Lines of the text that belong to the web page it was copied from, not to the "
            "document: menus, share and subscribe prompts, comment counts, “you may also "
            "like”. One per line, each copied from the text as it stands (spacing and "
            "quote marks may differ). The source page shows them folded away; the text "
            "itself is not changed. Common ones (“0 comments”, “Discover more from …”, "
            "“Subscribe to get the latest posts …”, “See also …”) are recognised without "
            "being listed here."
        ),
    )

    history = WikiHistory()

    objects = SourceQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("source")
        verbose_name_plural = gettext_lazy("sources")
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="source_slug_unique"),
            *date_constraints("publication_date", "source"),
        ]
        indexes = [
            # The sources list filters by kind and language and sorts by title.
            models.Index(fields=["kind", "language"], name="source_kind_language_idx"),
            # The sources list's default order and its sorts, both ways (see
            # SortFilter for their order).
            models.Index(fields=["title", "id"], name="source_title_idx"),
            models.Index(fields=["kind", "id"], name="source_kind_idx"),
            models.Index(fields=["publisher", "id"], name="source_publisher_idx"),
            models.Index(fields=["publication_date", "id"], name="source_published_idx"),
            SortIndex(
                F("publication_date").desc(nulls_last=True),
                F("id").desc(),
                name="source_published_desc_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("sources:source-detail", self.slug)

    def clean(self):
        errors = {}
        clean_date(self, "publication_date", errors)
        strays = stray_furniture(self.furniture, self.full_text)
        if strays:
            listed = _listed(quoted(line[:80]) for line in strays[:5])
            errors["furniture"] = ngettext(
                "%(count)s of these line(s) are not lines of the text: %(listed)s. "
                "Copy each whole line from the text, one per line, or remove it.",
                "%(count)s of these line(s) are not lines of the text: %(listed)s. "
                "Copy each whole line from the text, one per line, or remove it.",
                len(strays),
            ) % {"count": format_number(len(strays)), "listed": listed}
        broken = self.citations_broken_by(self.full_text) if self.pk else []
        if broken:
            listed = _listed(
                _("“%(quote)s” (on %(entry)s)") % {"quote": c.quote[:60], "entry": c.entry}
                for c in broken[:5]
            )
            errors["full_text"] = ngettext(
                "This text no longer contains %(count)s quote(s) cited from it: %(listed)s. "
                "Correct those citations first, or keep the quoted sentences.",
                "This text no longer contains %(count)s quote(s) cited from it: %(listed)s. "
                "Correct those citations first, or keep the quoted sentences.",
                len(broken),
            ) % {"count": format_number(len(broken)), "listed": listed}
        if errors:
            raise ValidationError(errors)

    def citations_broken_by(self, text):
        """The citations of this source whose quote does not occur in `text`."""
        return [
            citation
            for citation in self.citations.of_source_with_entries()
            if not quote_in_text(citation.quote, text)
        ]

    @property
    def published(self):
        return PreciseDate.of(self, "publication_date")


def quoted(text):
    """ "“text”", as the page's language quotes."""
    return pgettext("quoted text", "“%(text)s”") % {"text": text}


def _listed(items):
    return pgettext("between clauses", "; ").join(items)


# Each citation belongs to exactly one entry of one of these types.
ENTRY_FIELDS = (
    "partner",
    "agreement",
    "exercise",
    "procurement",
    "person",
    "engagement",
    "indicator",
)
# The field that names each type of entry (its __str__), and the annotations in
# which CitationQuerySet.of_source_with_entries() reads an entry's name and slug.
ENTRY_LABELS = {
    "partner": "name",
    "agreement": "title",
    "exercise": "name",
    "procurement": "system",
    "person": "name",
    "engagement": "title",
    "indicator": "name",
}
NAMED_ENTRY = ("entry_label", "entry_slug")


class FootnoteNumber(Func):
    """A citation's footnote number on its entry's page, where an entry's citations are
    numbered in order of their ids: how many citations of the same entry have its id
    or a lower one. One correlated count on the entry key that is set, served by that
    key's index; spelled from the model's metadata, as CountOf is. The source page
    reads it with its citations, not in a second query over every citation of every
    entry cited."""

    output_field = models.IntegerField()

    def __init__(self):
        super().__init__(F("pk"), *(F(name) for name in ENTRY_FIELDS))

    def as_sql(self, compiler, connection, **extra_context):
        (row, row_params), *keys = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        quote = connection.ops.quote_name
        meta = Citation._meta
        alias = quote("numbered")
        table = f"{quote(meta.db_table)} {alias}"
        whens, params = [], []
        for name, (key, key_params) in zip(ENTRY_FIELDS, keys, strict=True):
            column = f"{alias}.{quote(meta.get_field(name).column)}"
            count = (
                f"(SELECT COUNT(*) FROM {table} WHERE {column} = {key} "
                f"AND {alias}.{quote(meta.pk.column)} <= {row})"
            )
            whens.append(f"WHEN {key} IS NOT NULL THEN {count}")
            params += [*key_params, *key_params, *row_params]
        return f"(CASE {' '.join(whens)} ELSE 0 END)", tuple(params)


def _entry_names():
    """{annotation: the subquery of each entry type that gives it}, in ENTRY_FIELDS' order."""
    named = {column: [] for column in NAMED_ENTRY}
    for name in ENTRY_FIELDS:
        model = Citation._meta.get_field(name).related_model
        entry = model.objects.filter(pk=OuterRef(name))
        for column, value in zip(NAMED_ENTRY, (ENTRY_LABELS[name], "slug"), strict=True):
            named[column].append(Subquery(entry.values(value)[:1]))
    return named


def _exactly_one_entry():
    """Exactly one of ENTRY_FIELDS is set."""
    return functools.reduce(
        operator.or_,
        (
            Q(**{f"{other}__isnull": other != name for other in ENTRY_FIELDS})
            for name in ENTRY_FIELDS
        ),
    )


class CitationQuerySet(models.QuerySet):
    def with_entries(self):
        return self.select_related("source", *ENTRY_FIELDS)

    def footnotes_of(self, field, entry):
        """The citations of the entry that `field` (one of ENTRY_FIELDS) names, each with
        its source but not the source's full text, which no footnote shows."""
        return self.filter(**{field: entry}).select_related("source").defer("source__full_text")

    def of_source_with_entries(self):
        """A source's own citations (`source.citations`) with their entries' names and
        addresses: the source is the one they are read through, not joined again
        with its full text for each of them (a 27,000-character text times 26
        citations cost 2.3 ms and 22 MB), and of each entry only what names and
        links it (`Citation.entry`).

        Each entry's name and slug are read by a subquery on its key rather than
        by joining the four entry tables: PostgreSQL weighed the joins' orders at
        every run (it kept no generic plan for a source as cited as the generated
        data's busiest), 1.9 ms of planning for a query that ran in 0.6 ms.
        """
        return self.only("quote", "note", "stance", "source", *ENTRY_FIELDS).annotate(
            **{column: Coalesce(*subqueries) for column, subqueries in _entry_names().items()}
        )

    def numbered(self):
        """With `number`, each citation's footnote number on its entry's page."""
        return self.annotate(number=FootnoteNumber())


# What a citation's facts must be, by its entry's type (the constraints' messages).
FACTS_MESSAGES = {
    "partner": gettext_lazy(
        "Name facts of the partner this quote states, as its form offers them."
    ),
    "agreement": gettext_lazy(
        "Name facts of the agreement this quote states, as its form offers them."
    ),
    "exercise": gettext_lazy(
        "Name facts of the exercise this quote states, as its form offers them."
    ),
    "procurement": gettext_lazy(
        "Name facts of the procurement this quote states, as its form offers them."
    ),
    "person": gettext_lazy("Name facts of the person this quote states, as its form offers them."),
    "engagement": gettext_lazy(
        "Name facts of the engagement this quote states, as its form offers them."
    ),
    "indicator": gettext_lazy(
        "Name facts of the indicator this quote states, as its form offers them."
    ),
}


class Citation(models.Model):
    class Stance(models.TextChoices):
        SUPPORTS = "supports", pgettext_lazy("a citation's stance", "Supports")
        DISPUTES = "disputes", pgettext_lazy("a citation's stance", "Disputes")

    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="citations",
        verbose_name=gettext_lazy("source"),
    )
    partner = models.ForeignKey(
        "partnerships.Partner",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=gettext_lazy("partner"),
    )
    agreement = models.ForeignKey(
        "partnerships.Agreement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=gettext_lazy("agreement"),
    )
    exercise = models.ForeignKey(
        "partnerships.Exercise",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=gettext_lazy("exercise"),
    )
    procurement = models.ForeignKey(
        "partnerships.Procurement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=gettext_lazy("procurement"),
    )
    person = models.ForeignKey(
        "partnerships.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=gettext_lazy("person"),
    )
    engagement = models.ForeignKey(
        "partnerships.Engagement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=gettext_lazy("engagement"),
    )
    indicator = models.ForeignKey(
        "partnerships.Indicator",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=gettext_lazy("indicator"),
    )
    quote = models.TextField(
        help_text=gettext_lazy(
            "The sentence from the source, copied verbatim. It is checked against the "
            "source's text; curly or straight quotes and line breaks do not matter."
        ),
        verbose_name=gettext_lazy("quote"),
    )
    facts = models.CharField(
        gettext_lazy("facts it states"),
        max_length=500,
        default=fact_rules.EXISTENCE,
        help_text=gettext_lazy(
            "The facts of the entry this quote states, and no others: each shows this "
            "citation's footnote beside it."
        ),
    )
    note = models.CharField(
        max_length=250,
        blank=True,
        help_text=gettext_lazy(
            "A short note for readers on what the quote says, e.g. “value of $500 million”."
        ),
        verbose_name=gettext_lazy("note"),
    )
    stance = models.CharField(
        max_length=8,
        choices=Stance.choices,
        default=Stance.SUPPORTS,
        help_text=gettext_lazy(
            "“Disputes” when the source contradicts the entry; readers see the dispute."
        ),
        verbose_name=gettext_lazy("stance"),
    )

    history = WikiHistory()

    objects = CitationQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("citation")
        verbose_name_plural = gettext_lazy("citations")
        # Footnotes are numbered in the order citations were added to an entry.
        ordering = ["pk"]
        # A source's citations in order, read along one index: its page marks the
        # first CITATIONS_MARKED of them (walking the primary key and skipping
        # other sources' citations read 4,500 rows for 100).
        indexes = [models.Index(fields=["source", "id"], name="citation_source_order_idx")]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one_entry(),
                name="citation_exactly_one_entry",
                violation_error_message=gettext_lazy(
                    "A citation belongs to exactly one partner, agreement, exercise, "
                    "procurement, person, engagement or indicator."
                ),
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True})
                    | Q(facts__regex=fact_rules.pattern(name)),
                    name=f"citation_{name}_facts_valid",
                    violation_error_message=FACTS_MESSAGES[name],
                )
                for name in ENTRY_FIELDS
            ),
            models.CheckConstraint(
                condition=~Q(quote=""),
                name="citation_quote_not_empty",
                violation_error_message=gettext_lazy(
                    "Paste the sentence from the source that supports this."
                ),
            ),
        ]

    def __str__(self):
        quote = self.quote if len(self.quote) <= 60 else self.quote[:57] + "…"
        return _("“%(quote)s” (%(source)s)") % {"quote": quote, "source": self.source}

    @property
    def entry(self):
        for name in ENTRY_FIELDS:
            field = self._meta.get_field(name)
            key = getattr(self, field.attname)
            if key is None:
                continue
            if not field.is_cached(self) and hasattr(self, NAMED_ENTRY[0]):
                field.set_cached_value(self, self._named_entry(name, field.related_model, key))
            return getattr(self, name)
        return None

    def _named_entry(self, name, model, key):
        """The entry as of_source_with_entries() named it: its key, name and slug, the
        rest of its fields deferred."""
        label, slug = (getattr(self, annotation) for annotation in NAMED_ENTRY)
        values = {"id": key, ENTRY_LABELS[name]: label, "slug": slug}
        columns = [f.attname for f in model._meta.concrete_fields]
        return model.from_db(self._state.db, columns, [values.get(c, DEFERRED) for c in columns])

    @property
    def entry_field(self):
        """The one of ENTRY_FIELDS this citation's entry is under, or None."""
        return next((name for name in ENTRY_FIELDS if getattr(self, f"{name}_id")), None)

    @property
    def fact_keys(self):
        return fact_rules.split(self.facts)

    def clean(self):
        # "Exactly one entry" is checked by its constraint in validate_constraints().
        errors = {}
        entry_field = self.entry_field
        if entry_field is not None:
            keys = self.fact_keys
            self.facts = fact_rules.joined(entry_field, keys)
            found = fact_rules.problems(entry_field, keys, self._linked_ids(entry_field, keys))
            if found:
                errors["facts"] = " ".join(found)
        quote_checkable = self.source_id is not None and self.quote.strip()
        if quote_checkable and not quote_in_text(self.quote, self.source.full_text):
            errors["quote"] = _(
                "This quote does not occur in “%(source)s”. Copy the sentence exactly "
                "as the source has it (quote marks, dashes and line breaks may differ)."
            ) % {"source": self.source}
        if errors:
            raise ValidationError(errors)

    def _linked_ids(self, entry_field, keys):
        """{prefix: the numbers the entry's links name}, read only for the links a key
        names; None when no key names one."""
        named = {found[0] for key in keys if (found := fact_rules.link_of(entry_field, key))}
        if not named:
            return None
        entry = getattr(self, entry_field)
        return {link.prefix: link.linked_ids(entry) for link in named}


# Besides its name's columns, what names a partner in French or Arabic: its country's
# name in that language (Partner.standard_text).
NAMED_BY = {"partner": ("country_code", "kind")}


def name_entries(citations):
    """Sets `entry_name` on each of `citations` (read by of_source_with_entries()): its
    entry's name in the page's language, a Localized text. An English page has it
    already; a French or Arabic one reads the translations in one more query for each
    type of entry cited, of the names alone."""
    language = page_language()
    wanted = defaultdict(set)
    if language in TRANSLATED:
        for citation in citations:
            if (field := citation.entry_field) is not None:
                wanted[field].add(getattr(citation, f"{field}_id"))
    found = {}
    for field, ids in wanted.items():
        model = Citation._meta.get_field(field).related_model
        label = ENTRY_LABELS[field]
        columns = (label, f"{label}_{language}", *NAMED_BY.get(field, ()))
        for entry in model.objects.filter(pk__in=ids).only(*columns).order_by():
            found[field, entry.pk] = entry.text_in(label, language)
    for citation in citations:
        field = citation.entry_field
        named = found.get((field, getattr(citation, f"{field}_id"))) if field else None
        citation.entry_name = named or localized(str(citation.entry or ""))
