"""The registry of entry types: each type declared once, and every registered type has
working history, compare, as-of, recent changes and feed entries."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from partnerships.history.registry import EntryType, Registry, RelationType, entry_types
from partnerships.models import Agreement, Partner
from sources.models import Citation

from .conftest import (
    make_agreement,
    make_citation,
    make_exercise,
    make_partner,
    make_procurement,
    make_source,
    page_text,
)
from .history_factories import make_engagement, make_indicator, make_person, saved

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"

# How to make an entry of each registered type. A new type needs one here.
FACTORIES = {
    "partner": lambda: make_citation(make_partner()).partner,
    "agreement": lambda: make_citation(make_agreement(parties=[make_partner()])).agreement,
    "exercise": lambda: make_citation(make_exercise(participants=[make_partner()])).exercise,
    "equipment": lambda: make_citation(make_procurement()).procurement,
    "person": lambda: (
        make_citation(
            make_person(positions=[{"title": "Secretary General", "partner": make_partner()}])
        ).person
    ),
    "engagement": lambda: (
        make_citation(
            make_engagement(partners=[make_partner()], people=[make_person()])
        ).engagement
    ),
    "indicator": lambda: (
        make_citation(make_indicator(values=[{"period": None, "value": 5}])).indicator
    ),
    "source": make_source,
}
# A text field of each type to edit.
EDITED = {"source": "reliability_note"}


def test_it_knows_a_factory_for_every_registered_type():
    assert [entry_type.name for entry_type in entry_types] == list(FACTORIES)


@pytest.mark.parametrize("name", list(FACTORIES))
def test_it_gives_every_registered_type_its_history_pages(client, superuser_client, name):
    entry_type = entry_types.by_name(name)
    entry = FACTORIES[name]()
    setattr(entry, EDITED.get(name, "summary"), "Changed <b>here</b>.")
    saved(entry, timezone.now(), f"Edit the {name}")
    label = entry_type.label_of(entry)
    history_url = entry_type.history_url(entry.slug)

    history = client.get(history_url)
    latest = client.get(f"{history_url}latest/")
    compared = client.get(f"{history_url}compare/", {"to": "latest"})
    as_of = client.get(entry_type.detail_url(entry.slug), {"as_of": f"{timezone.now():%Y-%m-%d}"})
    recent = client.get("/changes/", {"type": name})
    feed = client.get("/changes/feed/", {"type": name})
    admin_history = superuser_client.get(
        f"/admin/{entry._meta.app_label}/{entry._meta.model_name}/{entry.pk}/history/"
    )

    for response in (history, latest, compared, as_of, recent, feed, admin_history):
        assert response.status_code == 200, response.request["PATH_INFO"]
    assert f"History of {label}" in page_text(history)
    assert f"Edit the {name}" in page_text(latest)
    assert "<ins>here</ins>" not in compared.content.decode()  # escaped, then marked
    assert "&lt;b&gt;here&lt;/b&gt;" in compared.content.decode()
    assert f"{label} as it stood on" in page_text(as_of)
    assert f"{label} ({name}) changed" in page_text(recent)
    titles = [e.findtext(f"{ATOM}title") for e in ET.fromstring(feed.content).iter(f"{ATOM}entry")]
    assert f"{label} ({name}) — changed" in titles
    assert f"Edit the {name}" in page_text(admin_history)


def test_it_refuses_a_type_registered_twice():
    registry = Registry()
    registry.register(EntryType("partner", "partners", "Partners", Partner, "name", "x"))

    with pytest.raises(ValueError, match="registered twice"):
        registry.register(EntryType("partner", "others", "Others", Agreement, "title", "y"))
    with pytest.raises(ValueError, match="two entry types"):
        registry.register(EntryType("other", "others", "Others", Partner, "name", "y"))


def test_it_finds_the_entry_a_relation_row_belongs_to():
    agreement = make_agreement(parties=[make_partner()])
    citation = make_citation(agreement)

    assert entry_types.owner_of(citation) == (entry_types.by_name("agreement"), agreement.pk)
    assert entry_types.owner_of(citation.history.get()) == (
        entry_types.by_name("agreement"),
        agreement.pk,
    )
    assert entry_types.owner_of(agreement) == (entry_types.by_name("agreement"), agreement.pk)


def test_it_declares_each_relation_once_with_its_names():
    relations = [
        (entry_type.name, relation.revision_type, relation.fk, relation.token)
        for entry_type in entry_types
        for relation in entry_type.relations
    ]

    assert relations == [
        ("partner", "citation", "partner", "citation"),
        ("agreement", "agreementparty", "agreement", "party"),
        ("agreement", "citation", "agreement", "citation"),
        ("exercise", "exerciseparticipant", "exercise", "participant"),
        ("exercise", "citation", "exercise", "citation"),
        ("equipment", "citation", "procurement", "citation"),
        ("person", "position", "person", "position"),
        ("person", "citation", "person", "citation"),
        ("engagement", "engagementpartner", "engagement", "partner"),
        ("engagement", "engagementperson", "engagement", "person"),
        ("engagement", "citation", "engagement", "citation"),
        ("indicator", "indicatorvalue", "indicator", "value"),
        ("indicator", "citation", "indicator", "citation"),
    ]
    assert all(isinstance(r, RelationType) for t in entry_types for r in t.links)
    assert Citation in {r.model for r in entry_types.by_name("source").links}
