"""Partners found from what a reader types: the one a filter's partner box names
(partnerships.filters.PartnerField) and the suggestions shown while typing.

The filter forms never list every partner: the box takes a name or slug, and
with JavaScript on, static/js/partner-suggestions.js asks
`partner_suggestions` for the partners that match what has been typed so far.

On a French or Arabic page a partner is also found by its name in that language
(an editor's, or a country's from the CLDR), and suggested by it: "Espagne" is
Spain. The English names still order the suggestions.
"""

import json
import re

from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .compiled import Compiled
from .models import Partner
from .translations import TRANSLATED, country_names, page_language

# Longer than any name, short name or slug a partner can have.
TYPED_MAX_LENGTH = 200
SUGGESTIONS = 10
# What a partner is read with, to be named in any language (Partner.text_in).
NAMED = ("name", "slug", "name_fr", "name_ar", "country_code", "kind")


# Every filtered list names its partner by slug: that query compiled once (compiled.py).
BY_SLUG = Compiled(lambda slug: Partner.objects.only(*NAMED).filter(slug=slug)[:1], slug=str)


def partners_named(text):
    """The partners `text` names, best matches only: [] for none, two for ambiguous.

    By slug first (the URL's spelling: one indexed query); else, in one more
    query, by slug, name (or name in the page's language) or short name in any
    case, else by one of the aliases.
    """
    found = BY_SLUG.all(slug=text)
    if found:
        return found
    partners = Partner.objects.only(*NAMED)
    # Aliases are one per line of a text field: the typed text must be a whole line.
    alias = rf"(^|\n)[ \t]*{re.escape(text)}[ \t]*(\r?\n|$)"
    exact = _or(Q(slug__iexact=text) | Q(name__iexact=text), _in_page_language(text, "iexact"))
    rank = Case(
        When(exact, then=Value(0)),
        When(short_name__iexact=text, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    named = (
        partners.filter(exact | Q(short_name__iexact=text) | Q(aliases__iregex=alias))
        .annotate(rank=rank)
        .order_by("rank", "name", "pk")[:2]
    )
    found = list(named)
    return [partner for partner in found if partner.rank == found[0].rank] if found else []


def _or(condition, other):
    return condition if other is None else condition | other


def _in_page_language(text, lookup):
    """Partners whose name in the page's language (French or Arabic) matches `text` by
    `lookup` ("iexact", "icontains", "istartswith"); None on an English page."""
    language = page_language()
    if language not in TRANSLATED:
        return None
    typed = text.casefold()
    test = {
        "iexact": typed.__eq__,
        "icontains": lambda name: typed in name,
        "istartswith": lambda name: name.startswith(typed),
    }[lookup]
    codes = [code for code, name in country_names(language).items() if test(name.casefold())]
    named = Q(**{f"name_{language}__{lookup}": text})
    return (named | Q(kind=Partner.Kind.COUNTRY, country_code__in=codes)) if codes else named


def suggestions(text):
    """At most SUGGESTIONS partners whose name (in English, or the page's language)
    contains `text` or whose short name or slug starts with it, those whose name
    starts with it first, each named in the page's language: one query."""
    slug = slugify(text)
    matches = _or(
        Q(name__icontains=text) | Q(short_name__istartswith=text),
        _in_page_language(text, "icontains"),
    )
    if slug:
        matches |= Q(slug__startswith=slug)
    rank = Case(
        When(
            _or(Q(name__istartswith=text), _in_page_language(text, "istartswith")), then=Value(0)
        ),
        When(short_name__istartswith=text, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    found = (
        Partner.objects.filter(matches)
        .annotate(rank=rank)
        .order_by("rank", "name", "pk")
        .only(*NAMED)[:SUGGESTIONS]
    )
    # The name as a string: in the page's language where it has one.
    return [{"name": str(partner.localized.name), "slug": partner.slug} for partner in found]


@require_safe
def partner_suggestions(request):
    """GET ?q=isr: {"partners": [{"name": "Israel", "slug": "israel"}, …]}, at most ten."""
    text = request.GET.get("q", "").strip()
    if "\x00" in text:
        return _refuse(_("A partner's name cannot contain a NUL character."))
    if len(text) > TYPED_MAX_LENGTH:
        return _refuse(
            _("Type at most %(limit)s characters of a partner's name (this has %(length)s).")
            % {"limit": TYPED_MAX_LENGTH, "length": len(text)}
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
