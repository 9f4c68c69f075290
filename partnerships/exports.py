"""The export rows of partners, agreements, exercises, equipment deals, people,
engagements and indicators: every field, with the entry's citations (see
partnerships.lists.exports for the files).

Each citation carries the facts of its entry it states or disputes, by key
("party:12") and by name ("party: Israel"); what a link fact names is named from
the links the export prefetches (an agreement's parties, a person's positions,
an indicator's values…), never by a query of its own. A date is given
in ISO 8601 at its precision ("2023-12", or "--02" for a month whose year the
source does not state) and as the source words it ("February, year not stated").

The rows' keys are the JSON's keys, an API, English on every page; a CSV's
header row names them in the page's language (CSV_HEADERS), in English as the
keys themselves.
"""

from django.utils.translation import pgettext_lazy

from . import facts as fact_rules
from .models import choice_label, value_text
from .templatetags.series import basis_label, figure

# The CSV header of each key of the rows below (lists.exports).
CSV_HEADERS = {
    "name": pgettext_lazy("CSV column", "name"),
    "url": pgettext_lazy("CSV column", "url"),
    "kind": pgettext_lazy("CSV column", "kind"),
    "moroccos_membership": pgettext_lazy("CSV column", "moroccos_membership"),
    "short_name": pgettext_lazy("CSV column", "short_name"),
    "aliases": pgettext_lazy("CSV column", "aliases"),
    "home_country": pgettext_lazy("CSV column", "home_country"),
    "agreements": pgettext_lazy("CSV column", "agreements"),
    "exercises": pgettext_lazy("CSV column", "exercises"),
    "equipment_deals": pgettext_lazy("CSV column", "equipment_deals"),
    "summary": pgettext_lazy("CSV column", "summary"),
    "citations": pgettext_lazy("CSV column", "citations"),
    "title": pgettext_lazy("CSV column", "title"),
    "parties": pgettext_lazy("CSV column", "parties"),
    "date": pgettext_lazy("CSV column", "date"),
    "date_approximate": pgettext_lazy("CSV column", "date_approximate"),
    "date_as_stated": pgettext_lazy("CSV column", "date_as_stated"),
    "start": pgettext_lazy("CSV column", "start"),
    "start_as_stated": pgettext_lazy("CSV column", "start_as_stated"),
    "end": pgettext_lazy("CSV column", "end"),
    "end_as_stated": pgettext_lazy("CSV column", "end_as_stated"),
    "status": pgettext_lazy("CSV column", "status"),
    "value": pgettext_lazy("CSV column", "value"),
    "currency": pgettext_lazy("CSV column", "currency"),
    "series": pgettext_lazy("CSV column", "series"),
    "location": pgettext_lazy("CSV column", "location"),
    "domains": pgettext_lazy("CSV column", "domains"),
    "participants": pgettext_lazy("CSV column", "participants"),
    "system": pgettext_lazy("CSV column", "system"),
    "category": pgettext_lazy("CSV column", "category"),
    "supplier": pgettext_lazy("CSV column", "supplier"),
    "manufacturer": pgettext_lazy("CSV column", "manufacturer"),
    "agreement": pgettext_lazy("CSV column", "agreement"),
    "quantity": pgettext_lazy("CSV column", "quantity"),
    "ordered": pgettext_lazy("CSV column", "ordered"),
    "ordered_as_stated": pgettext_lazy("CSV column", "ordered_as_stated"),
    "delivered": pgettext_lazy("CSV column", "delivered"),
    "delivered_as_stated": pgettext_lazy("CSV column", "delivered_as_stated"),
    "slug": pgettext_lazy("CSV column", "slug"),
    "positions": pgettext_lazy("CSV column", "positions"),
    "engagements": pgettext_lazy("CSV column", "engagements"),
    "place": pgettext_lazy("CSV column", "place"),
    "hedge": pgettext_lazy("CSV column", "hedge"),
    "partners": pgettext_lazy("CSV column", "partners"),
    "people": pgettext_lazy("CSV column", "people"),
    "subject": pgettext_lazy("CSV column", "subject"),
    "partner": pgettext_lazy("CSV column", "partner"),
    "measure": pgettext_lazy("CSV column", "measure"),
    "unit": pgettext_lazy("CSV column", "unit"),
    "values": pgettext_lazy("CSV column", "values"),
}


def citations(entry, entry_field):
    """The rows of `entry`'s prefetched citations, the links their facts name named from
    the entry's prefetched links."""
    linked = linked_names(entry_field, entry)
    return [
        {
            "source": citation.source.title,
            "source_url": citation.source.get_absolute_url(),
            "quote": citation.quote,
            **citation_facts(citation, entry_field, linked),
            "stance": citation.stance,
        }
        for citation in entry.citations.all()
    ]


def citation_facts(citation, entry_field, linked=None):
    """{"facts": keys, "fact_labels": their names, "note": …} of one citation; `linked`
    is linked_names()'s.

    With `linked` None, what a link fact names is not known here: the fact is named by
    its kind and the key it names ("party: partner 12")."""
    keys = citation.fact_keys
    return {
        "facts": keys,
        "fact_labels": [fact_label(entry_field, key, linked) for key in keys],
        "note": citation.note,
    }


def fact_label(entry_field, key, linked):
    found = fact_rules.link_of(entry_field, key)
    if found is not None and linked is None:
        return f"{found[0].label}: {found[0].noun} {found[1]}"
    return fact_rules.label(entry_field, key, linked)


# What each type's link facts name, read from the links an export prefetches: (the
# prefetched relations, {(named model, id): name} of an entry).
LINKED = {
    "agreement": (
        ("parties",),
        lambda entry: {("partner", partner.pk): partner.name for partner in entry.parties.all()},
    ),
    "exercise": (
        ("participations",),
        lambda entry: {
            ("partner", link.partner_id): link.partner.name for link in entry.participations.all()
        },
    ),
    "person": (
        ("positions",),
        lambda entry: {
            ("position", position.pk): str(position) for position in entry.positions.all()
        },
    ),
    "engagement": (
        ("partner_links", "person_links"),
        lambda entry: {
            **{
                ("partner", link.partner_id): link.partner.name
                for link in entry.partner_links.all()
            },
            **{("person", link.person_id): link.person.name for link in entry.person_links.all()},
        },
    ),
    "indicator": (
        ("values",),
        lambda entry: {
            ("indicatorvalue", value.pk): value_text(value) for value in entry.values.all()
        },
    ),
}


def linked_names(entry_field, entry, *, prefetched_only=False):
    """{(named model, id): name} of what the link facts of `entry`'s citations may name,
    from its links; {} for a type without links. With `prefetched_only`, None (and no
    query) when the links were not prefetched."""
    if entry_field not in LINKED:
        return {}
    relations, names = LINKED[entry_field]
    cache = getattr(entry, "_prefetched_objects_cache", {})
    if prefetched_only and not all(relation in cache for relation in relations):
        return None
    return names(entry)


def stated(date):
    """A date as the source words it ("February, year not stated"); empty when unknown."""
    return str(date) if date.stated else ""


def _names(partners):
    return [partner.name for partner in partners]


def partner_row(partner):
    return {
        "name": partner.name,
        "url": partner.get_absolute_url(),
        "kind": partner.get_kind_display(),
        "moroccos_membership": partner.get_membership_display(),
        "short_name": partner.short_name,
        "aliases": partner.alias_list,
        "home_country": partner.parent.name if partner.parent else "",
        "agreements": partner.agreement_count,
        "exercises": partner.exercise_count,
        "equipment_deals": partner.equipment_count,
        "summary": partner.summary,
        "citations": citations(partner, "partner"),
    }


def agreement_row(agreement):
    concluded, starts, ends = agreement.concluded, agreement.starts, agreement.ends
    return {
        "title": agreement.title,
        "url": agreement.get_absolute_url(),
        "kind": agreement.get_kind_display(),
        "parties": _names(agreement.parties.all()),
        "date": concluded.iso,
        "date_approximate": agreement.date_approximate,
        "date_as_stated": stated(concluded),
        "start": starts.iso,
        "start_as_stated": stated(starts),
        "end": ends.iso,
        "end_as_stated": stated(ends),
        "status": agreement.get_status_display(),
        "value": _amount(agreement.value_amount),
        "currency": agreement.value_currency,
        "summary": agreement.summary,
        "citations": citations(agreement, "agreement"),
    }


def exercise_row(exercise):
    starts, ends = exercise.starts, exercise.ends
    return {
        "name": exercise.name,
        "url": exercise.get_absolute_url(),
        "series": exercise.series,
        "start": starts.iso,
        "start_as_stated": stated(starts),
        "end": ends.iso,
        "end_as_stated": stated(ends),
        "location": exercise.location,
        "domains": [str(label) for label in exercise.get_domains_list()],
        "participants": [
            f"{link.partner.name} ({link.get_role_display().lower()})"
            for link in exercise.participations.all()
        ],
        "summary": exercise.summary,
        "citations": citations(exercise, "exercise"),
    }


def procurement_row(procurement):
    ordered, delivered = procurement.ordered, procurement.delivered
    return {
        "system": procurement.system,
        "url": procurement.get_absolute_url(),
        "category": procurement.get_category_display(),
        "supplier": procurement.supplier.name,
        "manufacturer": procurement.manufacturer.name if procurement.manufacturer else "",
        "agreement": procurement.agreement.title if procurement.agreement else "",
        "quantity": procurement.quantity,
        "ordered": ordered.iso,
        "ordered_as_stated": stated(ordered),
        "delivered": delivered.iso,
        "delivered_as_stated": stated(delivered),
        "status": procurement.get_status_display(),
        "value": _amount(procurement.value_amount),
        "currency": procurement.value_currency,
        "summary": procurement.summary,
        "citations": citations(procurement, "procurement"),
    }


def _amount(value):
    if value is None:
        return None
    return str(int(value)) if value == value.to_integral_value() else str(value)


def _role(link):
    return f"{link.get_role_display().lower()}"


def person_row(person):
    return {
        "name": person.name,
        "url": person.get_absolute_url(),
        "slug": person.slug,
        "positions": [str(position) for position in person.positions.all()],
        "engagements": [
            f"{link.engagement.title} ({_role(link)})" for link in person.engagement_links.all()
        ],
        "summary": person.summary,
        "citations": citations(person, "person"),
    }


def engagement_row(engagement):
    starts, ends = engagement.starts, engagement.ends
    partners = engagement.partner_links.all()
    people = engagement.person_links.all()
    return {
        "title": engagement.title,
        "url": engagement.get_absolute_url(),
        "slug": engagement.slug,
        "kind": engagement.get_kind_display(),
        "date": starts.iso,
        "date_as_stated": stated(starts),
        "end": ends.iso,
        "end_as_stated": stated(ends),
        "place": engagement.place,
        # The source's own hedge ("reportedly") where it does not assert it outright.
        "hedge": engagement.hedge,
        "partners": [f"{link.partner.name} ({_role(link)})" for link in partners],
        "people": [f"{link.person.name} ({_role(link)})" for link in people],
        "summary": engagement.summary,
        "citations": citations(engagement, "engagement"),
    }


def indicator_row(indicator):
    values = indicator.values.all()
    return {
        "name": indicator.name,
        "url": indicator.get_absolute_url(),
        "slug": indicator.slug,
        "subject": indicator.subject,
        "partner": indicator.partner.name if indicator.partner else "",
        "measure": choice_label(type(indicator).Measure, indicator.measure),
        "unit": indicator.unit,
        "currency": indicator.currency,
        "values": [
            {
                "period": value.period_as_stated.iso,
                "period_as_stated": stated(value.period_as_stated) or "year not stated",
                "value": f"{value.value.normalize():f}",
                "display": figure(indicator, value.value),
                "as_stated": value.as_stated,
                "basis": basis_label(value.basis),
            }
            for value in values
        ],
        "summary": indicator.summary,
        "citations": citations(indicator, "indicator"),
    }
