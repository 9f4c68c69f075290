"""Entries' names on a list's rows in the page's language, read with the rows.

A list's rows name entries (the row's own, its parties, participants, supplier,
the partner a position is held in); each is drawn as `entry.localized.name`
(partnerships/translations.py): its French or Arabic name where an editor gave
one, a country's name from the CLDR by its code, else the English one. So that
costs no query of its own, a list reads each name's translations and a
partner's country code and kind with the name, in the same queries as before.
A list still sorts by the English names (the ?sort= columns are the models').
"""

from dataclasses import dataclass

from ..links import slug_url
from ..models import Partner, Position
from ..translations import Translatable

# What a partner's name is read from in each language (see Partner.text_in).
PARTNER_NAME = ("name", "slug", "name_fr", "name_ar", "country_code", "kind")


def translations(field, prefix=""):
    """The columns of `field`'s French and Arabic texts: ("title_fr", "title_ar")."""
    return (f"{prefix}{field}_fr", f"{prefix}{field}_ar")


def partner_name(prefix):
    """A related partner's columns that name it in any language: "supplier__name", …"""
    return tuple(f"{prefix}{column}" for column in PARTNER_NAME)


@dataclass(frozen=True)
class ListedPartner:
    """A partner as a list's row names it, read as values (models.LinkedPartner with
    its name's translations): its name in the page's language is `.localized.name`,
    as a Partner's is."""

    name: str
    slug: str
    name_fr: str = ""
    name_ar: str = ""
    country_code: str = ""
    kind: str = ""
    role: str = ""

    # A Partner's reading of its name in another language, on these values.
    TRANSLATED_FIELDS = ("name",)
    Kind = Partner.Kind
    text_in = Translatable.text_in
    standard_text = Partner.standard_text
    localized = Translatable.localized

    def get_absolute_url(self):
        return slug_url("partnerships:partner-detail", self.slug)


def reading(queryset, *fields):
    """`queryset` reading `fields` too, beside those its only() names."""
    names, deferred = queryset.query.deferred_loading
    if deferred:  # defer(): every field not named is read already
        return queryset
    return queryset.only(*names, *fields)


def linking_partners(queryset, link_model, key, *, role=False):
    """`queryset` reading the partners each row links as ListedPartners
    (`linked_partners`), as WithLinkedPartners.linking does with their names only."""
    columns = (*partner_name("partner__"), *(("role",) if role else ()))
    return queryset.attaching(link_model, key, columns, (), "linked_partners", ListedPartner)


def listing_positions(queryset):
    """`queryset` (people) reading each one's positions (`listed_positions`) as PersonQuerySet.for_list
    does: (title, body, *the partner's PARTNER_NAME columns), in the order they were added."""
    columns = ("title", "body", *partner_name("partner__"))
    return queryset.attaching(Position, "person", columns, ("pk",), "listed_positions")
