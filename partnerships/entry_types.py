"""The entry types of partnerships: each declared once, with the rows edited on its form.

See partnerships.history.registry. Sources are declared in sources/entry_types.py.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from sources.models import Citation

from .dates import date_columns
from .history.registry import EntryType, RelationType, entry_types
from .models import (
    Agreement,
    AgreementParty,
    Engagement,
    EngagementPartner,
    EngagementPerson,
    Exercise,
    ExerciseParticipant,
    Indicator,
    IndicatorValue,
    Partner,
    Person,
    Position,
    Procurement,
    choice_label,
    position_text,
    value_text,
)
from .search import Searched


def _partner_line(partner):
    parts = [choice_label(Partner.Kind, partner.kind)]
    if partner.short_name:
        parts.append(partner.short_name)
    return " · ".join(parts)


def _agreement_line(agreement):
    parts = [
        choice_label(Agreement.Kind, agreement.kind),
        choice_label(Agreement.Status, agreement.status),
    ]
    if agreement.concluded.stated:
        parts.append(str(agreement.concluded))
    return " · ".join(parts)


def _exercise_line(exercise):
    parts = [
        exercise.series,
        str(exercise.starts) if exercise.starts.stated else "",
        exercise.location,
    ]
    return " · ".join(part for part in parts if part) or pgettext("search result", "Exercise")


def _procurement_line(procurement):
    return " · ".join(
        [
            choice_label(Procurement.Category, procurement.category),
            pgettext("equipment's supplier", "from %(supplier)s")
            % {"supplier": procurement.supplier_name},
            choice_label(Procurement.Status, procurement.status),
        ]
    )


def _person_line(person):
    position = getattr(person, "first_position", "")
    if position:
        return _("Person · %(position)s") % {"position": position}
    return pgettext("search result", "Person")


def _engagement_line(engagement):
    parts = [choice_label(Engagement.Kind, engagement.kind)]
    if engagement.starts.stated:
        parts.append(str(engagement.starts))
    if engagement.place:
        parts.append(engagement.place)
    if engagement.hedge:
        parts.append(f"({engagement.hedge})")
    return " · ".join(parts)


def _indicator_line(indicator):
    parts = [indicator.subject, choice_label(Indicator.Measure, indicator.measure)]
    unit = " ".join(part for part in (indicator.unit, indicator.currency) if part)
    if unit:
        parts.append(unit)
    return " · ".join(part for part in parts if part)


def _position_row(record, names):
    partner = names.get(Partner, record.partner_id) if record.partner_id else ""
    return position_text(record, partner)


def _value_row(record, names):
    return value_text(record)


def citations(entry_field):
    return RelationType(
        gettext_lazy("Citations"),
        Citation,
        entry_field,
        token="citation",
        singular="citation",
        plural="citations",
    )


PARTNER = entry_types.register(
    EntryType(
        "partner",
        "partners",
        gettext_lazy("Partners"),
        Partner,
        "name",
        "partnerships:partner-detail",
        relations=(citations("partner"),),
        links=(
            RelationType(
                gettext_lazy("Agreements it is a party to"), AgreementParty, "partner", "agreement"
            ),
            RelationType(
                gettext_lazy("Exercises it took part in"),
                ExerciseParticipant,
                "partner",
                "exercise",
            ),
            RelationType(
                gettext_lazy("Engagements it took part in"),
                EngagementPartner,
                "partner",
                "engagement",
            ),
        ),
        search=Searched(
            weighted_fields=(
                ("name", "A"),
                ("short_name", "A"),
                ("aliases", "B"),
                ("summary", "C"),
            ),
            snippet_fields=("aliases", "summary"),
            columns=("name", "slug", "kind", "short_name"),
            describe=_partner_line,
        ),
    )
)
AGREEMENT = entry_types.register(
    EntryType(
        "agreement",
        "agreements",
        gettext_lazy("Agreements"),
        Agreement,
        "title",
        "partnerships:agreement-detail",
        relations=(
            RelationType(
                gettext_lazy("Parties"),
                AgreementParty,
                "agreement",
                "partner",
                token="party",
                singular="party",
                plural="parties",
            ),
            citations("agreement"),
        ),
        search=Searched(
            weighted_fields=(("title", "A"), ("summary", "C")),
            snippet_fields=("summary",),
            columns=(
                "title",
                "slug",
                "kind",
                "status",
                *date_columns("date"),
            ),
            describe=_agreement_line,
        ),
    )
)
EXERCISE = entry_types.register(
    EntryType(
        "exercise",
        "exercises",
        gettext_lazy("Exercises"),
        Exercise,
        "name",
        "partnerships:exercise-detail",
        relations=(
            RelationType(
                gettext_lazy("Participants"),
                ExerciseParticipant,
                "exercise",
                "partner",
                token="participant",
                singular="participant",
                plural="participants",
            ),
            citations("exercise"),
        ),
        search=Searched(
            weighted_fields=(("name", "A"), ("series", "B"), ("location", "B"), ("summary", "C")),
            snippet_fields=("summary",),
            columns=(
                "name",
                "slug",
                "series",
                "location",
                *date_columns("start_date"),
            ),
            describe=_exercise_line,
        ),
    )
)
EQUIPMENT = entry_types.register(
    EntryType(
        "equipment",
        "equipment",
        gettext_lazy("Equipment deals"),
        Procurement,
        "system",
        "partnerships:procurement-detail",
        relations=(citations("procurement"),),
        search=Searched(
            weighted_fields=(("system", "A"), ("summary", "C")),
            snippet_fields=("summary",),
            columns=("system", "slug", "category", "status"),
            describe=_procurement_line,
            looked_up=(("supplier_name", "supplier__name"),),
            label=gettext_lazy("Equipment"),
        ),
    )
)
PERSON = entry_types.register(
    EntryType(
        "person",
        "people",
        gettext_lazy("People"),
        Person,
        "name",
        "partnerships:person-detail",
        relations=(
            RelationType(
                gettext_lazy("Positions"),
                Position,
                "person",
                token="position",
                singular="position",
                plural="positions",
                name_row=_position_row,
            ),
            citations("person"),
        ),
        links=(
            RelationType(
                gettext_lazy("Engagements they took part in"),
                EngagementPerson,
                "person",
                "engagement",
            ),
        ),
        search=Searched(
            weighted_fields=(("name", "A"), ("summary", "C")),
            snippet_fields=("summary",),
            columns=("name", "slug"),
            describe=_person_line,
            looked_up=(("first_position", "positions__title"),),
        ),
    )
)
ENGAGEMENT = entry_types.register(
    EntryType(
        "engagement",
        "engagements",
        gettext_lazy("Engagements"),
        Engagement,
        "title",
        "partnerships:engagement-detail",
        relations=(
            RelationType(
                gettext_lazy("Partners taking part"),
                EngagementPartner,
                "engagement",
                "partner",
                token="partner",
                singular="partner taking part",
                plural="partners taking part",
            ),
            RelationType(
                gettext_lazy("People taking part"),
                EngagementPerson,
                "engagement",
                "person",
                token="person",
                singular="person taking part",
                plural="people taking part",
            ),
            citations("engagement"),
        ),
        search=Searched(
            weighted_fields=(("title", "A"), ("place", "B"), ("summary", "C")),
            snippet_fields=("summary",),
            columns=("title", "slug", "kind", "place", "hedge", *date_columns("date")),
            describe=_engagement_line,
        ),
    )
)
INDICATOR = entry_types.register(
    EntryType(
        "indicator",
        "indicators",
        gettext_lazy("Indicators"),
        Indicator,
        "name",
        "partnerships:indicator-detail",
        relations=(
            RelationType(
                gettext_lazy("Values"),
                IndicatorValue,
                "indicator",
                token="value",
                singular="value",
                plural="values",
                name_row=_value_row,
            ),
            citations("indicator"),
        ),
        search=Searched(
            weighted_fields=(("name", "A"), ("subject", "B"), ("summary", "C")),
            snippet_fields=("summary",),
            columns=("name", "slug", "subject", "measure", "unit", "currency"),
            describe=_indicator_line,
        ),
    )
)
