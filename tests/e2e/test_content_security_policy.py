"""The admin's own scripts and styles work under the site's strict policy: a
superuser signs in and opens every list, add form and change form, uses the
autocomplete, the calendar and "Add another"; a stranger runs into the
lockout page. The shared browser fixture fails any test during which Chromium
reports a Content-Security-Policy violation."""

import re

import pytest
from django.contrib.auth.models import User

from partnerships.models import Agreement

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
AGREEMENT = "morocco-israel-500-million-defence-agreement"


@pytest.fixture(scope="module")
def superuser(fixture_content, django_db_blocker):
    with django_db_blocker.unblock():
        return User.objects.create_superuser("root", password=PASSWORD)


def sign_in(page, live_url):
    page.goto(f"{live_url}/admin/")
    page.fill("#id_username", "root")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")


def test_it_opens_every_admin_list_and_form_without_a_violation(page, live_url, superuser):
    sign_in(page, live_url)
    links = page.eval_on_selector_all(
        "#content-main a[href]", "links => links.map(link => link.getAttribute('href'))"
    )
    pages = sorted({link for link in links if re.match(r"^/admin/\w+/\w+/(add/)?$", link)})
    assert "/admin/partnerships/agreement/" in pages
    assert "/admin/axes/accessattempt/" in pages

    for path in pages:
        response = page.goto(live_url + path)
        assert response.status == 200, path
        if not path.endswith("/add/"):
            first = page.locator("#result_list tbody th a").first
            if first.count():
                first.click()
                page.wait_for_selector("#content-main")


def test_it_uses_the_admin_widgets_without_a_violation(page, live_url, superuser):
    agreement = Agreement.objects.get(slug=AGREEMENT)
    sign_in(page, live_url)
    page.goto(f"{live_url}/admin/partnerships/agreement/{agreement.pk}/change/")

    # The calendar beside a date field.
    page.locator(".datetimeshortcuts a[id^=calendarlink]").first.click()
    page.wait_for_selector("#calendarbox0", state="visible")
    page.locator("#calendarbox0 .calendar-cancel a").click()

    # An autocomplete (select2) on a party's partner.
    page.locator(".select2-selection").first.click()
    page.wait_for_selector(".select2-search__field")
    page.keyboard.type("Isr")
    page.wait_for_selector(".select2-results__option >> text=Israel")
    page.keyboard.press("Escape")

    # A new inline row.
    rows = page.locator(".dynamic-citations").count()
    page.locator(".add-row a").last.click()
    assert page.locator(".dynamic-citations").count() >= rows

    # The user form's password widgets.
    page.goto(f"{live_url}/admin/auth/user/add/")
    page.wait_for_selector("#id_username")


def test_it_shows_the_lockout_page_without_a_violation(page, live_url, superuser):
    for _ in range(5):
        page.goto(f"{live_url}/admin/login/?next=/admin/")
        page.fill("#id_username", "intruder")
        page.fill("#id_password", "guess")
        page.click("input[type=submit]")

    assert page.get_by_role("heading", level=1).inner_text() == "Sign-in locked"
    assert "Try again after that with the right password" in page.inner_text("main")


def test_it_shows_the_error_pages_without_a_violation(page, live_url):
    response = page.goto(f"{live_url}/no/such/page/")

    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
