"""{% position_item position %}; {% engagement_items links %}, on a person's page and
a partner's; {% partner_people officials %} on a partner's page: the items
of the people's and engagements' short lists, drawn by Python as the lists' rows
are (list_rows.py), every value escaped here. Entries are named in the page's
language (`entry.localized`); a position's title and body, as stored."""

import functools
from html import escape
from types import SimpleNamespace

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..links import pinned
from ..models import Engagement, Role, position_text
from ..translations import page_language
from .list_rows import hedge_mark, link, text
from .partner_entries import lowered
from .precise_dates import precise_date

register = template.Library()

engagement_kind = lowered(Engagement.Kind)
role = lowered(Role)


def _unknown(words):
    return mark_safe('<span class="unknown">' + escape(words) + "</span>")  # escaped


@functools.lru_cache(maxsize=8)
def _patterns(language):
    """The items' words in `language` (the active one), escaped as text is: the values
    put in them are HTML already."""
    return SimpleNamespace(
        from_to=escape(pgettext("when a position was held", "from %(start)s to %(end)s")),
        since=escape(pgettext("when a position was held", "from %(start)s")),
        until=escape(pgettext("when a position was held", "until %(end)s")),
        where=escape(pgettext("a position and where it is held", "%(title)s, %(where)s")),
        when=escape(pgettext("a position and when it was held", "%(position)s (%(when)s)")),
        undated=_unknown(_("undated")),
        engagement=escape(
            pgettext(
                "an engagement in a list of a person's or partner's",
                "%(engagement)s — %(kind)s, %(date)s; %(part)s",
            )
        ),
        role_not_stated=escape(_("role not stated")),
        as_role=escape(pgettext("the part taken in an engagement", "as %(role)s")),
        official=escape(
            pgettext("a person and the positions they hold", "%(person)s — %(titles)s")
        ),
        semicolon=escape(pgettext("between the items of a list of phrases", "; ")),
    )


def patterns():
    return _patterns(page_language())


def _items(item, entries):
    with pinned():
        return mark_safe("".join(item(entry) for entry in entries))  # items escape


def held(position):
    """ "from March 2014 to 2024", "from 2014", "until 2019", or ""."""
    starts, ends = position.starts, position.ends
    words = patterns()
    if starts.stated and ends.stated:
        return words.from_to % {"start": precise_date(starts), "end": precise_date(ends)}
    if starts.stated:
        return words.since % {"start": precise_date(starts)}
    if ends.stated:
        return words.until % {"end": precise_date(ends)}
    return ""


def _with_when(position, words_html):
    """The position's words followed by when it was held, where that is known."""
    when = held(position)
    return patterns().when % {"position": words_html, "when": when} if when else words_html


@register.simple_tag
def position_item(position):
    """A position on its holder's page: title, body (linked where it is a partner),
    when."""
    with pinned():
        where = (
            link(position.partner, position.partner.localized.name)
            if position.partner_id
            else text(position.body)
        )
        title = text(position.title)
        words = patterns().where % {"title": title, "where": where} if where else title
        return mark_safe(_with_when(position, words))  # escaped above


@register.simple_tag
def position_words(position):
    """A position as plain text, as models.position_text() says it: "Secretary General,
    NATO (from 2014)", the partner named in the page's language."""
    partner = str(position.partner.localized.name) if position.partner_id else ""
    return position_text(position, partner)


def _engagement(link_row):
    """An engagement with the part its partner or person took in it."""
    words = patterns()
    engagement = link_row.engagement
    when = precise_date(engagement.starts) if engagement.starts.stated else words.undated
    if link_row.role == Role.UNSTATED:
        part = words.role_not_stated
    else:
        part = words.as_role % {"role": role(link_row.role)}
    said = words.engagement % {
        "engagement": link(engagement, engagement.localized.title) + hedge_mark(engagement),
        "kind": engagement_kind(engagement.kind),
        "date": when,
        "part": part,
    }
    return f"<li>{said}</li>"


@register.simple_tag
def engagement_items(links):
    """The engagements of EngagementPerson or EngagementPartner rows, with their roles."""
    return _items(_engagement, links)


def _official(official):
    person, positions = official
    words = patterns()
    titles = words.semicolon.join(
        _with_when(position, text(position.title)) for position in positions
    )
    said = words.official % {"person": link(person, person.localized.name), "titles": titles}
    return f"<li>{said}</li>"


@register.simple_tag
def partner_people(officials):
    return _items(_official, officials)
