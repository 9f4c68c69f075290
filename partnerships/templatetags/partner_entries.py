"""{% latest_agreements agreements %}, {% latest_exercises participations %} and
{% latest_equipment procurements partner %}: the list items of a partner page's
latest entries, drawn by Python as the lists' rows are (list_rows.py);
{% aliases partner %}, the partner's other names.

The markup the template's loops drew, byte for byte. On generated data a
partner page shows ten of each, and the three loops were a third of its time.
Entries are named in the page's language (`entry.localized`), and the words
around them are the language's, their patterns looked up once per language.
"""

import functools
from html import escape
from types import SimpleNamespace

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext

from ..links import pinned
from ..models import Agreement, ExerciseParticipant, Procurement, choice_label
from ..translations import page_language
from .list_rows import link, text
from .precise_dates import precise_date

register = template.Library()


def lowered(choices):
    """value → its label among `choices` (a TextChoices class) in the page's language, in
    lower case, escaped, as {{ entry.get_FOO_display|lower }}."""
    return lambda value: escape(choice_label(choices, value).lower())


agreement_kind = lowered(Agreement.Kind)
agreement_status = lowered(Agreement.Status)
role = lowered(ExerciseParticipant.Role)
category = lowered(Procurement.Category)


@functools.lru_cache(maxsize=8)
def _patterns(language):
    """The items' sentences in `language` (the active one), escaped as text is: the values
    put in them are HTML already."""
    return SimpleNamespace(
        agreement=escape(
            pgettext(
                "an agreement on a partner's page",
                "%(agreement)s — %(kind)s, %(date)s, %(status)s",
            )
        ),
        exercise=escape(
            pgettext("an exercise on a partner's page", "%(exercise)s — %(role)s, %(date)s")
        ),
        supplied_and_built=escape(
            pgettext(
                "equipment on a partner's page",
                "%(system)s — %(category)s; supplied and built by %(partner)s; ordered %(date)s",
            )
        ),
        supplied=escape(
            pgettext(
                "equipment on a partner's page",
                "%(system)s — %(category)s; supplied by %(partner)s; ordered %(date)s",
            )
        ),
        built=escape(
            pgettext(
                "equipment on a partner's page",
                "%(system)s — %(category)s; built by %(partner)s; ordered %(date)s",
            )
        ),
        comma=escape(pgettext("between the items of a list", ", ")),
    )


def patterns():
    return _patterns(page_language())


def items(item, entries, *args):
    with pinned():
        return mark_safe("".join(item(entry, *args) for entry in entries))  # items escape


def agreement_item(agreement):
    said = patterns().agreement % {
        "agreement": link(agreement, agreement.localized.title),
        "kind": agreement_kind(agreement.kind),
        "date": precise_date(agreement.concluded),
        "status": agreement_status(agreement.status),
    }
    return f"<li>{said}</li>"


def exercise_item(participation):
    exercise = participation.exercise
    said = patterns().exercise % {
        "exercise": link(exercise, exercise.localized.name),
        "role": role(participation.role),
        "date": precise_date(exercise.starts),
    }
    return f"<li>{said}</li>"


def equipment_item(procurement, partner):
    words = patterns()
    if procurement.supplier_id != partner.pk:
        how = words.built
    elif procurement.manufacturer_id == partner.pk:
        how = words.supplied_and_built
    else:
        how = words.supplied
    said = how % {
        "system": link(procurement, procurement.localized.system),
        "category": category(procurement.category),
        "partner": text(partner.localized.name),
        "date": precise_date(procurement.ordered),
    }
    return f"<li>{said}</li>"


@register.simple_tag
def latest_agreements(agreements):
    return items(agreement_item, agreements)


@register.simple_tag
def latest_exercises(participations):
    return items(exercise_item, participations)


@register.simple_tag
def latest_equipment(procurements, partner):
    return items(equipment_item, procurements, partner)


@register.simple_tag
def aliases(partner):
    """The partner's other names in the page's language, one after another, isolated
    (<bdi>) and marked lang="en" where they are the English ones on a French or Arabic
    page; "" when it has none."""
    names = partner.localized.aliases
    listed = [escape(line.strip()) for line in names.splitlines() if line.strip()]
    if not listed:
        return ""
    lang = f' lang="{names.lang}"' if names.foreign else ""
    return mark_safe(f"<bdi{lang}>{patterns().comma.join(listed)}</bdi>")  # escaped above
