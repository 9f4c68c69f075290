import functools
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from multiselectfield import MultiSelectField

from .dates import (
    END_BEFORE_START,
    PreciseDate,
    approximate_field,
    check_order,
    clean_date,
    date_columns,
    date_constraints,
    month_field,
    order_constraint,
    precision_field,
    year_not_stated_index,
)
from .history.models import Change, ReviewMark  # noqa: F401  (models of this app)
from .history.records import WikiHistory
from .links import slug_url
from .lists.attached import AttachesRows
from .lists.indexes import SortIndex
from .numbers import format_number
from .translations import country_codes, country_names, translated


class Currency(models.TextChoices):
    USD = "USD", gettext_lazy("US dollar")
    EUR = "EUR", gettext_lazy("Euro")
    MAD = "MAD", gettext_lazy("Moroccan dirham")
    GBP = "GBP", gettext_lazy("Pound sterling")
    ILS = "ILS", gettext_lazy("Israeli new shekel")


# Every summary's help text: how a sentence is footnoted (partnerships/footnotes.py).
SUMMARY_MARKERS = gettext_lazy(
    "Cite every claim below, and end each sentence with the number of the citation "
    "that states it in brackets, e.g. “[1]” for the first citation listed."
)


def summary_help(what):
    """A summary's help text: `what` it says (a translated sentence), then how it is
    footnoted."""
    return format_lazy("{} {}", what, SUMMARY_MARKERS)


@functools.cache
def _labels(choices):
    return dict(choices.choices)


def choice_label(choices, value):
    """The label of `value` among `choices` (a TextChoices class), or the value itself if
    it is not one: what get_FOO_display() says, without the dict of the field's
    choices that it makes at every call (a search page made 120 of them). A str in
    the page's language, as get_FOO_display() gives it, not a lazy label."""
    return str(_labels(choices).get(value, value))


def value_fields():
    amount = models.DecimalField(
        gettext_lazy("value"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "The value the source states, in the currency below. Empty when unknown."
        ),
    )
    currency = models.CharField(
        gettext_lazy("currency"),
        max_length=3,
        choices=Currency.choices,
        blank=True,
        help_text=gettext_lazy("Currency of the value. Give it exactly when a value is given."),
    )
    return amount, currency


def value_constraints(table):
    return [
        models.CheckConstraint(
            condition=Q(value_amount__isnull=True) | Q(value_amount__gte=0),
            name=f"{table}_value_not_negative",
            violation_error_message=gettext_lazy("A value cannot be negative."),
        ),
        models.CheckConstraint(
            condition=(
                Q(value_amount__isnull=True, value_currency="")
                | (Q(value_amount__isnull=False) & ~Q(value_currency=""))
            ),
            name=f"{table}_currency_iff_value",
            violation_error_message=gettext_lazy(
                "Give a value together with its currency, or neither."
            ),
        ),
    ]


def clean_value(instance, errors):
    amount, currency = instance.value_amount, instance.value_currency
    if amount is not None and amount < 0:
        errors["value_amount"] = _("A value cannot be negative.")
    elif amount is not None and not currency:
        errors["value_currency"] = _("Say which currency the value is in.")
    elif amount is None and currency:
        errors["value_amount"] = _("Give the value, or clear the currency.")


def format_value(amount, currency):
    """ "1,200 USD", "1,200.50 USD" (as the page's language groups digits): a whole
    amount without cents, any other with two figures of them."""
    if amount is None:
        return _("unknown")
    amount = Decimal(amount).quantize(Decimal("0.01"))
    number = format_number(amount)  # trailing zeros dropped: "1,200.5"
    if amount != amount.to_integral_value() and amount.normalize().as_tuple().exponent == -1:
        number += "0"  # the cents' last figure, which always ends the number
    return f"{number} {currency}"


# Footnotes: each entry's citations with their sources, two queries for any number.
def citations():
    """An entry's citations, each with its source but not the source's full text, which
    no footnote shows: one query, not one for the citations and one for the sources."""
    from django.apps import apps

    citation = apps.get_model("sources", "Citation")
    return models.Prefetch(
        "citations",
        queryset=citation.objects.select_related("source").defer("source__full_text"),
    )


class CountOf(Func):
    """How many rows of `model` point at the row through any of `foreign_keys`: a
    correlated COUNT(*), 0 when none, that an index-only scan of each key serves.

    A subquery per count, not Count() over joins: counting three relations through
    joins would multiply the rows before they are counted. Its SQL is spelled from
    the model's metadata rather than built as Subquery(queryset): building and
    compiling that inner query took 0.5 ms of Python at every use, more than the
    database took to count (a partner with its three counts: 2.1 ms, now 0.6 ms).
    """

    output_field = models.IntegerField()

    def __init__(self, model, *foreign_keys):
        if not foreign_keys:
            raise ValueError("CountOf needs at least one foreign key to count along.")
        self.model = model
        self.columns = [model._meta.get_field(name).column for name in foreign_keys]
        super().__init__(F("pk"))

    def as_sql(self, compiler, connection, **extra_context):
        row, params = compiler.compile(self.get_source_expressions()[0])
        quote = connection.ops.quote_name
        alias = quote("counted")
        matches = " OR ".join(f"{alias}.{quote(column)} = {row}" for column in self.columns)
        sql = f"(SELECT COUNT(*) FROM {quote(self.model._meta.db_table)} {alias} WHERE {matches})"
        return sql, tuple(params) * len(self.columns)


# A row per partner with links: its agreements, exercises and equipment deals,
# kept by triggers on the link tables, on PostgreSQL only (partnerships 0014).
TALLY_TABLE = "partnerships_partner_tally"


class TalliedCount(CountOf):
    """A partner's count of one kind of link (`tally`, a column of TALLY_TABLE): read
    from the tally on PostgreSQL, where counting at each request took 18 ms for a
    page of partners sorted by agreements at the generated sizes (every partner's
    links were read to sort them); counted as CountOf counts elsewhere. The two
    agree: tests/test_partner_tally.py."""

    def __init__(self, tally, model, *foreign_keys):
        super().__init__(model, *foreign_keys)
        self.tally = tally

    def as_postgresql(self, compiler, connection, **extra_context):
        row, params = compiler.compile(self.get_source_expressions()[0])
        quote = connection.ops.quote_name
        sql = (
            f"COALESCE((SELECT {quote(self.tally)} FROM {quote(TALLY_TABLE)} "
            f"WHERE partner_id = {row}), 0)"
        )
        return sql, params


class PartnerQuerySet(models.QuerySet):
    # A partner's page reads the partner and each of these with a query of its
    # own, compiled once (partnerships/page_queries.py).
    def for_detail(self):
        # Counted here, not tallied: only the partner's own page shows these two.
        return (
            self.select_related("parent")
            .with_counts()
            .annotate(
                engagement_count=CountOf(EngagementPartner, "partner"),
                people_count=Coalesce(
                    models.Subquery(
                        Position.objects.filter(partner=OuterRef("pk"))
                        .order_by()
                        .values("partner")
                        .annotate(people=models.Count("person", distinct=True))
                        .values("people")
                    ),
                    0,
                ),
            )
        )

    def latest_engagement_links(self, partner, count):
        """The `count` latest engagements `partner` took part in, newest first, as links
        with the partner's role; each engagement with what its timeline event says."""
        return (
            EngagementPartner.objects.filter(partner=partner)
            .select_related("engagement")
            .only(
                "role",
                "engagement__title",
                "engagement__slug",
                "engagement__kind",
                "engagement__place",
                "engagement__hedge",
                *(f"engagement__{c}" for c in date_columns("date", "end_date")),
            )
            .order_by(F("engagement__date").desc(nulls_last=True), "engagement__title", "pk")[
                :count
            ]
        )

    def positions_in(self, partner, count):
        """The first `count` positions held in `partner`, by the holder's name, with their
        holders."""
        return (
            Position.objects.filter(partner=partner)
            .select_related("person")
            .only(
                "title",
                "partner",
                "person__name",
                "person__slug",
                *date_columns("start_date", "end_date"),
            )
            .order_by("person__name", "person", F("start_date").desc(nulls_last=True), "pk")[
                :count
            ]
        )

    def companies_of(self, partner):
        return self.filter(parent=partner).only("name", "slug", "parent")

    def latest_agreement_links(self, partner, count):
        """The `count` latest agreements `partner` is a party to, newest first, as links."""
        return (
            AgreementParty.objects.filter(partner=partner)
            .select_related("agreement")
            .order_by(F("agreement__date").desc(nulls_last=True), "agreement__title", "pk")[:count]
        )

    def latest_participations(self, partner, count):
        return (
            ExerciseParticipant.objects.filter(partner=partner)
            .select_related("exercise")
            .order_by(F("exercise__start_date").desc(nulls_last=True), "exercise__name", "pk")[
                :count
            ]
        )

    def latest_equipment(self, partner, count):
        # Whether `partner` supplied or built each is read from the keys: no join.
        return Procurement.objects.filter(Q(supplier=partner) | Q(manufacturer=partner)).order_by(
            F("order_date").desc(nulls_last=True), "system", "pk"
        )[:count]

    def with_counts(self):
        """Each partner with agreement_count, exercise_count and equipment_count."""
        return self.annotate(
            agreement_count=TalliedCount("agreements", AgreementParty, "partner"),
            exercise_count=TalliedCount("exercises", ExerciseParticipant, "partner"),
            equipment_count=TalliedCount("equipment", Procurement, "supplier", "manufacturer"),
        )

    def for_list(self):
        # What a list's row shows (LISTED), and no summary: a page reads no more.
        return self.with_counts().only(*LISTED["partner"])

    def for_export(self):
        return self.select_related("parent").with_counts().prefetch_related(citations())


# An agreement whose start is not its conclusion (the same date, precision and
# hedge): the timeline shows its start as an event of its own.
TAKES_EFFECT_LATER = Q(date__isnull=True) | ~Q(
    start_date=F("date"),
    start_date_precision=F("date_precision"),
    start_date_approximate=F("date_approximate"),
)


@dataclass(frozen=True)
class LinkedPartner:
    """A partner as a list's row names it: its name and its page, and its role where the
    link has one."""

    name: str
    slug: str
    role: str = ""

    def get_absolute_url(self):
        return slug_url("partnerships:partner-detail", self.slug)


# The columns a list's rows show (partnerships/templatetags/list_rows.py), which
# is all a list page reads of its entries: not their summaries, nor a partner's
# parent, which every page read for nothing. tests/test_lists.py checks that a
# page reads no summary, and that its queries do not grow with its rows, as they
# would if a row read a field left out here.
LISTED = {
    "partner": ["name", "slug", "short_name", "kind"],
    "agreement": [
        "title",
        "slug",
        "kind",
        "status",
        "value_amount",
        "value_currency",
        *date_columns("date"),
    ],
    "exercise": ["name", "slug", "location", "domains", *date_columns("start_date", "end_date")],
    "procurement": [
        "system",
        "slug",
        "category",
        "quantity",
        "status",
        "value_amount",
        "value_currency",
        *date_columns("order_date"),
        "supplier__name",
        "supplier__slug",
        "manufacturer__name",
        "manufacturer__slug",
    ],
    "person": ["name", "slug"],
    "engagement": [
        "title",
        "slug",
        "kind",
        "place",
        "hedge",
        *date_columns("date", "end_date"),
    ],
    "indicator": [
        "name",
        "slug",
        "subject",
        "measure",
        "unit",
        "currency",
        "partner__name",
        "partner__slug",
    ],
}


class WithLinkedPartners(AttachesRows):
    """A list's queryset that, when read, reads the partners each of its rows names in
    one more query, as plain values (`linked_partners` on each row: LinkedPartners,
    in the link model's order)."""

    def linking(self, link_model, key, *columns):
        return self.attaching(link_model, key, columns, (), "linked_partners", LinkedPartner)


class AgreementQuerySet(WithLinkedPartners):
    # An agreement's page reads its parties and its equipment with queries of
    # their own, compiled once (partnerships/page_queries.py).
    def parties_of(self, agreement):
        return Partner.objects.filter(agreement_links__agreement=agreement).only("name", "slug")

    def procurements_of(self, agreement):
        return Procurement.objects.filter(agreement=agreement).only("system", "slug", "agreement")

    def _in_list_order(self):
        # Newest first, undated last on every database (PostgreSQL sorts NULL first).
        return self.order_by(F("date").desc(nulls_last=True), "title")

    def for_list(self):
        # The parties as agreement.parties.all() orders them: by name.
        return (
            self._in_list_order()
            .only(*LISTED["agreement"])
            .linking(AgreementParty, "agreement", "partner__name", "partner__slug")
        )

    def for_export(self):
        return self._in_list_order().prefetch_related(
            models.Prefetch("parties", queryset=Partner.objects.only("name", "slug")),
            citations(),
        )


class ExerciseQuerySet(WithLinkedPartners):
    def participations_of(self, exercise):
        return ExerciseParticipant.objects.filter(exercise=exercise).select_related("partner")

    def _in_list_order(self):
        return self.order_by(F("start_date").desc(nulls_last=True), "name")

    def for_list(self):
        # The participants as exercise.participations.all() orders them: by name.
        return (
            self._in_list_order()
            .only(*LISTED["exercise"])
            .linking(ExerciseParticipant, "exercise", "partner__name", "partner__slug", "role")
        )

    def for_export(self):
        participants = ExerciseParticipant.objects.select_related("partner").only(
            "exercise", "role", "partner__name", "partner__slug"
        )
        return self._in_list_order().prefetch_related(
            models.Prefetch("participations", queryset=participants), citations()
        )


class ProcurementQuerySet(models.QuerySet):
    def for_detail(self):
        return self.select_related("supplier", "manufacturer", "agreement")

    def _in_list_order(self):
        return self.order_by(F("order_date").desc(nulls_last=True), "system")

    def for_list(self):
        return (
            self._in_list_order()
            .select_related("supplier", "manufacturer")
            .only(*LISTED["procurement"])
        )

    def for_export(self):
        return (
            self._in_list_order()
            .select_related("supplier", "manufacturer", "agreement")
            .prefetch_related(citations())
        )


class Partner(
    translated("Partner", name=("char", 200), aliases="text", summary="text"), models.Model
):
    class Kind(models.TextChoices):
        COUNTRY = "country", gettext_lazy("Country")
        ORGANIZATION = "organization", gettext_lazy("International organization or alliance")
        COMPANY = "company", gettext_lazy("Defense company")

    class Membership(models.TextChoices):
        MEMBER = "member", pgettext_lazy("Morocco's membership", "Member")
        PARTNER = "partner", pgettext_lazy("Morocco's membership", "Partner, not a member")

    name = models.CharField(
        max_length=200,
        help_text=gettext_lazy("The name readers know, e.g. “Spain”."),
        verbose_name=gettext_lazy("name"),
    )
    slug = models.SlugField(
        max_length=200,
        help_text=gettext_lazy(
            "The partner page's address: /partners/this-slug/. Lowercase letters, digits, hyphens."
        ),
        verbose_name=gettext_lazy("slug"),
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, verbose_name=gettext_lazy("kind"))
    country_code = models.CharField(
        gettext_lazy("ISO country code"),
        max_length=2,
        blank=True,
        help_text=gettext_lazy(
            "For a country: its two-letter ISO 3166-1 code, e.g. “ES” for Spain. French "
            "and Arabic pages then name it as the Unicode CLDR does, unless a name in "
            "that language is given below."
        ),
    )
    short_name = models.CharField(
        max_length=50,
        blank=True,
        help_text=gettext_lazy("An abbreviation the sources use, e.g. “NATO”, “IAI”."),
        verbose_name=gettext_lazy("short name"),
    )
    aliases = models.TextField(
        blank=True,
        help_text=gettext_lazy(
            "Other names the sources use, one per line; search matches them too."
        ),
        verbose_name=gettext_lazy("aliases"),
    )
    summary = models.TextField(
        blank=True,
        help_text=summary_help(gettext_lazy("What the sources say of this partnership.")),
        verbose_name=gettext_lazy("summary"),
    )
    membership = models.CharField(
        gettext_lazy("Morocco's membership"),
        max_length=7,
        choices=Membership.choices,
        blank=True,
        help_text=gettext_lazy(
            "For an organization or alliance: whether Morocco is a member, as a source "
            "states it. Empty when no source says; a source that says otherwise is cited "
            "as disputing it."
        ),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="companies",
        limit_choices_to={"kind": Kind.COUNTRY},
        help_text=gettext_lazy("For a company: its home country, when a source gives it."),
        verbose_name=gettext_lazy("parent"),
    )

    history = WikiHistory()

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("partner")
        verbose_name_plural = gettext_lazy("partners")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="partner_slug_unique"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(kind="company"),
                name="partner_parent_only_for_companies",
                violation_error_message=gettext_lazy("Only a company has a home country."),
            ),
            models.CheckConstraint(
                condition=Q(country_code="") | Q(kind="country"),
                name="partner_country_code_only_for_countries",
                violation_error_message=gettext_lazy("Only a country has an ISO country code."),
            ),
            models.UniqueConstraint(
                fields=["country_code"],
                condition=~Q(country_code=""),
                name="partner_country_code_unique",
                violation_error_message=gettext_lazy("Another partner has this ISO country code."),
            ),
            models.CheckConstraint(
                condition=Q(membership="") | Q(kind="organization"),
                name="partner_membership_only_for_organizations",
                violation_error_message=gettext_lazy(
                    "Only an organization or alliance has members."
                ),
            ),
        ]
        indexes = [
            # The partner list filters by kind and sorts by name.
            models.Index(fields=["kind", "name"], name="partner_kind_name_idx"),
            # The partner list's default order (Meta.ordering), its name sort
            # and the equipment list's supplier sort.
            models.Index(fields=["name", "id"], name="partner_name_idx"),
            # The partner list's kind sort (see SortFilter for every sort's order).
            models.Index(fields=["kind", "id"], name="partner_kind_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("partnerships:partner-detail", self.slug)

    def clean(self):
        errors = {}
        if self.parent_id is not None and self.kind != self.Kind.COMPANY:
            errors["parent"] = _("Only a company has a home country; clear this field.")
        elif self.parent_id is not None and self.parent_id == self.pk:
            errors["parent"] = _("A partner cannot be its own home country.")
        if self.membership and self.kind != self.Kind.ORGANIZATION:
            errors["membership"] = _(
                "Only an organization or alliance has members; clear Morocco's membership."
            )
        self._clean_country_code(errors)
        if self.pk is not None:
            self._clean_kind_change(errors)
        if errors:
            raise ValidationError(errors)

    def _clean_country_code(self, errors):
        self.country_code = self.country_code.strip().upper()
        if not self.country_code:
            return
        if self.kind != self.Kind.COUNTRY:
            errors["country_code"] = _("Only a country has an ISO country code; clear this field.")
        elif self.country_code not in country_codes():
            errors["country_code"] = _(
                "“%(code)s” is not an ISO 3166-1 country code; give two letters, "
                "e.g. “ES” for Spain."
            ) % {"code": self.country_code}

    def standard_text(self, field, language):
        """A country's name in `language`, as the Unicode CLDR gives it."""
        if field == "name" and self.country_code and self.kind == self.Kind.COUNTRY:
            return country_names(language).get(self.country_code, "")
        return ""

    def _clean_kind_change(self, errors):
        # Other rows rely on this partner's kind: companies name a country as
        # home, procurements a country as supplier and a company as maker.
        uses = []
        if self.kind != self.Kind.COUNTRY:
            if self.companies.exists():
                uses.append(_("it is the home country of companies"))
            if self.supplied.exists():
                uses.append(_("procurements name it as supplying country"))
        if self.kind != self.Kind.COMPANY and self.manufactured.exists():
            uses.append(_("procurements name it as manufacturer"))
        if uses:
            errors["kind"] = _(
                "This kind does not fit how the partner is used: %(uses)s. "
                "Change those entries first."
            ) % {"uses": pgettext("between clauses", "; ").join(uses)}

    @property
    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class Agreement(translated("Agreement", title=("char", 250), summary="text"), models.Model):
    class Kind(models.TextChoices):
        TREATY = "treaty", gettext_lazy("Treaty")
        MEMORANDUM = "memorandum", gettext_lazy("Memorandum of understanding")
        COOPERATION = "cooperation", gettext_lazy("Cooperation agreement")
        CONTRACT = "contract", gettext_lazy("Contract")
        ACTION_PLAN = "action_plan", gettext_lazy("Action plan")
        FRAMEWORK = "framework", gettext_lazy("Partnership framework")
        DESIGNATION = "designation", gettext_lazy("Status designation")

    class Status(models.TextChoices):
        REPORTED = "reported", pgettext_lazy("agreement status", "Reported")
        ANNOUNCED = "announced", pgettext_lazy("agreement status", "Announced")
        SIGNED = "signed", pgettext_lazy("agreement status", "Signed")
        IN_FORCE = "in_force", pgettext_lazy("agreement status", "In force")
        EXPIRED = "expired", pgettext_lazy("agreement status", "Expired")
        SUSPENDED = "suspended", pgettext_lazy("agreement status", "Suspended")

    title = models.CharField(max_length=250, verbose_name=gettext_lazy("title"))
    slug = models.SlugField(
        max_length=250,
        help_text=gettext_lazy("The page's address: /agreements/this-slug/."),
        verbose_name=gettext_lazy("slug"),
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, verbose_name=gettext_lazy("kind"))
    parties = models.ManyToManyField(
        Partner,
        through="AgreementParty",
        related_name="agreements",
        help_text=gettext_lazy("The partners Morocco concluded it with."),
        verbose_name=gettext_lazy("parties"),
    )
    date = models.DateField(
        null=True,
        blank=True,
        help_text=gettext_lazy("When it was concluded or granted, as the source dates it."),
        verbose_name=gettext_lazy("date"),
    )
    date_precision = precision_field("date")
    date_approximate = approximate_field("date")
    date_month = month_field("date")
    start_date = models.DateField(
        null=True,
        blank=True,
        help_text=gettext_lazy("When it took effect."),
        verbose_name=gettext_lazy("start date"),
    )
    start_date_precision = precision_field("start date")
    start_date_approximate = approximate_field("start date")
    start_date_month = month_field("start date")
    end_date = models.DateField(
        null=True,
        blank=True,
        help_text=gettext_lazy("When it ends or ended."),
        verbose_name=gettext_lazy("end date"),
    )
    end_date_precision = precision_field("end date")
    end_date_approximate = approximate_field("end date")
    end_date_month = month_field("end date")
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.REPORTED,
        help_text=gettext_lazy(
            "The furthest stage a source attests; “reported” when it says no more."
        ),
        verbose_name=gettext_lazy("status"),
    )
    value_amount, value_currency = value_fields()
    summary = models.TextField(
        blank=True,
        help_text=summary_help(gettext_lazy("What it covers.")),
        verbose_name=gettext_lazy("summary"),
    )

    history = WikiHistory()

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("agreement")
        verbose_name_plural = gettext_lazy("agreements")
        # Undated last, as the list shows them (AgreementQuerySet.for_list).
        ordering = [F("date").desc(nulls_last=True), "title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="agreement_slug_unique"),
            *date_constraints("date", "agreement"),
            *date_constraints("start_date", "agreement"),
            *date_constraints("end_date", "agreement"),
            order_constraint("start_date", "end_date", "agreement", END_BEFORE_START),
            *value_constraints("agreement"),
        ]
        indexes = [
            # The agreement list's default order (Meta.ordering).
            SortIndex(
                F("date").desc(nulls_last=True), F("title"), F("id"), name="agreement_list_idx"
            ),
            # The agreement list's sorts, both ways (see SortFilter for their
            # order); the date's also serves the year-range filter.
            models.Index(fields=["date", "id"], name="agreement_date_idx"),
            # The timeline reads each date column in order, either way (timeline.py).
            # Only the agreements whose start is an event of its own (timeline.SOURCES):
            # most take effect the day they are concluded, and a full index made the
            # timeline walk all of them to find the few that do not.
            models.Index(
                fields=["start_date", "id"],
                name="agreement_start_idx",
                condition=Q(start_date__isnull=False) & TAKES_EFFECT_LATER,
            ),
            models.Index(fields=["end_date", "id"], name="agreement_end_idx"),
            SortIndex(
                F("date").desc(nulls_last=True), F("id").desc(), name="agreement_date_desc_idx"
            ),
            models.Index(fields=["title", "id"], name="agreement_title_idx"),
            models.Index(fields=["kind", "id"], name="agreement_kind_idx"),
            models.Index(fields=["status", "id"], name="agreement_status_idx"),
            # A status's agreements newest first (?status=…&sort=-date): read along
            # agreement_date_desc_idx, the busiest partner's in-force agreements
            # passed over 966 others to find 201 in force (2.3 ms; 0.5 ms so).
            SortIndex(
                F("status"),
                F("date").desc(nulls_last=True),
                F("id").desc(),
                name="agreement_status_date_idx",
            ),
            models.Index(fields=["value_amount", "id"], name="agreement_value_idx"),
            SortIndex(
                F("value_amount").desc(nulls_last=True),
                F("id").desc(),
                name="agreement_value_desc_idx",
            ),
            # The agreement list's kind and status filters.
            models.Index(fields=["kind", "status"], name="agreement_kind_status_idx"),
            year_not_stated_index("agreement", "date", "start_date", "end_date"),
            # Every column the list's filters test but the text, in id order: counting
            # a partner's matches merges its links (agreementparty_partner_idx, in
            # agreement order) with this index alone. Without it PostgreSQL hashed all
            # of the partner's links first: at 100,000 agreements, the busiest
            # partner's 10,000 links, to count 276 (2.1 ms; 0.5 ms so).
            models.Index(
                fields=["id", "date", "kind", "status", "value_amount"],
                name="agreement_filter_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("partnerships:agreement-detail", self.slug)

    def clean(self):
        errors = {}
        for prefix in ("date", "start_date", "end_date"):
            clean_date(self, prefix, errors)
        check_order(self, "start_date", "end_date", END_BEFORE_START, errors)
        clean_value(self, errors)
        if errors:
            raise ValidationError(errors)

    @property
    def concluded(self):
        return PreciseDate.of(self, "date")

    @property
    def starts(self):
        return PreciseDate.of(self, "start_date")

    @property
    def ends(self):
        return PreciseDate.of(self, "end_date")

    @property
    def value_display(self):
        return format_value(self.value_amount, self.value_currency)


class AgreementParty(models.Model):
    # No index of either key alone: each leads an index of both (the unique
    # constraint's, agreementparty_partner_idx), which answers "is this partner a
    # party to this agreement" from the index alone; with an index of the
    # agreement alone at hand, PostgreSQL read each link's row to see its partner
    # (a partner's in-force agreements, newest first: 201 rows read, 1.1 ms more).
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="party_links",
        db_index=False,
        verbose_name=gettext_lazy("agreement"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="agreement_links",
        db_index=False,
        verbose_name=gettext_lazy("partner"),
    )

    history = WikiHistory()

    class Meta:
        ordering = ["agreement", "partner__name"]
        verbose_name = gettext_lazy("agreement party")
        verbose_name_plural = gettext_lazy("agreement parties")
        # A partner's agreements read from the index alone, for the lists' partner
        # filter and its count (10,000 links of the busiest partner: 3 ms from the
        # table, 0.6 ms from this index).
        indexes = [
            models.Index(fields=["partner", "agreement"], name="agreementparty_partner_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "partner"],
                name="agreement_party_unique",
                violation_error_message=gettext_lazy(
                    "This partner is already a party to the agreement."
                ),
            ),
        ]

    def __str__(self):
        return _("%(partner)s — party to %(agreement)s") % {
            "partner": self.partner,
            "agreement": self.agreement,
        }


class Exercise(translated("Exercise", name=("char", 200), summary="text"), models.Model):
    class Domain(models.TextChoices):
        LAND = "land", pgettext_lazy("exercise domain", "Land")
        SEA = "sea", pgettext_lazy("exercise domain", "Sea")
        AIR = "air", pgettext_lazy("exercise domain", "Air")
        JOINT = "joint", pgettext_lazy("exercise domain", "Joint")
        SPECIAL_OPERATIONS = (
            "special_operations",
            pgettext_lazy("exercise domain", "Special operations"),
        )
        CYBER = "cyber", pgettext_lazy("exercise domain", "Cyber")

    name = models.CharField(
        max_length=200,
        help_text=gettext_lazy("The edition's name, e.g. “African Lion 2024”."),
        verbose_name=gettext_lazy("name"),
    )
    slug = models.SlugField(
        max_length=200,
        help_text=gettext_lazy("The page's address: /exercises/this-slug/."),
        verbose_name=gettext_lazy("slug"),
    )
    series = models.CharField(
        max_length=200,
        blank=True,
        help_text=gettext_lazy("The recurring series, e.g. “African Lion”."),
        verbose_name=gettext_lazy("series"),
    )
    start_date = models.DateField(null=True, blank=True, verbose_name=gettext_lazy("start date"))
    start_date_precision = precision_field("start date")
    start_date_approximate = approximate_field("start date")
    start_date_month = month_field("start date")
    end_date = models.DateField(null=True, blank=True, verbose_name=gettext_lazy("end date"))
    end_date_precision = precision_field("end date")
    end_date_approximate = approximate_field("end date")
    end_date_month = month_field("end date")
    location = models.CharField(
        max_length=250,
        blank=True,
        help_text=gettext_lazy("Where it was held, in the source's words."),
        verbose_name=gettext_lazy("location"),
    )
    domains = MultiSelectField(
        choices=Domain.choices,
        max_length=60,
        blank=True,
        help_text=gettext_lazy("Only the domains a source names or plainly describes."),
        verbose_name=gettext_lazy("domains"),
    )
    participants = models.ManyToManyField(
        Partner,
        through="ExerciseParticipant",
        related_name="exercises",
        verbose_name=gettext_lazy("participants"),
    )
    summary = models.TextField(
        blank=True,
        help_text=summary_help(gettext_lazy("What happened.")),
        verbose_name=gettext_lazy("summary"),
    )

    history = WikiHistory()

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("exercise")
        verbose_name_plural = gettext_lazy("exercises")
        # Undated last, as the list shows them (ExerciseQuerySet.for_list).
        ordering = [F("start_date").desc(nulls_last=True), "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="exercise_slug_unique"),
            *date_constraints("start_date", "exercise"),
            *date_constraints("end_date", "exercise"),
            order_constraint("start_date", "end_date", "exercise", END_BEFORE_START),
        ]
        indexes = [
            # The exercise list's default order (Meta.ordering).
            SortIndex(
                F("start_date").desc(nulls_last=True), F("name"), F("id"), name="exercise_list_idx"
            ),
            # The exercise list's sorts, both ways (see SortFilter for their
            # order); the start's also serves the year-range filter and the timeline.
            models.Index(fields=["start_date", "id"], name="exercise_start_idx"),
            SortIndex(
                F("start_date").desc(nulls_last=True),
                F("id").desc(),
                name="exercise_start_desc_idx",
            ),
            models.Index(fields=["name", "id"], name="exercise_name_idx"),
            models.Index(fields=["location", "id"], name="exercise_location_idx"),
            # The columns the list's filters test but the text, in id order, for
            # counting a partner's matches (as agreement_filter_idx): with the
            # busiest partner's 2,300 participations and a domain, 2.8 → 1.4 ms, where
            # PostgreSQL read a third of the table to find 276.
            models.Index(fields=["id", "start_date", "domains"], name="exercise_filter_idx"),
            year_not_stated_index("exercise", "start_date", "end_date"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("partnerships:exercise-detail", self.slug)

    def clean(self):
        errors = {}
        for prefix in ("start_date", "end_date"):
            clean_date(self, prefix, errors)
        check_order(self, "start_date", "end_date", END_BEFORE_START, errors)
        if errors:
            raise ValidationError(errors)

    @property
    def starts(self):
        return PreciseDate.of(self, "start_date")

    @property
    def ends(self):
        return PreciseDate.of(self, "end_date")


class ExerciseParticipant(models.Model):
    class Role(models.TextChoices):
        HOST = "host", pgettext_lazy("exercise role", "Host")
        ORGANIZER = "organizer", pgettext_lazy("exercise role", "Organizer")
        PARTICIPANT = "participant", pgettext_lazy("exercise role", "Participant")
        OBSERVER = "observer", pgettext_lazy("exercise role", "Observer")
        # Named in the exercise by a source that does not say in what capacity.
        UNSTATED = "unstated", pgettext_lazy("exercise role", "Role not stated")

    # Indexed by the two indexes of both keys, as AgreementParty's.
    exercise = models.ForeignKey(
        Exercise,
        on_delete=models.CASCADE,
        related_name="participations",
        db_index=False,
        verbose_name=gettext_lazy("exercise"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="participations",
        db_index=False,
        verbose_name=gettext_lazy("partner"),
    )
    role = models.CharField(
        max_length=11,
        choices=Role.choices,
        default=Role.PARTICIPANT,
        verbose_name=gettext_lazy("role"),
    )

    history = WikiHistory()

    class Meta:
        verbose_name = gettext_lazy("exercise participant")
        verbose_name_plural = gettext_lazy("exercise participants")
        ordering = ["exercise", "partner__name"]
        # A partner's exercises read from the index alone (see AgreementParty).
        indexes = [
            models.Index(fields=["partner", "exercise"], name="participant_partner_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "partner"],
                name="exercise_participant_unique",
                violation_error_message=gettext_lazy(
                    "This partner is already listed for the exercise."
                ),
            ),
        ]

    def __str__(self):
        return _("%(partner)s — %(role)s in %(exercise)s") % {
            "partner": self.partner,
            "role": self.get_role_display().lower(),
            "exercise": self.exercise,
        }


DELIVERY_BEFORE_ORDER = gettext_lazy("Delivery cannot come before the order.")


class Procurement(translated("Procurement", system=("char", 200), summary="text"), models.Model):
    class Category(models.TextChoices):
        AIR_DEFENSE = "air_defense", gettext_lazy("Air defense")
        COMBAT_AIRCRAFT = "combat_aircraft", gettext_lazy("Combat aircraft")
        UAV = "uav", gettext_lazy("Unmanned aerial vehicle")
        NAVAL_VESSEL = "naval_vessel", gettext_lazy("Naval vessel")
        ARMORED_VEHICLE = "armored_vehicle", gettext_lazy("Armored vehicle")
        COMMUNICATIONS = "communications", gettext_lazy("Communications")
        SMALL_ARMS = "small_arms", gettext_lazy("Small arms")
        OTHER = "other", pgettext_lazy("equipment category", "Other")

    class Status(models.TextChoices):
        REPORTED = "reported", pgettext_lazy("equipment status", "Reported")
        ORDERED = "ordered", pgettext_lazy("equipment status", "Ordered")
        DELIVERED = "delivered", pgettext_lazy("equipment status", "Delivered")
        IN_SERVICE = "in_service", pgettext_lazy("equipment status", "In service")
        CANCELLED = "cancelled", pgettext_lazy("equipment status", "Cancelled")

    system = models.CharField(
        max_length=200,
        help_text=gettext_lazy("The designation as the source gives it, e.g. “Barak MX”."),
        verbose_name=gettext_lazy("system"),
    )
    slug = models.SlugField(
        max_length=200,
        help_text=gettext_lazy("The page's address: /equipment/this-slug/."),
        verbose_name=gettext_lazy("slug"),
    )
    category = models.CharField(
        max_length=15, choices=Category.choices, verbose_name=gettext_lazy("category")
    )
    supplier = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="supplied",
        limit_choices_to={"kind": Partner.Kind.COUNTRY},
        help_text=gettext_lazy("The supplying country."),
        verbose_name=gettext_lazy("supplier"),
    )
    manufacturer = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="manufactured",
        limit_choices_to={"kind": Partner.Kind.COMPANY},
        help_text=gettext_lazy("The company that builds it, when a source names it."),
        verbose_name=gettext_lazy("manufacturer"),
    )
    agreement = models.ForeignKey(
        Agreement,
        # Not SET_NULL: that would rewrite procurements without a revision.
        # An editor unlinks them first, with a summary, then deletes.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="procurements",
        help_text=gettext_lazy("The agreement it was bought under, when a source links the two."),
        verbose_name=gettext_lazy("agreement"),
    )
    quantity = models.IntegerField(
        null=True,
        blank=True,
        help_text=gettext_lazy("Units, as the source counts them. Empty means unknown."),
        verbose_name=gettext_lazy("quantity"),
    )
    order_date = models.DateField(null=True, blank=True, verbose_name=gettext_lazy("order date"))
    order_date_precision = precision_field("order date")
    order_date_approximate = approximate_field("order date")
    order_date_month = month_field("order date")
    delivery_date = models.DateField(
        null=True, blank=True, verbose_name=gettext_lazy("delivery date")
    )
    delivery_date_precision = precision_field("delivery date")
    delivery_date_approximate = approximate_field("delivery date")
    delivery_date_month = month_field("delivery date")
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.REPORTED,
        help_text=gettext_lazy(
            "The furthest stage a source attests; “reported” when it says no more."
        ),
        verbose_name=gettext_lazy("status"),
    )
    value_amount, value_currency = value_fields()
    summary = models.TextField(
        blank=True,
        help_text=summary_help(gettext_lazy("What the sources say.")),
        verbose_name=gettext_lazy("summary"),
    )

    history = WikiHistory()

    objects = ProcurementQuerySet.as_manager()

    class Meta:
        verbose_name_plural = gettext_lazy("equipment procurements")
        # Undated last, as the list shows them (ProcurementQuerySet.for_list).
        ordering = [F("order_date").desc(nulls_last=True), "system", "pk"]
        verbose_name = gettext_lazy("equipment procurement")
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="procurement_slug_unique"),
            *date_constraints("order_date", "procurement"),
            *date_constraints("delivery_date", "procurement"),
            order_constraint("order_date", "delivery_date", "procurement", DELIVERY_BEFORE_ORDER),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0),
                name="procurement_quantity_not_negative",
                violation_error_message=gettext_lazy("A quantity cannot be negative."),
            ),
            *value_constraints("procurement"),
        ]
        indexes = [
            # The equipment list's category and status filters.
            models.Index(fields=["category", "status"], name="procurement_cat_status_idx"),
            year_not_stated_index("procurement", "order_date", "delivery_date"),
            # The equipment list's default order (Meta.ordering).
            SortIndex(
                F("order_date").desc(nulls_last=True),
                F("system"),
                F("id"),
                name="procurement_list_idx",
            ),
            # The equipment list's sorts, both ways (see SortFilter for their
            # order); the order date's also serves the year-range filter and the
            # timeline. The supplier sort reads partner_name_idx.
            models.Index(fields=["order_date", "id"], name="procurement_order_idx"),
            # The timeline's delivered events (timeline.py).
            models.Index(fields=["delivery_date", "id"], name="procurement_delivery_idx"),
            SortIndex(
                F("order_date").desc(nulls_last=True),
                F("id").desc(),
                name="procurement_order_desc_idx",
            ),
            models.Index(fields=["system", "id"], name="procurement_system_idx"),
            models.Index(fields=["category", "id"], name="procurement_category_idx"),
            models.Index(fields=["quantity", "id"], name="procurement_quantity_idx"),
            SortIndex(
                F("quantity").desc(nulls_last=True),
                F("id").desc(),
                name="procurement_quantity_desc_idx",
            ),
            models.Index(fields=["status", "id"], name="procurement_status_idx"),
            models.Index(fields=["value_amount", "id"], name="procurement_value_idx"),
            SortIndex(
                F("value_amount").desc(nulls_last=True),
                F("id").desc(),
                name="procurement_value_desc_idx",
            ),
        ]

    def __str__(self):
        return self.system

    def get_absolute_url(self):
        return slug_url("partnerships:procurement-detail", self.slug)

    def clean(self):
        errors = {}
        for prefix in ("order_date", "delivery_date"):
            clean_date(self, prefix, errors)
        check_order(self, "order_date", "delivery_date", DELIVERY_BEFORE_ORDER, errors)
        if self.quantity is not None and self.quantity < 0:
            errors["quantity"] = _("A quantity cannot be negative; leave it empty when unknown.")
        clean_value(self, errors)
        if errors:
            raise ValidationError(errors)

    @property
    def ordered(self):
        return PreciseDate.of(self, "order_date")

    @property
    def delivered(self):
        return PreciseDate.of(self, "delivery_date")

    @property
    def value_display(self):
        return format_value(self.value_amount, self.value_currency)


# ---------------------------------------------------------------- people


class PersonQuerySet(AttachesRows):
    # A person's page reads the person and each of these with a query of its own,
    # compiled once (partnerships/page_queries.py).
    def positions_of(self, person):
        return (
            Position.objects.filter(person=person)
            .select_related("partner")
            .only("person", "title", "body", "partner__name", "partner__slug", *POSITION_DATES)
            .order_by(F("start_date").desc(nulls_last=True), "pk")
        )

    def engagements_of(self, person):
        return (
            EngagementPerson.objects.filter(person=person)
            .select_related("engagement")
            .only(
                "role",
                "person",
                "engagement__title",
                "engagement__slug",
                "engagement__kind",
                "engagement__hedge",
                *(f"engagement__{c}" for c in date_columns("date", "end_date")),
            )
            .order_by(F("engagement__date").desc(nulls_last=True), "engagement__title", "pk")
        )

    def for_list(self):
        # Each row's positions as values (`listed_positions`: title, body, partner's
        # name and slug), read in one query for the page.
        return (
            self.order_by("name", "pk")
            .only(*LISTED["person"])
            .annotate(engagement_count=CountOf(EngagementPerson, "person"))
            .attaching(
                Position,
                "person",
                ("title", "body", "partner__name", "partner__slug"),
                ("pk",),
                "listed_positions",
            )
        )

    def for_export(self):
        return self.order_by("name", "pk").prefetch_related(
            models.Prefetch("positions", queryset=Position.objects.select_related("partner")),
            models.Prefetch(
                "engagement_links",
                queryset=EngagementPerson.objects.select_related("engagement").only(
                    "person", "role", "engagement__title", "engagement__slug"
                ),
            ),
            citations(),
        )


POSITION_DATES = date_columns("start_date", "end_date")


class Person(translated("Person", name=("char", 200), summary="text"), models.Model):
    name = models.CharField(
        max_length=200,
        help_text=gettext_lazy("The name as the sources give it, e.g. “Jens Stoltenberg”."),
        verbose_name=gettext_lazy("name"),
    )
    slug = models.SlugField(
        max_length=200,
        help_text=gettext_lazy("The page's address: /people/this-slug/."),
        verbose_name=gettext_lazy("slug"),
    )
    summary = models.TextField(
        blank=True,
        help_text=summary_help(gettext_lazy("What the sources say of this person.")),
        verbose_name=gettext_lazy("summary"),
    )

    history = WikiHistory()

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("person")
        ordering = ["name", "pk"]
        verbose_name_plural = gettext_lazy("people")
        constraints = [models.UniqueConstraint(fields=["slug"], name="person_slug_unique")]
        indexes = [models.Index(fields=["name", "id"], name="person_name_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("partnerships:person-detail", self.slug)


def position_text(position, partner_name):
    """ "Secretary General, NATO (from 2014)": a position, its body named `partner_name`
    when it is a partner's."""
    where = partner_name if position.partner_id else position.body
    text = (
        pgettext("a position and where it is held", "%(title)s, %(where)s")
        % {"title": position.title, "where": where}
        if where
        else position.title
    )
    starts, ends = PreciseDate.of(position, "start_date"), PreciseDate.of(position, "end_date")
    said = {"position": text, "start": starts, "end": ends}
    if starts.stated and ends.stated:
        return _("%(position)s (%(start)s to %(end)s)") % said
    if starts.stated:
        return _("%(position)s (from %(start)s)") % said
    if ends.stated:
        return _("%(position)s (until %(end)s)") % said
    return text


class PositionQuerySet(models.QuerySet):
    def named(self):
        """With what names each: its partner."""
        return self.select_related("partner")


class Position(models.Model):
    """A position a person held, as a source states it: each is a fact of the person's,
    cited as "position:<id>"."""

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="positions",
        verbose_name=gettext_lazy("person"),
    )
    title = models.CharField(
        max_length=200,
        help_text=gettext_lazy("The title as the source gives it, e.g. “Secretary General”."),
        verbose_name=gettext_lazy("title"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officials",
        help_text=gettext_lazy(
            "The partner the position is held in, when it is one of ours (e.g. NATO)."
        ),
        verbose_name=gettext_lazy("partner"),
    )
    body = models.CharField(
        max_length=200,
        blank=True,
        help_text=gettext_lazy(
            "The body as the source names it, when it is not a partner, e.g. a Moroccan "
            "ministry or a military command. Empty when the source names none."
        ),
        verbose_name=gettext_lazy("body"),
    )
    start_date = models.DateField(null=True, blank=True, verbose_name=gettext_lazy("start date"))
    start_date_precision = precision_field("start date")
    start_date_approximate = approximate_field("start date")
    start_date_month = month_field("start date")
    end_date = models.DateField(null=True, blank=True, verbose_name=gettext_lazy("end date"))
    end_date_precision = precision_field("end date")
    end_date_approximate = approximate_field("end date")
    end_date_month = month_field("end date")

    history = WikiHistory()

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("position")
        verbose_name_plural = gettext_lazy("positions")
        ordering = ["person", "pk"]
        indexes = [models.Index(fields=["partner", "person"], name="position_partner_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title=""),
                name="position_title_not_empty",
                violation_error_message=gettext_lazy("Give the title as the source states it."),
            ),
            models.CheckConstraint(
                condition=Q(partner__isnull=True) | Q(body=""),
                name="position_partner_or_body",
                violation_error_message=gettext_lazy(
                    "Name the body as a partner or in words, not both."
                ),
            ),
            *date_constraints("start_date", "position"),
            *date_constraints("end_date", "position"),
            order_constraint("start_date", "end_date", "position", END_BEFORE_START),
        ]

    def __str__(self):
        return position_text(self, self.partner.localized.name if self.partner_id else "")

    def clean(self):
        errors = {}
        if self.partner_id is not None and self.body:
            errors["body"] = _("The partner names the body already; clear this field.")
        for prefix in ("start_date", "end_date"):
            clean_date(self, prefix, errors)
        check_order(self, "start_date", "end_date", END_BEFORE_START, errors)
        if errors:
            raise ValidationError(errors)

    @property
    def starts(self):
        return PreciseDate.of(self, "start_date")

    @property
    def ends(self):
        return PreciseDate.of(self, "end_date")


# ---------------------------------------------------------------- engagements


class Role(models.TextChoices):
    """The part a partner or a person takes in an engagement."""

    HOST = "host", pgettext_lazy("engagement role", "Host")
    VISITOR = "visitor", pgettext_lazy("engagement role", "Visitor")
    ORGANIZER = "organizer", pgettext_lazy("engagement role", "Organizer")
    PARTICIPANT = "participant", pgettext_lazy("engagement role", "Participant")
    SPEAKER = "speaker", pgettext_lazy("engagement role", "Speaker or author")
    PROPOSER = "proposer", pgettext_lazy("engagement role", "Proposer")
    UNSTATED = "unstated", pgettext_lazy("engagement role", "Role not stated")


class EngagementQuerySet(WithLinkedPartners):
    def _in_list_order(self):
        return self.order_by(F("date").desc(nulls_last=True), "title", "pk")

    # An engagement's page reads the engagement and each of these with a query of
    # its own, compiled once (partnerships/page_queries.py).
    def partners_of(self, engagement):
        return (
            EngagementPartner.objects.filter(engagement=engagement)
            .select_related("partner")
            .only("engagement", "role", "partner__name", "partner__slug")
            .order_by("partner__name", "pk")
        )

    def people_of(self, engagement):
        return (
            EngagementPerson.objects.filter(engagement=engagement)
            .select_related("person")
            .only("engagement", "role", "person__name", "person__slug")
            .order_by("person__name", "pk")
        )

    def for_list(self):
        return (
            self._in_list_order()
            .only(*LISTED["engagement"])
            .linking(EngagementPartner, "engagement", "partner__name", "partner__slug", "role")
        )

    def for_export(self):
        return self._in_list_order().prefetch_related(
            models.Prefetch(
                "partner_links", queryset=EngagementPartner.objects.select_related("partner")
            ),
            models.Prefetch(
                "person_links", queryset=EngagementPerson.objects.select_related("person")
            ),
            citations(),
        )


class Engagement(translated("Engagement", title=("char", 250), summary="text"), models.Model):
    class Kind(models.TextChoices):
        VISIT = "visit", gettext_lazy("Visit")
        MEETING = "meeting", gettext_lazy("Meeting or dialogue")
        STATEMENT = "statement", gettext_lazy("Statement")
        TRAINING = "training", gettext_lazy("Training or education course")
        INITIATIVE = "initiative", gettext_lazy("Initiative")

    title = models.CharField(
        max_length=250,
        help_text=gettext_lazy("A short name, e.g. “US delegation's visit to Morocco”."),
        verbose_name=gettext_lazy("title"),
    )
    slug = models.SlugField(
        max_length=250,
        help_text=gettext_lazy("The page's address: /engagements/this-slug/."),
        verbose_name=gettext_lazy("slug"),
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=gettext_lazy("kind"))
    date = models.DateField(null=True, blank=True, verbose_name=gettext_lazy("date"))
    date_precision = precision_field("date")
    date_approximate = approximate_field("date")
    date_month = month_field("date")
    end_date = models.DateField(null=True, blank=True, verbose_name=gettext_lazy("end date"))
    end_date_precision = precision_field("end date")
    end_date_approximate = approximate_field("end date")
    end_date_month = month_field("end date")
    place = models.CharField(
        max_length=250,
        blank=True,
        help_text=gettext_lazy("Where, in the source's words. Empty when not stated."),
        verbose_name=gettext_lazy("place"),
    )
    hedge = models.CharField(
        max_length=100,
        blank=True,
        help_text=gettext_lazy(
            "The source's own hedge when it does not assert the engagement outright, e.g. "
            "“reportedly”; readers see it beside the entry. Empty when the source asserts it."
        ),
        verbose_name=gettext_lazy("hedge"),
    )
    partners = models.ManyToManyField(
        Partner,
        through="EngagementPartner",
        related_name="engagements",
        verbose_name=gettext_lazy("partners"),
    )
    people = models.ManyToManyField(
        Person,
        through="EngagementPerson",
        related_name="engagements",
        verbose_name=gettext_lazy("people"),
    )
    summary = models.TextField(
        blank=True,
        help_text=summary_help(gettext_lazy("What happened.")),
        verbose_name=gettext_lazy("summary"),
    )

    history = WikiHistory()

    objects = EngagementQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("engagement")
        verbose_name_plural = gettext_lazy("engagements")
        ordering = [F("date").desc(nulls_last=True), "title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="engagement_slug_unique"),
            *date_constraints("date", "engagement"),
            *date_constraints("end_date", "engagement"),
            order_constraint("date", "end_date", "engagement", END_BEFORE_START),
        ]
        indexes = [
            SortIndex(
                F("date").desc(nulls_last=True), F("title"), F("id"), name="engagement_list_idx"
            ),
            models.Index(fields=["date", "id"], name="engagement_date_idx"),
            models.Index(fields=["kind", "id"], name="engagement_kind_idx"),
            models.Index(fields=["title", "id"], name="engagement_title_idx"),
            year_not_stated_index("engagement", "date", "end_date"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("partnerships:engagement-detail", self.slug)

    def clean(self):
        errors = {}
        for prefix in ("date", "end_date"):
            clean_date(self, prefix, errors)
        check_order(self, "date", "end_date", END_BEFORE_START, errors)
        if errors:
            raise ValidationError(errors)

    @property
    def starts(self):
        return PreciseDate.of(self, "date")

    @property
    def ends(self):
        return PreciseDate.of(self, "end_date")


class EngagementPartner(models.Model):
    engagement = models.ForeignKey(
        Engagement,
        on_delete=models.CASCADE,
        related_name="partner_links",
        db_index=False,
        verbose_name=gettext_lazy("engagement"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="engagement_links",
        db_index=False,
        verbose_name=gettext_lazy("partner"),
    )
    role = models.CharField(
        max_length=11,
        choices=Role.choices,
        default=Role.UNSTATED,
        verbose_name=gettext_lazy("role"),
    )

    history = WikiHistory()

    class Meta:
        ordering = ["engagement", "partner__name"]
        verbose_name = gettext_lazy("partner taking part")
        verbose_name_plural = gettext_lazy("partners taking part")
        indexes = [
            models.Index(fields=["partner", "engagement"], name="engagementpartner_partner_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "partner"],
                name="engagement_partner_unique",
                violation_error_message=gettext_lazy(
                    "This partner is already listed for the engagement."
                ),
            ),
        ]

    def __str__(self):
        return _("%(partner)s — %(role)s in %(engagement)s") % {
            "partner": self.partner,
            "role": self.get_role_display().lower(),
            "engagement": self.engagement,
        }


class EngagementPerson(models.Model):
    engagement = models.ForeignKey(
        Engagement,
        on_delete=models.CASCADE,
        related_name="person_links",
        db_index=False,
        verbose_name=gettext_lazy("engagement"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="engagement_links",
        db_index=False,
        verbose_name=gettext_lazy("person"),
    )
    role = models.CharField(
        max_length=11,
        choices=Role.choices,
        default=Role.UNSTATED,
        verbose_name=gettext_lazy("role"),
    )

    history = WikiHistory()

    class Meta:
        ordering = ["engagement", "person__name"]
        verbose_name = gettext_lazy("person taking part")
        verbose_name_plural = gettext_lazy("people taking part")
        indexes = [
            models.Index(fields=["person", "engagement"], name="engagementperson_person_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "person"],
                name="engagement_person_unique",
                violation_error_message=gettext_lazy(
                    "This person is already listed for the engagement."
                ),
            ),
        ]

    def __str__(self):
        return _("%(person)s — %(role)s in %(engagement)s") % {
            "person": self.person,
            "role": self.get_role_display().lower(),
            "engagement": self.engagement,
        }


# ---------------------------------------------------------------- indicators


class IndicatorQuerySet(AttachesRows):
    # An indicator's page reads it (with its partner) and its values with a query
    # each, compiled once (partnerships/page_queries.py).
    def for_detail(self):
        return self.select_related("partner")

    def values_of(self, indicator):
        return IndicatorValue.objects.filter(indicator=indicator).in_series_order()

    def for_list(self):
        # Each row's values as tuples (`listed_values`: period, its precision,
        # approximation and month, value, basis), in series order, read in one query.
        return (
            self.order_by("name", "pk")
            .select_related("partner")
            .only(*LISTED["indicator"])
            .attaching(
                IndicatorValue,
                "indicator",
                ("value", "basis", *date_columns("period")),
                (F("period").asc(nulls_last=True), "basis", "pk"),
                "listed_values",
            )
        )

    def for_export(self):
        return (
            self.order_by("name", "pk")
            .select_related("partner")
            .prefetch_related(
                models.Prefetch("values", queryset=IndicatorValue.objects.in_series_order()),
                citations(),
            )
        )


class Indicator(translated("Indicator", name=("char", 200), summary="text"), models.Model):
    class Measure(models.TextChoices):
        AMOUNT = "amount", pgettext_lazy("indicator measure", "Amount")
        RANK = "rank", pgettext_lazy("indicator measure", "Rank")
        PERCENT = "percent", pgettext_lazy("indicator measure", "Percentage")

    name = models.CharField(
        max_length=200,
        help_text=gettext_lazy("The metric, e.g. “Defense spending”, “Arms purchases, rank”."),
        verbose_name=gettext_lazy("name"),
    )
    slug = models.SlugField(
        max_length=200,
        help_text=gettext_lazy("The page's address: /indicators/this-slug/."),
        verbose_name=gettext_lazy("slug"),
    )
    subject = models.CharField(
        max_length=200,
        help_text=gettext_lazy(
            "What the figures are of, as the source names it: “Morocco”, “North Africa”."
        ),
        verbose_name=gettext_lazy("subject"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        help_text=gettext_lazy(
            "The partner the figures concern, when they concern one (e.g. trade with it)."
        ),
        verbose_name=gettext_lazy("partner"),
    )
    measure = models.CharField(
        max_length=7,
        choices=Measure.choices,
        default=Measure.AMOUNT,
        help_text=gettext_lazy(
            "A rank (“the third largest …”) is stored as a rank, not as an amount."
        ),
        verbose_name=gettext_lazy("measure"),
    )
    unit = models.CharField(
        max_length=50,
        blank=True,
        help_text=gettext_lazy("The unit the source counts in, e.g. “billion”; empty for a rank."),
        verbose_name=gettext_lazy("unit"),
    )
    currency = models.CharField(
        max_length=3,
        choices=Currency.choices,
        blank=True,
        help_text=gettext_lazy("For an amount of money only."),
        verbose_name=gettext_lazy("currency"),
    )
    summary = models.TextField(
        blank=True,
        help_text=summary_help(gettext_lazy("What the figures are.")),
        verbose_name=gettext_lazy("summary"),
    )

    history = WikiHistory()

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = gettext_lazy("indicator")
        verbose_name_plural = gettext_lazy("indicators")
        ordering = ["name", "subject", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="indicator_slug_unique"),
            models.CheckConstraint(
                condition=Q(currency="") | Q(measure="amount"),
                name="indicator_currency_only_for_amounts",
                violation_error_message=gettext_lazy("Only an amount has a currency."),
            ),
            models.CheckConstraint(
                condition=~Q(measure="rank") | Q(unit=""),
                name="indicator_rank_has_no_unit",
                violation_error_message=gettext_lazy("A rank has no unit; clear it."),
            ),
        ]
        indexes = [models.Index(fields=["name", "id"], name="indicator_name_idx")]

    def __str__(self):
        return f"{self.name}, {self.subject}" if self.subject else self.name

    def get_absolute_url(self):
        return slug_url("partnerships:indicator-detail", self.slug)

    def clean(self):
        errors = {}
        if self.currency and self.measure != self.Measure.AMOUNT:
            errors["currency"] = _("Only an amount has a currency; clear it.")
        if self.measure == self.Measure.RANK and self.unit:
            errors["unit"] = _("A rank has no unit; clear it.")
        if errors:
            raise ValidationError(errors)

    @property
    def unit_label(self):
        """ "billion USD", "%", "rank"."""
        if self.measure == self.Measure.RANK:
            return pgettext("an indicator's unit", "rank")
        if self.measure == self.Measure.PERCENT:
            return "%"
        return " ".join(part for part in (self.unit, self.currency) if part)


class IndicatorValueQuerySet(models.QuerySet):
    def named(self):
        return self.in_series_order()

    def in_series_order(self):
        return self.order_by(F("period").asc(nulls_last=True), "basis", "pk")


def number_text(value):
    """A figure without trailing zeros ("3.6", "1,200"), "unknown" when empty, in the
    page's language ("3,6" in French)."""
    if value is None:
        return _("unknown")
    return format_number(value)


def value_text(value):
    """A value of a series as history names it: "2028: 5.2 (projection)"."""
    period = PreciseDate.of(value, "period")
    return _("%(period)s: %(number)s (%(basis)s)") % {
        "period": str(period) if period.stated else _("year not stated"),
        "number": number_text(value.value),
        "basis": choice_label(IndicatorValue.Basis, value.basis).lower(),
    }


class IndicatorValue(models.Model):
    """One figure of an indicator's series: a fact of the indicator's, cited as
    "value:<id>"."""

    class Basis(models.TextChoices):
        REPORTED = "reported", pgettext_lazy("a figure's basis", "Reported")
        ESTIMATE = "estimate", pgettext_lazy("a figure's basis", "Estimate")
        PROJECTION = "projection", pgettext_lazy("a figure's basis", "Projection")

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="values",
        verbose_name=gettext_lazy("indicator"),
    )
    period = models.DateField(null=True, blank=True, verbose_name=gettext_lazy("period"))
    period_precision = precision_field("period")
    period_approximate = approximate_field("period")
    period_month = month_field("period")
    value = models.DecimalField(
        max_digits=18,
        decimal_places=4,
        help_text=gettext_lazy(
            "The figure in the indicator's unit; for a rank, the rank (3 for “third”)."
        ),
        verbose_name=gettext_lazy("value"),
    )
    basis = models.CharField(
        max_length=10,
        choices=Basis.choices,
        default=Basis.REPORTED,
        help_text=gettext_lazy(
            "Whether the source reports the figure, estimates it or projects it."
        ),
        verbose_name=gettext_lazy("basis"),
    )
    as_stated = models.CharField(
        max_length=100,
        blank=True,
        help_text=gettext_lazy(
            "The figure exactly as the source writes it, e.g. “$3.6”, “third largest”."
        ),
        verbose_name=gettext_lazy("as stated"),
    )

    history = WikiHistory()

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        verbose_name_plural = gettext_lazy("values")
        ordering = ["indicator", F("period").asc(nulls_last=True), "basis", "pk"]
        verbose_name = gettext_lazy("value")
        constraints = [
            *date_constraints("period", "indicatorvalue"),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="indicatorvalue_not_negative",
                violation_error_message=gettext_lazy("A figure cannot be negative here."),
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "period_precision", "basis"],
                name="indicatorvalue_unique",
                violation_error_message=gettext_lazy(
                    "This series has a value of this kind for this period."
                ),
            ),
        ]

    def __str__(self):
        return value_text(self)

    def clean(self):
        errors = {}
        clean_date(self, "period", errors)
        if self.value is not None and self.value < 0:
            errors["value"] = _("A figure cannot be negative here.")
        if errors:
            raise ValidationError(errors)

    @property
    def period_as_stated(self):
        return PreciseDate.of(self, "period")
