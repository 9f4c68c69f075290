from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import npgettext, pgettext_lazy

from sources.models import Citation, Source

from . import exports, filters
from . import page_queries as queries
from .counts import table_counts
from .entry_types import AGREEMENT, ENGAGEMENT, EQUIPMENT, EXERCISE, INDICATOR, PARTNER, PERSON
from .footnotes import FactNotes
from .history.entry_pages import answers_as_of, last_change
from .lists.filters import FIRST_YEAR, LAST_YEAR
from .lists.names import linking_partners, listing_positions, partner_name, reading, translations
from .lists.pages import Column, ListKind, canonical_url, list_page, url_with
from .models import (
    Agreement,
    AgreementParty,
    Engagement,
    EngagementPartner,
    Exercise,
    ExerciseParticipant,
    Indicator,
    Partner,
    Person,
    Procurement,
    value_text,
)
from .overview import COLUMNS as OVERVIEW_COLUMNS
from .overview import description, latest_changes, partner_overview
from .page_queries import LATEST_ON_PARTNER_PAGE, entry_or_404
from .timeline import PER_PAGE, events_of, parse_cursor, timeline_page, year_cursor
from .timeline_chart import LANES, cached_chart, lanes_choice


def home(request):
    counts = table_counts(
        Partner, Agreement, Exercise, Procurement, Person, Engagement, Indicator, Source, Citation
    )
    ctx = {
        "counts": [_counted(counts, *count) for count in COUNTED],
        "citation_count": counts[Citation],
        # After the cited passages: the people, engagements and figures around the
        # partnerships.
        "more_counts": [_counted(counts, *count) for count in MORE_COUNTED],
        "description": description(
            [counts[model] for model in (Partner, Agreement, Exercise, Procurement, Engagement)],
            counts[Source],
        ),
        "overview_columns": OVERVIEW_COLUMNS,
        "overview": partner_overview(),
        "partner_count": counts[Partner],
        "changes": latest_changes(),
    }
    return render(request, "partnerships/home.html", ctx)


# What the home page counts, each with its list and its noun in the form a count of
# n takes in the page's language (Arabic has six).
COUNTED = (
    (
        Partner,
        "partnerships:partner-list",
        lambda n: npgettext("counted on the home page", "partner", "partners", n),
    ),
    (
        Agreement,
        "partnerships:agreement-list",
        lambda n: npgettext("counted on the home page", "agreement", "agreements", n),
    ),
    (
        Exercise,
        "partnerships:exercise-list",
        lambda n: npgettext("counted on the home page", "exercise", "exercises", n),
    ),
    (
        Procurement,
        "partnerships:procurement-list",
        lambda n: npgettext("counted on the home page", "equipment deal", "equipment deals", n),
    ),
    (
        Source,
        "sources:source-list",
        lambda n: npgettext("counted on the home page", "source", "sources", n),
    ),
)
MORE_COUNTED = (
    (
        Person,
        "partnerships:person-list",
        lambda n: npgettext("counted on the home page", "person", "people", n),
    ),
    (
        Engagement,
        "partnerships:engagement-list",
        lambda n: npgettext("counted on the home page", "engagement", "engagements", n),
    ),
    (
        Indicator,
        "partnerships:indicator-list",
        lambda n: npgettext("counted on the home page", "indicator", "indicators", n),
    ),
)


def _counted(counts, model, url_name, noun):
    """(singular, plural, url name, count) as home.html reads a count: its noun is in
    the form the count takes already, so both are it."""
    count = counts[model]
    said = noun(count.value)
    return (said, said, url_name, count)


@answers_as_of("partner")
def partner_detail(request, slug):
    partner = entry_or_404(queries.PARTNER, slug)
    agreements = [link.agreement for link in queries.LATEST_AGREEMENT_LINKS.all(entry=partner.pk)]
    participations = queries.LATEST_PARTICIPATIONS.all(entry=partner.pk)
    procurements = queries.LATEST_EQUIPMENT.all(entry=partner.pk)
    engagement_links = queries.LATEST_ENGAGEMENT_LINKS.all(entry=partner.pk)
    ctx = {
        "partner": partner,
        "companies": queries.COMPANIES.all(entry=partner.pk),
        "agreements": agreements,
        "participations": participations,
        "procurements": procurements,
        "engagement_links": engagement_links,
        "officials": officials(queries.POSITIONS_IN.all(entry=partner.pk)),
        "events": events_of(
            agreements,
            [link.exercise for link in participations],
            procurements,
            engagements=[link.engagement for link in engagement_links],
        ),
        "notes": FactNotes("partner", partner, queries.FOOTNOTES.all("partner", entry=partner.pk)),
        "last_change": last_change("partner", partner),
    }
    return render(request, "partnerships/partner_detail.html", ctx)


@answers_as_of("agreement")
def agreement_detail(request, slug):
    agreement = entry_or_404(queries.AGREEMENT, slug)
    parties = queries.PARTIES.all(entry=agreement.pk)
    citations = queries.FOOTNOTES.all("agreement", entry=agreement.pk)
    ctx = {
        "agreement": agreement,
        "parties": parties,
        "procurements": queries.PROCUREMENTS.all(entry=agreement.pk),
        "notes": FactNotes(
            "agreement", agreement, citations, {p.pk: p.localized.name for p in parties}
        ),
        "last_change": last_change("agreement", agreement),
    }
    return render(request, "partnerships/agreement_detail.html", ctx)


@answers_as_of("exercise")
def exercise_detail(request, slug):
    exercise = entry_or_404(queries.EXERCISE, slug)
    participations = queries.PARTICIPATIONS.all(entry=exercise.pk)
    citations = queries.FOOTNOTES.all("exercise", entry=exercise.pk)
    partners = {link.partner_id: link.partner.localized.name for link in participations}
    ctx = {
        "exercise": exercise,
        "participations": participations,
        "notes": FactNotes("exercise", exercise, citations, partners),
        "last_change": last_change("exercise", exercise),
    }
    return render(request, "partnerships/exercise_detail.html", ctx)


@answers_as_of("equipment")
def procurement_detail(request, slug):
    procurement = entry_or_404(queries.PROCUREMENT, slug)
    ctx = {
        "procurement": procurement,
        "notes": FactNotes(
            "procurement",
            procurement,
            queries.FOOTNOTES.all("procurement", entry=procurement.pk),
        ),
        "last_change": last_change("equipment", procurement),
    }
    return render(request, "partnerships/procurement_detail.html", ctx)


def officials(positions):
    """[(person, [their positions])] of positions held in a partner, in the order read,
    the first LATEST_ON_PARTNER_PAGE people."""
    people = {}
    for position in positions:
        people.setdefault(position.person_id, (position.person, []))[1].append(position)
    return list(people.values())[:LATEST_ON_PARTNER_PAGE]


@answers_as_of("person")
def person_detail(request, slug):
    person = entry_or_404(queries.PERSON, slug)
    positions = queries.POSITIONS.all(entry=person.pk)
    links = queries.PERSON_ENGAGEMENTS.all(entry=person.pk)
    names = {("position", position.pk): str(position) for position in positions}
    ctx = {
        "person": person,
        "positions": positions,
        "engagement_links": links[:LATEST_ON_PARTNER_PAGE],
        "more_engagements": len(links) > LATEST_ON_PARTNER_PAGE,
        "notes": FactNotes(
            "person", person, queries.FOOTNOTES.all("person", entry=person.pk), linked=names
        ),
        "last_change": last_change("person", person),
    }
    return render(request, "partnerships/person_detail.html", ctx)


@answers_as_of("engagement")
def engagement_detail(request, slug):
    engagement = entry_or_404(queries.ENGAGEMENT, slug)
    partner_links = queries.ENGAGEMENT_PARTNERS.all(entry=engagement.pk)
    person_links = queries.ENGAGEMENT_PEOPLE.all(entry=engagement.pk)
    ctx = {
        "engagement": engagement,
        "partner_links": partner_links,
        "person_links": person_links,
        "notes": FactNotes(
            "engagement",
            engagement,
            queries.FOOTNOTES.all("engagement", entry=engagement.pk),
            {link.partner_id: link.partner.localized.name for link in partner_links},
            linked={
                ("person", link.person_id): link.person.localized.name for link in person_links
            },
        ),
        "last_change": last_change("engagement", engagement),
    }
    return render(request, "partnerships/engagement_detail.html", ctx)


@answers_as_of("indicator")
def indicator_detail(request, slug):
    indicator = entry_or_404(queries.INDICATOR, slug)
    values = queries.INDICATOR_VALUES.all(entry=indicator.pk)
    for value in values:
        value.indicator = indicator  # read once, not by each value
    ctx = {
        "indicator": indicator,
        "values": values,
        "undated": sum(1 for value in values if not value.period_as_stated.known),
        "notes": FactNotes(
            "indicator",
            indicator,
            queries.FOOTNOTES.all("indicator", entry=indicator.pk),
            linked={("indicatorvalue", value.pk): value_text(value) for value in values},
        ),
        "last_change": last_change("indicator", indicator),
    }
    return render(request, "partnerships/indicator_detail.html", ctx)


# Each list reads its rows' names in every language with them (lists/names.py), and
# draws them in the page's.
PARTNERS = ListKind(
    entry_type=PARTNER,
    filterset=filters.PartnerListFilter,
    queryset=reading(Partner.objects.for_list(), *translations("name"), "country_code"),
    export_queryset=Partner.objects.for_export(),
    export_headers=exports.CSV_HEADERS,
    export_row=exports.partner_row,
    columns=(
        Column(pgettext_lazy("list column", "Partner"), "name"),
        Column(pgettext_lazy("list column", "Kind"), "kind"),
        Column(pgettext_lazy("list column", "Agreements"), "agreements"),
        Column(pgettext_lazy("list column", "Exercises"), "exercises"),
        Column(pgettext_lazy("list column", "Equipment deals"), "equipment"),
    ),
    template="partnerships/partner_list.html",
)

AGREEMENTS = ListKind(
    entry_type=AGREEMENT,
    filterset=filters.AgreementListFilter,
    queryset=linking_partners(
        reading(Agreement.objects.for_list(), *translations("title")), AgreementParty, "agreement"
    ),
    export_queryset=Agreement.objects.for_export(),
    export_headers=exports.CSV_HEADERS,
    export_row=exports.agreement_row,
    columns=(
        Column(pgettext_lazy("list column", "Agreement"), "title"),
        Column(pgettext_lazy("list column", "Kind"), "kind"),
        Column(pgettext_lazy("list column", "Parties")),
        Column(pgettext_lazy("list column", "Concluded"), "date"),
        Column(pgettext_lazy("list column", "Status"), "status"),
        Column(pgettext_lazy("list column", "Value"), "value"),
    ),
    template="partnerships/agreement_list.html",
)

EXERCISES = ListKind(
    entry_type=EXERCISE,
    filterset=filters.ExerciseListFilter,
    queryset=linking_partners(
        reading(Exercise.objects.for_list(), *translations("name")),
        ExerciseParticipant,
        "exercise",
        role=True,
    ),
    export_queryset=Exercise.objects.for_export(),
    export_headers=exports.CSV_HEADERS,
    export_row=exports.exercise_row,
    columns=(
        Column(pgettext_lazy("list column", "Exercise"), "name"),
        Column(pgettext_lazy("list column", "Held"), "start"),
        Column(pgettext_lazy("list column", "Location"), "location"),
        Column(pgettext_lazy("list column", "Domains")),
        Column(pgettext_lazy("list column", "Participants")),
    ),
    template="partnerships/exercise_list.html",
)

PROCUREMENTS = ListKind(
    entry_type=EQUIPMENT,
    filterset=filters.ProcurementListFilter,
    queryset=reading(
        Procurement.objects.for_list(),
        *translations("system"),
        *partner_name("supplier__"),
        *partner_name("manufacturer__"),
    ),
    export_queryset=Procurement.objects.for_export(),
    export_headers=exports.CSV_HEADERS,
    export_row=exports.procurement_row,
    columns=(
        Column(pgettext_lazy("list column", "System"), "system"),
        Column(pgettext_lazy("list column", "Category"), "category"),
        Column(pgettext_lazy("list column", "Supplier"), "supplier"),
        Column(pgettext_lazy("list column", "Maker")),
        Column(pgettext_lazy("list column", "Quantity"), "quantity"),
        Column(pgettext_lazy("list column", "Ordered"), "ordered"),
        Column(pgettext_lazy("list column", "Status"), "status"),
        Column(pgettext_lazy("list column", "Value"), "value"),
    ),
    template="partnerships/procurement_list.html",
)


PEOPLE = ListKind(
    entry_type=PERSON,
    filterset=filters.PersonListFilter,
    queryset=listing_positions(reading(Person.objects.for_list(), *translations("name"))),
    export_queryset=Person.objects.for_export(),
    export_headers=exports.CSV_HEADERS,
    export_row=exports.person_row,
    columns=(
        Column(pgettext_lazy("list column", "Person"), "name"),
        Column(pgettext_lazy("list column", "Positions")),
        Column(pgettext_lazy("list column", "Engagements")),
    ),
    template="partnerships/person_list.html",
)

ENGAGEMENTS = ListKind(
    entry_type=ENGAGEMENT,
    filterset=filters.EngagementListFilter,
    queryset=linking_partners(
        reading(Engagement.objects.for_list(), *translations("title")),
        EngagementPartner,
        "engagement",
        role=True,
    ),
    export_queryset=Engagement.objects.for_export(),
    export_headers=exports.CSV_HEADERS,
    export_row=exports.engagement_row,
    columns=(
        Column(pgettext_lazy("list column", "Engagement"), "title"),
        Column(pgettext_lazy("list column", "Kind"), "kind"),
        Column(pgettext_lazy("list column", "Date"), "date"),
        Column(pgettext_lazy("list column", "Place")),
        Column(pgettext_lazy("list column", "Partners taking part")),
    ),
    template="partnerships/engagement_list.html",
)

INDICATORS = ListKind(
    entry_type=INDICATOR,
    filterset=filters.IndicatorListFilter,
    queryset=reading(
        Indicator.objects.for_list(), *translations("name"), *partner_name("partner__")
    ),
    export_queryset=Indicator.objects.for_export(),
    export_headers=exports.CSV_HEADERS,
    export_row=exports.indicator_row,
    columns=(
        Column(pgettext_lazy("list column", "Indicator"), "name"),
        Column(pgettext_lazy("list column", "Subject")),
        Column(pgettext_lazy("list column", "Measure")),
        Column(pgettext_lazy("list column", "Values")),
        Column(pgettext_lazy("list column", "Latest value")),
    ),
    template="partnerships/indicator_list.html",
)


def partner_list(request):
    return list_page(request, PARTNERS)


def agreement_list(request):
    return list_page(request, AGREEMENTS)


def exercise_list(request):
    return list_page(request, EXERCISES)


def procurement_list(request):
    return list_page(request, PROCUREMENTS)


def person_list(request):
    return list_page(request, PEOPLE)


def engagement_list(request):
    return list_page(request, ENGAGEMENTS)


def indicator_list(request):
    return list_page(request, INDICATORS)


def timeline(request):
    form = filters.TimelineForm(request.GET)
    valid = form.is_valid()
    if valid and (url := canonical_url(request, form)):
        return redirect(url)
    place, problems = timeline_place(request.GET)
    lanes, lanes_problem = lanes_choice(request.GET)
    if lanes_problem:
        problems.append(lanes_problem)
    page = chart = None
    if valid and not problems:
        data = form.cleaned_data
        page = timeline_page(data["partner"], data["type"], **place)
        chart = cached_chart(data["partner"], data["type"], lanes)
    ctx = {
        "form": form,
        "page": page,
        "chart": chart,
        "lanes": lanes,
        "lanes_urls": {
            choice: url_with(request, lanes="" if choice == "type" else choice) for choice in LANES
        },
        "events": page.events if page else [],
        "problems": problems,
        "filtered": valid and any(form.cleaned_data.values()),
        "earlier_url": url_with(request, before=page.earlier, after=None, **{"from": None})
        if page and page.earlier
        else "",
        "later_url": url_with(request, after=page.later, before=None, **{"from": None})
        if page and page.later
        else "",
        "latest_url": url_with(request, after=None, before=None, **{"from": None}),
        "per_page": PER_PAGE,
        "year": request.GET.get("from", "")[:4] if not problems else "",
    }
    return render(request, "partnerships/timeline.html", ctx, status=200 if page else 400)


def timeline_place(query):
    """({"after": cursor} or {"before": cursor} or {}, problems) from ?after=, ?before=, ?from=."""
    problems = []
    place = {}
    year = query.get("from", "")
    for name in ("after", "before"):
        if query.get(name):
            cursor = parse_cursor(query[name])
            if cursor is None:
                problems.append(
                    _(
                        "This link to a place in the timeline is not one this site made: "
                        "start again from the latest events, or go to a year."
                    )
                )
            else:
                place[name] = cursor
    if year:
        if not year.isdigit() or not FIRST_YEAR <= int(year) <= LAST_YEAR:
            problems.append(
                _("Go to a year between %(first)s and %(last)s, such as 2021.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        else:
            place = {"after": year_cursor(int(year))}
    if len(place) > 1:
        problems.append(_("Read the timeline after one place or before it, not both."))
    return place, problems
