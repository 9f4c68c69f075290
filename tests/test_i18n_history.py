"""History in French and Arabic: an entry's history, a revision, compare, recent changes
and their feed, and the admin's wiki pages speak the page's language; entries are named
in it where they have a name in it, and marked as English where they do not; the
translated fields are revisioned, compared, guarded and checked like the others.

The words come from the compiled catalogue (locale/, built from /tmp/i18n by
build.py), so these tests read the pages as a reader of each language does."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import User
from django.utils import translation
from django.utils.text import capfirst

from partnerships.history.diffs import field_changes
from partnerships.history.entry import EntryHistory
from partnerships.history.registry import entry_types
from partnerships.models import Agreement, Partner

from .conftest import (
    admin_form_data,
    admin_url,
    error_messages,
    logged_in,
    make_agreement,
    make_citation,
    make_partner,
    make_user,
    page_text,
)
from .history_factories import hours, saved
from .test_history_pages import edited_agreement, history_url

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def _english_after():
    """A request to /fr/ leaves French active in the thread (LocaleMiddleware): the
    tests that follow, which read the language of no request, expect English."""
    yield
    translation.deactivate()


def fr(text):
    """French as the catalogue writes it: a no-break space before a colon, inside « »."""
    return text.replace(" :", NBSP + ":").replace("« ", "«" + NBSP).replace(" »", NBSP + "»")


def lower_first(text):
    return text[:1].lower() + text[1:]


def label(model, field, language, translated=None):
    """A field's label in `language`, as history shows it: "Title", "Name (French)"."""
    with translation.override(language):
        text = str(capfirst(model._meta.get_field(field).verbose_name))
        if translated:
            text = f"{text} ({translated})"
    return text


@pytest.fixture
def pact():
    """An agreement created, retitled, cited, stripped of its party, then given a French
    title: five saves."""
    agreement = edited_agreement()
    agreement.title_fr = "Pacte de coopération"
    saved(agreement, hours(4), "Titre en français", User.objects.get(username="jane"))
    return agreement


def get(client, language, url):
    response = client.get(f"/{language}{url}")
    assert response.status_code == 200, url
    return response


# -- the public history pages ----------------------------------------------------------


def test_it_speaks_french_on_an_entrys_history(client, pact):
    response = get(client, "fr", history_url(pact))

    text = page_text(response)
    assert "Historique de « Pacte de coopération »" in text
    assert "5 versions" in text
    assert "Ouvrez une version pour lire cet accord dans son état d’alors" in text
    assert "Création ; ajout d’une partie ; ajout d’une citation" in text
    assert "Retrait d’une partie" in text
    assert "Comparer les versions choisies" in text
    assert 'data-label="Résumé de modification"' in response.content.decode()
    assert "Revision" not in text and "Compare the chosen" not in text


def test_it_speaks_arabic_on_an_entrys_history(client, pact):
    response = get(client, "ar", history_url(pact))

    text = page_text(response)
    assert "5 مراجعات" in text
    assert "افتح مراجعة لقراءة نسخة الاتفاقية في ذلك الوقت" in text
    assert "إنشاء؛ إضافة طرف واحد؛ إضافة استشهاد واحد" in text
    assert "مقارنة المراجعتين المختارتين" in text
    # No French title in Arabic: the English one, marked as English.
    assert 'سجل <bdi lang="en">Defence cooperation pact</bdi>' in response.content.decode()


def test_it_names_the_entry_in_english_without_marking_on_english_pages(client, pact):
    content = client.get(history_url(pact)).content.decode()

    assert "<h1>History of <bdi>Defence cooperation pact</bdi></h1>" in content


def test_it_names_the_changed_translated_field_in_the_pages_language(pact):
    history = EntryHistory(entry_types.by_name("agreement"), pact.pk)
    latest = history.latest
    compared = history.load_compared(history.entry_ids_for([latest]))

    with translation.override("fr"):
        french = history.what_changed(latest, compared)
    with translation.override("ar"):
        arabic = history.what_changed(latest, compared)
    english = history.what_changed(latest, compared)

    title = {language: label(Agreement, "title", language) for language in ("en", "fr", "ar")}
    assert french == fr(f"Champ modifié : {lower_first(title['fr'])} (français)")
    assert arabic == f"تعديل {lower_first(title['ar'])} (الفرنسية)"
    assert english == f"Changed {lower_first(title['en'])} (French)"


def test_it_reads_a_revision_in_french_and_arabic(client, pact):
    french = page_text(get(client, "fr", f"{history_url(pact)}latest/"))
    arabic = page_text(get(client, "ar", f"{history_url(pact)}latest/"))

    assert "Historique de cet accord" in french
    assert "Version 5 sur 5, enregistrée le 3 mars 2026" in french
    assert "Une ancienne version" in french
    assert "Citations à ce moment-là" in french
    assert f"{label(Agreement, 'title', 'fr', 'français')} Pacte de coopération" in french
    assert "سجل هذه الاتفاقية" in arabic
    assert "المراجعة 5 من 5" in arabic
    assert "الاستشهادات حينها" in arabic


def test_it_shows_an_entry_as_of_a_date_in_french(client, pact):
    text = page_text(get(client, "fr", f"/agreements/{pact.slug}/?as_of=2026-03-03"))

    assert "État au 3 mars 2026, en fin de journée" in text


def test_it_explains_a_missing_date_in_arabic(client, pact):
    response = client.get(f"/ar/agreements/{pact.slug}/", {"as_of": "2020-01-01"})

    assert response.status_code == 404
    text = page_text(response)
    assert "ليس في الويكي بعد" in text
    assert "سابق لوجود هذه الاتفاقية في الويكي" in text


def test_it_compares_two_revisions_in_french(client, pact):
    response = get(client, "fr", f"{history_url(pact)}compare/?to=latest")

    text = page_text(response)
    fields = response.context["comparison"].unchanged_fields
    assert "Pacte de coopération : versions comparées" in text
    assert "La version 4 (" in text and "par Jane Doe : « Spain is not a party »)" in text
    assert "face à la version 5" in text
    assert f"sont masqués : {fields} champs inchangés et 2 lignes inchangées." in text
    assert "Afficher tous les champs" in text
    title = label(Agreement, "title", "fr", "français")
    assert f"{title} (modifié) (vide) Pacte de coopération" in text
    assert "Aucune dans l’une ou l’autre version." in text  # no party left
    assert "Aucun changement : les 2 lignes sont identiques dans les deux versions." in text


def test_it_compares_two_revisions_in_arabic(client, pact):
    text = page_text(get(client, "ar", f"{history_url(pact)}compare/?to=latest&all=1"))

    assert "مقارنة المراجعات" in text
    assert "تُعرض كل الحقول والأسطر، بما فيها غير المتغيرة." in text
    title = label(Agreement, "title", "ar", "الفرنسية")
    assert f"{title} (متغيّر) (فارغ) Pacte de coopération" in text
    assert "دون تغيير" in text


def test_it_explains_a_bad_revision_in_french(client, pact):
    response = client.get(f"/fr{history_url(pact)}compare/", {"to": "nope"})

    assert response.status_code == 400
    text = page_text(response)
    assert "« nope » n’est pas un numéro de version" in text
    assert "Voir l’historique de cet accord" in text


# -- recent changes and the feed ----------------------------------------------------------


def test_it_lists_recent_changes_in_french(client, pact):
    response = get(client, "fr", "/changes/")

    text = page_text(response)
    assert "Modifications récentes" in text
    assert "Tous les types" in text and "Vérification" in text
    assert "(accord) retrait d’une partie : Spain" in text
    assert f"{response.context['page'].paginator.count} modifications" in text
    assert "pas encore" in text
    content = response.content.decode()
    # The name the change log stored is the English one, marked as such.
    assert 'dir="auto" lang="en">Defence cooperation pact</a>' in content
    assert 'data-label="Contributeur"' in content


def test_it_lists_recent_changes_in_arabic(client, pact):
    text = page_text(get(client, "ar", "/changes/"))

    assert "أحدث التغييرات" in text
    assert "كل الأنواع" in text
    assert "(اتفاقية) حذف طرف: Spain" in text
    assert "تغييرات" in text


def test_it_explains_a_bad_filter_in_french(client, pact):
    response = client.get("/fr/changes/", {"editor": "nobody", "reviewed": "maybe"})

    assert response.status_code == 400
    text = page_text(response)
    assert "Personne portant ce nom d’utilisateur n’a modifié le wiki." in text
    assert "Choisissez vérifiées (yes) ou pas encore vérifiées (no)." in text


@pytest.mark.parametrize(
    ("language", "title", "summary"),
    [
        (
            "fr",
            "Modifications récentes — Wiki des partenariats de défense du Maroc",
            "Retrait d’une partie par Jane Doe",
        ),
        ("ar", "أحدث التغييرات — ويكي الشراكات الدفاعية للمغرب", "حذف طرف بواسطة Jane Doe"),
    ],
)
def test_the_feed_speaks_the_pages_language(client, pact, language, title, summary):
    response = get(client, language, "/changes/feed/")

    feed = ET.fromstring(response.content)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    assert feed.findtext(f"{ATOM}title") == title
    summaries = [entry.findtext(f"{ATOM}summary") for entry in feed.iter(f"{ATOM}entry")]
    assert any(text.startswith(summary) for text in summaries)
    links = [entry.find(f"{ATOM}link").get("href") for entry in feed.iter(f"{ATOM}entry")]
    assert all(f"/{language}/" in link for link in links)


def test_the_feed_refuses_bad_filters_in_french(client):
    response = client.get("/fr/changes/feed/", {"reviewed": "maybe"})

    assert response.status_code == 400
    assert "Ces filtres ne peuvent pas être utilisés" in response.content.decode()


def test_an_entry_page_says_when_it_last_changed_in_arabic(client, pact):
    text = page_text(get(client, "ar", f"/agreements/{pact.slug}/"))

    assert "آخر تعديل في 3 مارس 2026 بواسطة Jane Doe" in text
    assert "سجل هذه الصفحة" in text


# -- the admin ------------------------------------------------------------------------------


@pytest.fixture
def alice(db):
    return logged_in(make_user("alice", groups=["Editors"]))


@pytest.fixture
def bob(db):
    return logged_in(make_user("bob", groups=["Editors"]))


def test_every_entry_type_has_its_translations_folded_on_its_admin_form(superuser_client):
    translatable = [t for t in entry_types if getattr(t.model, "TRANSLATED_FIELDS", ())]
    assert len(translatable) == 7

    for entry_type in translatable:
        response = superuser_client.get(
            f"/fr/admin/{entry_type.model._meta.app_label}/"
            f"{entry_type.model._meta.model_name}/add/"
        )
        fieldsets = response.context["adminform"].model_admin.get_fieldsets(response.wsgi_request)
        [(name, options)] = [(n, o) for n, o in fieldsets if "collapse" in o.get("classes", ())]
        assert str(name) == "Traductions"
        assert options["fields"] == [
            f"{field}_{code}"
            for field in entry_type.model.TRANSLATED_FIELDS
            for code in ("fr", "ar")
        ], entry_type.name
        assert 'name="summary_ar"' in response.content.decode()


def test_the_partner_form_has_its_country_code_beside_its_kind(superuser_client):
    partner = make_citation(make_partner(name="Spain")).partner

    response = superuser_client.get(f"/fr{admin_url(partner)}")

    content = response.content.decode()
    assert 'name="country_code"' in content and 'name="name_ar"' in content
    assert "Traductions" in page_text(response)
    assert content.index('name="kind"') < content.index('name="country_code"')
    assert content.index('name="country_code"') < content.index('name="membership"')


def test_a_french_name_saved_in_the_french_admin_is_a_revision_its_diff_shows(alice, client):
    partner = make_citation(make_partner(name="Spain", slug="spain")).partner
    url = f"/fr{admin_url(partner)}"

    response = alice.post(
        url, admin_form_data(alice.get(url), {"name_fr": "Espagne", "edit_summary": "Nom"})
    )

    assert response.status_code == 302
    latest, before = partner.history.order_by("-history_id")[:2]
    assert (latest.name_fr, latest.history_change_reason) == ("Espagne", "Nom")
    name = label(Partner, "name", "fr", "français")
    with translation.override("fr"):
        [change] = field_changes(before, latest)
        assert (str(change.label), change.before, change.after) == (name, "(vide)", "Espagne")
    with translation.override("en"):
        [change] = field_changes(before, latest)
        assert str(change.label) == label(Partner, "name", "en", "French")
    # Compared on the public pages, in French, where the partner is named in French.
    text = page_text(get(client, "fr", "/partners/spain/history/compare/?to=latest"))
    assert "Espagne : versions comparées" in text
    assert f"{name} (modifié) (vide) Espagne" in text
    history = page_text(get(client, "fr", "/partners/spain/history/"))
    assert f"Champ modifié : {lower_first(name)}" in history


def test_an_edit_conflict_is_explained_in_french(alice, bob):
    partner = make_citation(make_partner(name="Spain")).partner
    url = f"/fr{admin_url(partner)}"
    alice_page, bob_page = alice.get(url), bob.get(url)
    alice.post(url, admin_form_data(alice_page, {"name_ar": "إسبانيا", "edit_summary": "Nom"}))

    response = bob.post(
        url, admin_form_data(bob_page, {"summary": "Un voisin.", "edit_summary": "Résumé"})
    )

    assert response.status_code == 200
    [message] = [m for m in error_messages(response) if m.startswith("Non enregistré")]
    assert "elle a été enregistrée par alice le" in message
    assert "(«\u00a0Nom\u00a0»)" in message
    text = page_text(response)
    assert "Enregistrée par quelqu’un d’autre depuis que vous avez ouvert cette page" in text
    assert f"{label(Partner, 'name', 'fr', 'arabe')} (vide) إسبانيا" in text
    partner.refresh_from_db()
    assert partner.summary == ""


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("summary_fr", "Le renvoi [3] du résumé en français ne mène à aucune note"),
        ("summary_ar", "Le renvoi [3] du résumé en arabe ne mène à aucune note"),
    ],
)
def test_a_translated_summary_marker_that_points_nowhere_is_refused(alice, field, message):
    agreement = make_agreement(parties=[make_partner()], summary="Old.[1]")
    make_citation(agreement, facts="existence")
    url = f"/fr{admin_url(agreement)}"

    response = alice.post(
        url,
        admin_form_data(alice.get(url), {field: "Signé.[1] Vaut 5 $.[3]", "edit_summary": "x"}),
    )

    assert response.status_code == 200
    [error] = [m for m in error_messages(response) if "[3]" in m]
    assert error.startswith(message)
    assert "cette entrée a 1 citation" in error
    assert getattr(Agreement.objects.get(pk=agreement.pk), field) == ""


def test_a_translated_summary_marker_is_refused_in_english_too(editor_client):
    agreement = make_agreement(parties=[make_partner()], summary="Old.")
    make_citation(agreement, facts="existence")
    url = admin_url(agreement)

    response = editor_client.post(
        url,
        admin_form_data(
            editor_client.get(url), {"summary_ar": "[1] [2] [4]", "edit_summary": "x"}
        ),
    )

    assert response.status_code == 200
    assert (
        "The Arabic summary's markers [2], [4] point to no footnote: this entry has 1 citation. "
        "A marker is the number of a citation below, in the order they are listed: [1] is the "
        "first."
    ) in error_messages(response)


def test_the_admins_deleted_list_and_restore_page_speak_arabic(superuser_client):
    partner = make_citation(make_partner(name="Spain")).partner
    superuser_client.post(
        f"/ar/admin/partnerships/partner/{partner.pk}/delete/",
        {"post": "yes", "edit_summary": "Gone"},
    )

    deleted = page_text(superuser_client.get("/ar/admin/partnerships/partner/deleted/"))
    restore = page_text(
        superuser_client.get(f"/ar/admin/partnerships/partner/{partner.pk}/restore/")
    )

    assert "مداخل آخر مراجعة لها حذف" in deleted
    assert "مدخل واحد محذوف" in deleted
    assert "استعادة…" in deleted
    assert "كما كان عند حذفه" in restore
    assert "يُستعاد مع المدخل" in restore
    assert "ملخص التعديل (لماذا تستعيده؟)" in restore
    assert Partner.objects.filter(pk=partner.pk).count() == 0


def test_the_admins_history_lists_a_relations_rows_in_french(superuser_client):
    partner = make_citation(make_partner(name="Spain")).partner

    text = page_text(superuser_client.get(f"/fr/admin/partnerships/partner/{partner.pk}/history/"))

    assert "ajouts, modifications et suppressions" in text
    assert "le chargeur de données initiales" in text
