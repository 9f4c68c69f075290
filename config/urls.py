from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path, re_path

from config import languages

# /healthz is answered by config.middleware.HealthCheckMiddleware, before any
# URL is resolved.

FAVICON_MAX_AGE = 24 * 60 * 60


def favicon(request):
    """/favicon.ico, which browsers and crawlers ask for whatever a page links: a
    redirect to the static icon, whose hashed address WhiteNoise lets browsers keep
    for good. The redirect itself is kept for a day, so a new icon is seen within one;
    it bypasses the page cache, which keeps only 200s."""
    response = HttpResponsePermanentRedirect(static("icons/favicon.ico"))
    response["Cache-Control"] = f"public, max-age={FAVICON_MAX_AGE}"
    return response


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("language/<str:code>/", languages.choose_language, name="choose-language"),
    re_path(r"^en/(?P<rest>.*)\Z", languages.english_address, name="english-address"),
    # Every page in every language: English unprefixed, /fr/… and /ar/…
    # (config/languages.py).
    *i18n_patterns(
        path("admin/", admin.site.urls),
        path("", include("partnerships.urls")),
        path("", include("sources.urls")),
        prefix_default_language=False,
    ),
]
