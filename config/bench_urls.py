"""The site's URLs and /bench/ok, mounted only when BENCHMARK is on (manage.py bench).

/bench/ok answers "ok" through the whole middleware stack and does nothing
else: the reference every page's speed is given as a share of. It is never
part of the site a visitor reaches.
"""

from django.http import HttpResponse
from django.urls import path

from config import urls


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/ok", ok, name="bench-ok"),
    # Spread rather than included: Django allows i18n_patterns only in the root URLconf.
    *urls.urlpatterns,
]
