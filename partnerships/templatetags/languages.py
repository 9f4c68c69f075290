"""{% page_languages as languages %}: this page in each of the site's languages,
for the language switcher and the hreflang alternates in base.html.

A built-in of the site's template engine (see TEMPLATES), like site_link.
"""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import reverse, translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


@register.simple_tag(takes_context=True)
def page_languages(context):
    """One row a language: its code, its own name, this page's address in it
    (`href`), the switcher's address that remembers the choice (`choose`),
    whether it is the page's, and its direction. Empty without a request (the
    500 page), which then offers no switcher."""
    request = context.get("request")
    if request is None:
        return []
    here = request.get_full_path()
    current = get_language()
    try:
        origin = request.build_absolute_uri("/").rstrip("/")
    except DisallowedHost:  # the 400 page for a host this site does not serve
        origin = None
    rows = []
    for code, name in settings.LANGUAGES:
        href = translate_url(here, code)
        choose = reverse("choose-language", args=[code]) + "?" + urlencode({"next": href})
        rows.append(
            {
                "code": code,
                "name": name,
                "href": href,
                # For hreflang, which wants a full address; None on the 400 page.
                "absolute": None if origin is None else origin + href,
                "choose": choose,
                "current": code == current,
                "rtl": get_language_info(code)["bidi"],
            }
        )
    return rows
