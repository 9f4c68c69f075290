"""{% position_item position %}; {% engagement_items links %}, on a person's page and
a partner's; {% partner_people officials %} on a partner's page: the items
of the people's and engagements' short lists, drawn by Python as the lists' rows
are (list_rows.py), every value escaped here."""

from django import template
from django.utils.safestring import mark_safe

from ..links import pinned
from ..models import Engagement, Role
from .list_rows import hedge_mark, link, text
from .partner_entries import lowered
from .precise_dates import precise_date

register = template.Library()

engagement_kind = lowered(Engagement.Kind.choices)
role = lowered(Role.choices)


def _items(item, entries):
    with pinned():
        return mark_safe("".join(item(entry) for entry in entries))  # items escape


def held(position):
    """ "from March 2014 to 2024", "from 2014", "until 2019", or ""."""
    starts, ends = position.starts, position.ends
    if starts.stated and ends.stated:
        return f"from {precise_date(starts)} to {precise_date(ends)}"
    if starts.stated:
        return f"from {precise_date(starts)}"
    if ends.stated:
        return f"until {precise_date(ends)}"
    return ""


@register.simple_tag
def position_item(position):
    """A position on its holder's page: title, body (linked where it is a partner),
    when."""
    with pinned():
        where = (
            link(position.partner, position.partner.name)
            if position.partner_id
            else text(position.body)
        )
        words = f"{text(position.title)}, {where}" if where else text(position.title)
        when = held(position)
        return mark_safe(f"{words} ({when})" if when else words)  # escaped above


UNDATED = mark_safe('<span class="unknown">undated</span>')  # a constant


def _engagement(link_row):
    """An engagement with the part its partner or person took in it."""
    engagement = link_row.engagement
    when = precise_date(engagement.starts) if engagement.starts.stated else UNDATED
    part = "role not stated" if link_row.role == Role.UNSTATED else f"as {role(link_row.role)}"
    return (
        f"<li>{link(engagement, engagement.title)}{hedge_mark(engagement)} — "
        f"{engagement_kind(engagement.kind)}, {when}; {part}</li>"
    )


@register.simple_tag
def engagement_items(links):
    """The engagements of EngagementPerson or EngagementPartner rows, with their roles."""
    return _items(_engagement, links)


def _official(official):
    person, positions = official
    titles = "; ".join(
        f"{text(position.title)}{f' ({held(position)})' if held(position) else ''}"
        for position in positions
    )
    return f"<li>{link(person, person.name)} — {titles}</li>"


@register.simple_tag
def partner_people(officials):
    return _items(_official, officials)
