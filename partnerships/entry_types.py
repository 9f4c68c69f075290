"""The entry types of partnerships: each declared once, with the rows edited on its form.

See partnerships.history.registry. Sources are declared in sources/entry_types.py.
"""

from sources.models import Citation

from .history.registry import EntryType, RelationType, entry_types
from .models import Agreement, AgreementParty, Exercise, ExerciseParticipant, Partner, Procurement


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
    )
)
