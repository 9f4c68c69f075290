"""Entry addresses reversed once per pattern (partnerships/links.py) are reverse()'s own."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from partnerships.links import site_link, slug_url


@pytest.mark.parametrize(
    ("name", "slugs", "fixed"),
    [
        ("partnerships:agreement-detail", ["israel-hermes-2021"], ()),
        ("sources:source-detail", ["a_b-9"], ()),
        ("partnerships:entry-history", ["african-lion-2024"], ("exercises",)),
        ("partnerships:entry-revision", ["spain", "p12"], ("partners",)),
        ("partnerships:entry-revision", ["spain", "12"], ("sources",)),
    ],
)
def test_it_gives_the_address_reverse_gives(name, slugs, fixed):
    assert slug_url(name, *slugs, fixed=fixed) == reverse(name, args=[*fixed, *slugs])


def test_a_value_that_is_not_a_slug_is_left_to_reverse():
    # Quoted by reverse() as it would be; never spliced into a cached pattern.
    assert slug_url("partnerships:entry-revision", "spain", "a b", fixed=("partners",)) == (
        reverse("partnerships:entry-revision", args=["partners", "spain", "a b"])
    )


def test_it_follows_the_script_prefix():
    set_script_prefix("/wiki/")
    try:
        assert slug_url("partnerships:partner-detail", "spain") == "/wiki/partners/spain/"
        assert site_link("timeline") == "/wiki/timeline/"
    finally:
        clear_script_prefix()
    assert slug_url("partnerships:partner-detail", "spain") == "/partners/spain/"
