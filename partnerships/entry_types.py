"""The entry types of partnerships: each declared once, with the rows edited on its form.

See partnerships.history.registry. Sources are declared in sources/entry_types.py.
"""

from sources.models import Citation

from .dates import date_columns
from .history.registry import EntryType, RelationType, entry_types
from .models import (
    Agreement,
    AgreementParty,
    Exercise,
    ExerciseParticipant,
    Partner,
    Procurement,
    choice_label,
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
    return " · ".join(part for part in parts if part) or "Exercise"


def _procurement_line(procurement):
    return " · ".join(
        [
            choice_label(Procurement.Category, procurement.category),
            f"from {procurement.supplier_name}",
            choice_label(Procurement.Status, procurement.status),
        ]
    )


def citations(entry_field):
    return RelationType(
        "Citations",
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
        "Partners",
        Partner,
        "name",
        "partnerships:partner-detail",
        relations=(citations("partner"),),
        links=(
            RelationType("Agreements it is a party to", AgreementParty, "partner", "agreement"),
            RelationType("Exercises it took part in", ExerciseParticipant, "partner", "exercise"),
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
        "Agreements",
        Agreement,
        "title",
        "partnerships:agreement-detail",
        relations=(
            RelationType(
                "Parties",
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
        "Exercises",
        Exercise,
        "name",
        "partnerships:exercise-detail",
        relations=(
            RelationType(
                "Participants",
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
        "Equipment deals",
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
            label="Equipment",
        ),
    )
)
