"""Partners found from what a reader types: the one a filter's partner box names
(partnerships.filters.PartnerField) and the suggestions shown while typing.

The filter forms never list every partner: the box takes a name or slug, and
with JavaScript on, static/js/partner-suggestions.js asks
`partner_suggestions` for the partners that match what has been typed so far.
"""

import json
import re

from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpResponse
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from .compiled import Compiled
from .models import Partner

# Longer than any name, short name or slug a partner can have.
TYPED_MAX_LENGTH = 200
SUGGESTIONS = 10


# Every filtered list names its partner by slug: that query compiled once (compiled.py).
BY_SLUG = Compiled(
    lambda slug: Partner.objects.only("name", "slug").filter(slug=slug)[:1], slug=str
)


def partners_named(text):
    """The partners `text` names, best matches only: [] for none, two for ambiguous.

    By slug first (the URL's spelling: one indexed query); else, in one more
    query, by slug, name or short name in any case, else by one of the aliases.
    """
    found = BY_SLUG.all(slug=text)
    if found:
        return found
    partners = Partner.objects.only("name", "slug")
    # Aliases are one per line of a text field: the typed text must be a whole line.
    alias = rf"(^|\n)[ \t]*{re.escape(text)}[ \t]*(\r?\n|$)"
    rank = Case(
        When(Q(slug__iexact=text) | Q(name__iexact=text), then=Value(0)),
        When(short_name__iexact=text, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    named = (
        partners.filter(
            Q(slug__iexact=text)
            | Q(name__iexact=text)
            | Q(short_name__iexact=text)
            | Q(aliases__iregex=alias)
        )
        .annotate(rank=rank)
        .order_by("rank", "name", "pk")[:2]
    )
    found = list(named)
    return [partner for partner in found if partner.rank == found[0].rank] if found else []


def suggestions(text):
    """At most SUGGESTIONS partners whose name contains `text` or whose short name or slug
    starts with it, those whose name starts with it first: one query."""
    slug = slugify(text)
    matches = Q(name__icontains=text) | Q(short_name__istartswith=text)
    if slug:
        matches |= Q(slug__startswith=slug)
    rank = Case(
        When(name__istartswith=text, then=Value(0)),
        When(short_name__istartswith=text, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return list(
        Partner.objects.filter(matches)
        .annotate(rank=rank)
        .order_by("rank", "name", "pk")
        .values("name", "slug")[:SUGGESTIONS]
    )


@require_safe
def partner_suggestions(request):
    """GET ?q=isr: {"partners": [{"name": "Israel", "slug": "israel"}, …]}, at most ten."""
    text = request.GET.get("q", "").strip()
    if "\x00" in text:
        return _refuse("A partner's name cannot contain a NUL character.")
    if len(text) > TYPED_MAX_LENGTH:
        return _refuse(
            f"Type at most {TYPED_MAX_LENGTH} characters of a partner's name "
            f"(this has {len(text)})."
        )
    return _json({"partners": suggestions(text) if text else []})


def _refuse(message):
    return _json({"error": message}, status=400)


# As json_script does: no "<", ">" or "&" that an HTML parser could act on, should
# the answer ever be read as HTML. JSON has them only inside strings, where these
# escapes mean the same characters.
HTML_SAFE = str.maketrans({"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"})


def _json(data, status=200):
    return HttpResponse(
        json.dumps(data).translate(HTML_SAFE), content_type="application/json", status=status
    )
