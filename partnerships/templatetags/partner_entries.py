"""{% latest_agreements agreements %}, {% latest_exercises participations %} and
{% latest_equipment procurements partner %}: the list items of a partner page's
latest entries, drawn by Python as the lists' rows are (list_rows.py).

The markup the template's loops drew, byte for byte. On generated data a
partner page shows ten of each, and the three loops were a third of its time.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from ..links import pinned
from ..models import Agreement, ExerciseParticipant, Procurement
from .list_rows import link, text
from .precise_dates import precise_date

register = template.Library()


def lowered(choices):
    """value → its label in lower case, escaped, as {{ entry.get_FOO_display|lower }}."""
    labels = {value: escape(label.lower()) for value, label in choices}
    return lambda value: labels.get(value) or escape(str(value).lower())


agreement_kind = lowered(Agreement.Kind.choices)
agreement_status = lowered(Agreement.Status.choices)
role = lowered(ExerciseParticipant.Role.choices)
category = lowered(Procurement.Category.choices)


def items(item, entries, *args):
    with pinned():
        return mark_safe("".join(item(entry, *args) for entry in entries))  # items escape


def agreement_item(agreement):
    return (
        f"<li>{link(agreement, agreement.title)} — {agreement_kind(agreement.kind)}, "
        f"{precise_date(agreement.concluded)}, {agreement_status(agreement.status)}</li>"
    )


def exercise_item(participation):
    exercise = participation.exercise
    return (
        f"<li>{link(exercise, exercise.name)} — {role(participation.role)}, "
        f"{precise_date(exercise.starts)}</li>"
    )


def equipment_item(procurement, partner):
    if procurement.supplier_id == partner.pk:
        how = "supplied and built" if procurement.manufacturer_id == partner.pk else "supplied"
    else:
        how = "built"
    return (
        f"<li>{link(procurement, procurement.system)} — {category(procurement.category)}; "
        f"{how} by {text(partner.name)}; ordered {precise_date(procurement.ordered)}</li>"
    )


@register.simple_tag
def latest_agreements(agreements):
    return items(agreement_item, agreements)


@register.simple_tag
def latest_exercises(participations):
    return items(exercise_item, participations)


@register.simple_tag
def latest_equipment(procurements, partner):
    return items(equipment_item, procurements, partner)
