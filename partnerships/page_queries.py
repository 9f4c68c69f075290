"""What the entry pages read, as queries compiled once per process (compiled.py).

Each page's queries have the same shape on every request, only the slug or the
entry's key differ: building and compiling them with the ORM took about 1 ms of
Python each, several times what the database took to answer them.

A page names the entries it links in its language (`entry.localized.name`,
partnerships/translations.py), so each query reads, beside a name, its French and
Arabic texts and what a country's name is read from in them (`reading`): the
same query in every language, and no query of its own for a name.
"""

from django.http import Http404

from sources.models import Citation, Source

from .compiled import Compiled
from .lists.names import partner_name, reading, translations
from .models import Agreement, Engagement, Exercise, Indicator, Partner, Person, Procurement

# How many of each kind of entry a partner's page shows; the lists show the rest.
LATEST_ON_PARTNER_PAGE = 10


def _by_slug(queryset):
    return Compiled(lambda slug: queryset().filter(slug=slug)[:1], slug=str)


def entry_or_404(query, slug):
    """The entry `query` finds by `slug`, or a 404."""
    entry = query.first(slug=slug)
    if entry is None:
        raise Http404("No entry has this address.")
    return entry


PARTNER = _by_slug(Partner.objects.for_detail)
AGREEMENT = _by_slug(Agreement.objects.all)
EXERCISE = _by_slug(Exercise.objects.all)
PROCUREMENT = _by_slug(Procurement.objects.for_detail)
PERSON = _by_slug(Person.objects.all)
ENGAGEMENT = _by_slug(Engagement.objects.all)
INDICATOR = _by_slug(Indicator.objects.for_detail)
SOURCE = _by_slug(Source.objects.with_citation_count)

# A partner's companies and latest entries of each kind.
COMPANIES = Compiled(
    lambda entry: reading(Partner.objects.companies_of(entry), *partner_name("")), entry=int
)
LATEST_AGREEMENT_LINKS = Compiled(
    lambda entry: Partner.objects.latest_agreement_links(entry, LATEST_ON_PARTNER_PAGE), entry=int
)
LATEST_PARTICIPATIONS = Compiled(
    lambda entry: Partner.objects.latest_participations(entry, LATEST_ON_PARTNER_PAGE), entry=int
)
LATEST_EQUIPMENT = Compiled(
    lambda entry: Partner.objects.latest_equipment(entry, LATEST_ON_PARTNER_PAGE), entry=int
)

LATEST_ENGAGEMENT_LINKS = Compiled(
    lambda entry: reading(
        Partner.objects.latest_engagement_links(entry, LATEST_ON_PARTNER_PAGE),
        *translations("title", "engagement__"),
    ),
    entry=int,
)
# The positions held in a partner, a few more than a page shows of its people:
# a person may hold several there.
POSITIONS_IN = Compiled(
    lambda entry: reading(
        Partner.objects.positions_in(entry, 2 * LATEST_ON_PARTNER_PAGE),
        *translations("name", "person__"),
    ),
    entry=int,
)

# A person's positions, and the latest engagements they took part in: one more than
# the page shows, to know whether there are more.
POSITIONS = Compiled(
    lambda entry: reading(Person.objects.positions_of(entry), *partner_name("partner__")),
    entry=int,
)
PERSON_ENGAGEMENTS = Compiled(
    lambda entry: reading(
        Person.objects.engagements_of(entry), *translations("title", "engagement__")
    )[: LATEST_ON_PARTNER_PAGE + 1],
    entry=int,
)

# An engagement's partners and people taking part; an indicator's values.
ENGAGEMENT_PARTNERS = Compiled(
    lambda entry: reading(Engagement.objects.partners_of(entry), *partner_name("partner__")),
    entry=int,
)
ENGAGEMENT_PEOPLE = Compiled(
    lambda entry: reading(Engagement.objects.people_of(entry), *translations("name", "person__")),
    entry=int,
)
INDICATOR_VALUES = Compiled(lambda entry: Indicator.objects.values_of(entry), entry=int)

# An agreement's parties and equipment; an exercise's participants.
PARTIES = Compiled(
    lambda entry: reading(Agreement.objects.parties_of(entry), *partner_name("")), entry=int
)
PROCUREMENTS = Compiled(
    lambda entry: reading(Agreement.objects.procurements_of(entry), *translations("system")),
    entry=int,
)
PARTICIPATIONS = Compiled(lambda entry: Exercise.objects.participations_of(entry), entry=int)

# FOOTNOTES.all("agreement", entry=pk): an entry's citations, with their sources.
FOOTNOTES = Compiled(Citation.objects.footnotes_of, entry=int)

# SOURCE_CITATIONS.all(limit, entry=pk): a source's first `limit` citations with
# the names and addresses of their entries and their footnote numbers.
SOURCE_CITATIONS = Compiled(
    lambda limit, entry: (
        Citation.objects.filter(source=entry)
        .of_source_with_entries()
        .numbered()
        .order_by("pk")[:limit]
    ),
    entry=int,
)
