"""No admin address answers 500: an object id or revision number that names nothing
(letters, negative, zero, huge, a NUL, a missing id) answers 404 on every admin
page that takes one, for every model in the admin."""

import pytest
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from partnerships.history.admin import WikiAdmin

from .conftest import make_citation, make_partner

pytestmark = pytest.mark.django_db

BAD_IDS = ["abc", "-1", "0", "1.5", "99999999999999999999999", "1%00", "%20", "999999"]


def registered():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def object_pages(model, model_admin):
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}"
    pages = ["change", "delete", "history"]
    if isinstance(model_admin, SimpleHistoryAdmin):
        pages.append("history/1")
    if isinstance(model_admin, WikiAdmin) and model_admin.list_deleted:
        pages.append("restore")
    if model._meta.label == "auth.User":
        pages.append("password")
    return [lambda object_id, page=page: f"{base}/{object_id}/{page}/" for page in pages]


ADDRESSES = [
    pytest.param(model, page, id=f"{model._meta.label}:{page('<id>').split('<id>/')[1]}")
    for model, model_admin in registered()
    for page in object_pages(model, model_admin)
]


@pytest.mark.parametrize(("model", "page"), ADDRESSES)
def test_it_answers_404_for_an_id_that_names_nothing(superuser_client, model, page):
    for object_id in BAD_IDS:
        url = page(object_id)

        assert superuser_client.get(url).status_code == 404, url
        assert superuser_client.post(url, {"post": "yes"}).status_code == 404, url


HISTORIED = [
    pytest.param(model, id=model._meta.label)
    for model, model_admin in registered()
    if isinstance(model_admin, SimpleHistoryAdmin)
]


@pytest.mark.parametrize("model", HISTORIED)
def test_it_answers_404_for_a_revision_number_that_names_nothing(superuser_client, model):
    partner = make_citation(make_partner()).partner
    obj = {"partner": partner, "citation": partner.citations.get()}.get(model._meta.model_name)
    pk = obj.pk if obj is not None else 1
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/{pk}/history"

    for version in ["abc", "-1", "0", "99999999999999999999999", "1%00", "999999"]:
        url = f"{base}/{version}/"

        assert superuser_client.get(url).status_code == 404, url
        assert superuser_client.post(url, {"edit_summary": "x"}).status_code == 404, url


def test_it_still_shows_an_existing_entry_and_its_history(superuser_client):
    partner = make_citation(make_partner()).partner
    revision = partner.history.get()
    base = f"/admin/partnerships/partner/{partner.pk}"

    for url in [f"{base}/change/", f"{base}/history/", f"{base}/history/{revision.history_id}/"]:
        assert superuser_client.get(url).status_code == 200, url
