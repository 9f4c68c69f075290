"""The fixtures' names in French and Arabic: a country is named by the Unicode CLDR
from its ISO code, an organization or an exercise by the standard name the files
give it, and an entry with no name in a language is shown in English, marked as such.
Loading again changes nothing; a key the loader does not know still stops it."""

import tomllib
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import translation

from partnerships.models import Agreement, Exercise, Partner, Person

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def entries():
    with (FIXTURES / "entries.toml").open("rb") as handle:
        return tomllib.load(handle)


def record(kind, slug):
    return next(r for r in entries()[kind] if r["slug"] == slug)


@pytest.fixture(scope="module", autouse=True)
def loaded(django_db_setup, django_db_blocker):
    """The fixtures, loaded once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_fixtures", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_it_names_a_country_in_french_and_arabic_from_the_cldr():
    spain = Partner.objects.get(slug="spain")

    assert spain.country_code == "ES"
    assert spain.name_fr == "" and spain.name_ar == ""  # no name is typed in the files
    assert spain.text_in("name", "fr") == "Espagne"
    assert spain.text_in("name", "ar") == "إسبانيا"
    assert spain.text_in("name", "en") == "Spain"


def test_it_gives_every_country_an_iso_code():
    countries = Partner.objects.filter(kind=Partner.Kind.COUNTRY)

    assert countries.exists()
    assert not countries.filter(country_code="").exists()
    with translation.override("fr"):
        french = {partner.slug: str(partner.localized.name) for partner in countries}
    assert french["germany"] == "Allemagne"
    assert french["united-states"] == "États-Unis"


def test_it_loads_an_organization_names_and_abbreviations_as_the_files_give_them():
    nato = Partner.objects.get(slug="nato")
    given = record("partners", "nato")

    assert nato.name_ar == given["name_ar"]
    assert nato.name_fr == given["name_fr"]
    assert nato.aliases_fr.splitlines() == given["aliases_fr"] == ["OTAN"]
    assert nato.aliases_ar.splitlines() == given["aliases_ar"]
    with translation.override("ar"):
        assert nato.localized.name == given["name_ar"]
        assert nato.localized.name.lang == "ar"


def test_it_loads_an_exercise_name_in_french_and_arabic():
    exercise = Exercise.objects.get(slug="african-lion-2024")
    given = record("exercises", "african-lion-2024")

    assert exercise.name_fr == given["name_fr"] == "African Lion 2024"
    assert exercise.name_ar == given["name_ar"]
    assert "الأسد الإفريقي" in exercise.name_ar


@pytest.mark.parametrize(
    ("language", "name"),
    [("fr", "African Lion 2024"), ("ar", "الأسد الإفريقي 2024"), ("en", "African Lion 2024")],
)
def test_it_reads_the_exercise_under_its_name_in_the_page_language(language, name):
    exercise = Exercise.objects.get(slug="african-lion-2024")

    with translation.override(language):
        localized = exercise.localized.name

    assert localized == name
    assert localized.lang == language  # in the page's language: not marked as English


def test_it_leaves_people_and_summaries_in_english():
    person = Person.objects.get(slug="todd-wasmund")
    agreement = Agreement.objects.get(slug="nato-mediterranean-dialogue")

    assert person.name_fr == person.name_ar == ""
    assert agreement.summary_fr == agreement.summary_ar == ""
    assert agreement.title_fr and agreement.title_ar
    with translation.override("fr"):
        assert person.localized.name.lang == "en"
        assert agreement.localized.summary.lang == "en"


def test_it_changes_nothing_when_loaded_again():
    before = [
        (partner.slug, partner.country_code, partner.name_fr, partner.aliases_ar)
        for partner in Partner.objects.order_by("slug")
    ]

    out = StringIO()
    call_command("load_fixtures", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines
    for line in lines:
        assert ": 0 created, 0 updated, " in line
    after = [
        (partner.slug, partner.country_code, partner.name_fr, partner.aliases_ar)
        for partner in Partner.objects.order_by("slug")
    ]
    assert after == before


def test_it_rejects_a_translation_key_no_entry_has(tmp_path):
    for name in ("sources.toml", "entries.toml"):
        (tmp_path / name).write_bytes((FIXTURES / name).read_bytes())
    (tmp_path / "sources").symlink_to(FIXTURES / "sources")
    text = (tmp_path / "entries.toml").read_text(encoding="utf-8")
    (tmp_path / "entries.toml").write_text(
        text.replace('name = "Spain"\n', 'name = "Spain"\nname_es = "España"\n', 1),
        encoding="utf-8",
    )

    with pytest.raises(CommandError, match=r"partner 'spain': unknown keys \['name_es'\]"):
        call_command("load_fixtures", directory=tmp_path, stdout=StringIO())
