"""A citation's quote must occur in its source's text, typography aside."""

import pytest
from django.core.exceptions import ValidationError

from partnerships.models import Partner
from sources.models import Citation
from sources.text import normalize, quote_in_text

from .conftest import (
    QUOTE,
    SOURCE_TEXT,
    WRONG_QUOTE,
    admin_form_data,
    error_messages,
    make_citation,
    make_partner,
    make_source,
)

# -- normalize / quote_in_text -----------------------------------------------


def test_it_makes_curly_and_straight_single_quotes_the_same():
    assert normalize("Morocco’s ‘ally’") == normalize("Morocco's 'ally'") == "Morocco's 'ally'"


def test_it_makes_curly_and_straight_double_quotes_the_same():
    assert normalize("the “African Lion” exercise") == 'the "African Lion" exercise'


def test_it_makes_en_and_em_dashes_hyphens():
    assert normalize("2023–2024 — a year") == "2023-2024 - a year"


def test_it_collapses_line_breaks_and_repeated_spaces():
    assert normalize("  drew thousands of\ntroops \r\n\t from   many  ") == (
        "drew thousands of troops from many"
    )


def test_it_spells_out_an_ellipsis():
    assert normalize("worth $500 million…") == "worth $500 million..."


def test_it_drops_invisible_characters():
    assert normalize("mod\u00adern\u200bising") == "modernising"


@pytest.mark.parametrize(
    "quote",
    [
        QUOTE,
        "Morocco's armed forces are modernising quickly.",
        'The "African Lion" exercise',
        "The “African Lion” exercise – held every year – drew",
        "held every year - drew thousands of troops from many countries.",
        "drew   thousands of troops",
        "the deal was worth $500 million...",
    ],
)
def test_it_finds_a_quote_whatever_its_typography(quote):
    assert quote_in_text(quote, SOURCE_TEXT)


def test_it_finds_a_typographic_quote_in_a_plain_text():
    assert quote_in_text("“Spain’s partner” — since 1994…", '"Spain\'s partner" - since 1994...')


@pytest.mark.parametrize("quote", ["", "   ", "\n\t"])
def test_it_finds_no_empty_quote(quote):
    assert not quote_in_text(quote, SOURCE_TEXT)


@pytest.mark.parametrize(
    "quote",
    [
        WRONG_QUOTE,
        "Moroccos armed forces are modernising quickly.",
        "The African Lion exercise",
    ],
)
def test_it_does_not_find_a_quote_that_is_not_there(quote):
    assert not quote_in_text(quote, SOURCE_TEXT)


# -- Citation.full_clean -------------------------------------------------------


@pytest.mark.django_db
def test_it_accepts_a_quote_from_the_source():
    make_citation(quote=QUOTE).full_clean()


@pytest.mark.django_db
def test_it_accepts_a_quote_with_straight_quote_marks():
    make_citation(quote="Morocco's armed forces are modernising quickly.").full_clean()


@pytest.mark.django_db
def test_it_accepts_a_quote_broken_across_lines():
    make_citation(
        quote="The “African Lion” exercise — held every year — drew thousands"
    ).full_clean()


@pytest.mark.django_db
def test_it_refuses_a_quote_that_is_not_in_the_source_naming_the_source():
    citation = make_citation(source=make_source(title="US-Moroccan military partnership"))
    citation.quote = WRONG_QUOTE

    with pytest.raises(ValidationError) as excinfo:
        citation.full_clean()

    assert excinfo.value.message_dict["quote"] == [
        "This quote does not occur in “US-Moroccan military partnership”. Copy the sentence "
        "exactly as the source has it (quote marks, dashes and line breaks may differ)."
    ]


@pytest.mark.django_db
def test_it_checks_the_quote_against_its_own_source_only():
    other = make_source(full_text="A completely different document.")
    citation = make_citation(source=other)

    with pytest.raises(ValidationError) as excinfo:
        citation.full_clean()

    assert list(excinfo.value.message_dict) == ["quote"]


# -- the admin -----------------------------------------------------------------

CITATION_ADD = "/admin/sources/citation/add/"
PARTNER_ADD = "/admin/partnerships/partner/add/"


@pytest.mark.django_db
def test_it_shows_a_wrong_quote_to_the_editor_and_saves_nothing(editor_client):
    source, partner = make_source(title="NATO analysis"), make_partner()
    data = admin_form_data(
        editor_client.get(CITATION_ADD),
        {
            "source": source.pk,
            "partner": partner.pk,
            "quote": WRONG_QUOTE,
            "note": "modernisation",
            "edit_summary": "Cite the NATO analysis",
        },
    )

    response = editor_client.post(CITATION_ADD, data)

    assert response.status_code == 200
    assert "This quote does not occur in “NATO analysis”." in response.content.decode()
    assert error_messages(response) == [
        "This quote does not occur in “NATO analysis”. Copy the sentence exactly as the "
        "source has it (quote marks, dashes and line breaks may differ)."
    ]
    assert not Citation.objects.exists()
    assert not Citation.history.exists()


@pytest.mark.django_db
def test_it_saves_a_right_quote_from_the_editor(editor_client, editor):
    source, partner = make_source(), make_partner()
    data = admin_form_data(
        editor_client.get(CITATION_ADD),
        {
            "source": source.pk,
            "partner": partner.pk,
            # Pasted from a word processor: straight apostrophe, no matter.
            "quote": "Morocco's armed forces are modernising quickly.",
            "note": "modernisation",
            "edit_summary": "Cite the report",
        },
    )

    response = editor_client.post(CITATION_ADD, data)

    assert response.status_code == 302
    citation = Citation.objects.get()
    assert citation.entry == partner
    assert citation.source == source
    revision = citation.history.get()
    assert (revision.history_user, revision.history_change_reason) == (editor, "Cite the report")


def _new_partner_with_citation(client, quote):
    source = make_source(title="The explainer")
    data = admin_form_data(
        client.get(PARTNER_ADD),
        {
            "name": "Italy",
            "slug": "italy",
            "kind": Partner.Kind.COUNTRY,
            "citations-0-source": source.pk,
            "citations-0-quote": quote,
            "citations-0-note": "modernisation",
            "edit_summary": "Add Italy",
        },
    )
    return client.post(PARTNER_ADD, data)


@pytest.mark.django_db
def test_it_refuses_a_wrong_inline_quote_and_saves_neither_entry_nor_citation(editor_client):
    response = _new_partner_with_citation(editor_client, WRONG_QUOTE)

    assert response.status_code == 200
    assert "This quote does not occur in “The explainer”." in response.content.decode()
    assert not Partner.objects.exists()
    assert not Citation.objects.exists()
    assert not Partner.history.exists()


@pytest.mark.django_db
def test_it_saves_an_entry_with_a_right_inline_quote(editor_client, editor):
    response = _new_partner_with_citation(editor_client, QUOTE)

    assert response.status_code == 302
    partner = Partner.objects.get(slug="italy")
    citation = partner.citations.get()
    assert citation.quote == QUOTE
    revision = citation.history.get()
    assert (revision.history_user, revision.history_change_reason) == (editor, "Add Italy")


@pytest.mark.django_db
def test_it_requires_the_citation_row_of_a_new_entry_to_be_filled(editor_client):
    data = admin_form_data(
        editor_client.get(PARTNER_ADD),
        {"name": "Italy", "slug": "italy", "kind": "country", "edit_summary": "Add Italy"},
    )

    response = editor_client.post(PARTNER_ADD, data)

    assert response.status_code == 200
    # The row's source and quote (its facts start ticked at "existence"; its note is optional).
    assert error_messages(response).count("This field is required.") == 2
    assert not Partner.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_new_entry_whose_citation_row_was_removed(editor_client):
    data = admin_form_data(
        editor_client.get(PARTNER_ADD),
        {
            "name": "Italy",
            "slug": "italy",
            "kind": "country",
            "edit_summary": "Add Italy",
            # What the admin sends when the editor removes the citation row.
            "citations-TOTAL_FORMS": 0,
        },
    )

    response = editor_client.post(PARTNER_ADD, data)

    assert response.status_code == 200
    assert "Please submit at least 1 form." in error_messages(response)
    assert not Partner.objects.exists()


@pytest.mark.django_db
def test_it_refuses_to_delete_the_only_citation_of_an_entry(editor_client):
    citation = make_citation()
    url = f"/admin/partnerships/partner/{citation.partner_id}/change/"
    data = admin_form_data(
        editor_client.get(url),
        {"citations-0-DELETE": True, "edit_summary": "Drop the citation"},
    )

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "Please submit at least 1 form." in error_messages(response)
    assert Citation.objects.filter(pk=citation.pk).exists()


# -- a source's text and the quotes taken from it ------------------------------------


@pytest.mark.django_db
def test_it_refuses_a_source_text_that_drops_a_cited_quote():
    citation = make_citation()
    source = citation.source
    source.full_text = source.full_text.replace("modernising quickly", "modernising")

    with pytest.raises(ValidationError) as error:
        source.full_clean()

    message = " ".join(error.value.message_dict["full_text"])
    assert "no longer contains 1 quote(s) cited from it" in message
    assert "Morocco’s armed forces are modernising quickly." in message
    assert str(citation.entry) in message


@pytest.mark.django_db
def test_it_accepts_a_source_text_that_keeps_its_cited_quotes():
    source = make_citation().source
    source.full_text += "\nA sentence added later.\n"

    source.full_clean()


@pytest.mark.django_db
def test_it_shows_the_editor_which_quotes_a_text_change_would_break(editor_client):
    source = make_citation().source
    url = f"/admin/sources/source/{source.pk}/change/"
    data = admin_form_data(
        editor_client.get(url),
        {"full_text": "An entirely different text.", "edit_summary": "Replace the text"},
    )

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "no longer contains 1 quote(s) cited from it" in response.content.decode()
    source.refresh_from_db()
    assert source.full_text == SOURCE_TEXT
