"""How fast each kind of page is, relative to a view that does nothing.

    manage.py bench [--runs 30] [URL ...]

Every page is requested in this process through the whole middleware stack,
with DEBUG off, after a warm-up; the median time is compared with that of a
view that only answers "ok" through the same stack, in the same run: "12 %"
means the page serves 12 % as many requests per second as the empty view.
Ratios, not milliseconds, are what can be compared between machines. Without
URLs it measures the home page, every list, the recent changes and their
feed, search, the timeline, and the page and history of the first entry of
each type.
"""

import statistics
import time
import types

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.http import HttpResponse
from django.test import Client
from django.test.utils import override_settings
from django.urls import include, path

from partnerships.history.registry import entry_types


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


def _urlconf():
    """The site's URLs and /bench/ok, the do-nothing view, as a URLconf module."""
    module = types.ModuleType("bench_urls")
    module.urlpatterns = [path("bench/ok", ok), path("", include(settings.ROOT_URLCONF))]
    return module


def default_urls():
    urls = ["/", "/changes/", "/changes/?reviewed=no", "/changes/feed/"]
    urls += ["/search/?q=drone", "/timeline/"]
    for entry_type in entry_types:
        urls.append(f"/{entry_type.path}/")
        first = entry_type.model._default_manager.order_by("pk").first()
        if first is not None:
            urls += [entry_type.detail_url(first.slug), entry_type.history_url(first.slug)]
    return urls


class Command(BaseCommand):
    help = "Time pages against a do-nothing view, through the same middleware (see the module)."

    def add_arguments(self, parser):
        parser.add_argument("urls", nargs="*")
        parser.add_argument("--runs", type=int, default=30)

    def handle(self, *args, urls, runs, **options):
        host = next((h for h in settings.ALLOWED_HOSTS if "*" not in h), "localhost")
        client = Client(HTTP_HOST=host.lstrip("."))
        with override_settings(ROOT_URLCONF=_urlconf(), DEBUG=False):
            base = self._time(client, "/bench/ok", runs)
            self.stdout.write(
                f"{connection.vendor}, {runs} runs each; the do-nothing view: "
                f"{base['median'] * 1000:.2f} ms"
            )
            self.stdout.write(f"{'rate':>7} {'median':>9} {'queries':>7} {'status':>6}  page")
            for url in urls or default_urls():
                timing = self._time(client, url, runs)
                self.stdout.write(
                    f"{base['median'] / timing['median']:7.1%} "
                    f"{timing['median'] * 1000:7.1f}ms {timing['queries']:7d} "
                    f"{timing['status']:6d}  {url}"
                )

    def _time(self, client, url, runs):
        for _ in range(3):
            client.get(url)
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
        with override_settings(DEBUG=True):
            reset_queries()
            client.get(url)
            queries = len(connection.queries)
        return {
            "median": statistics.median(timings),
            "status": response.status_code,
            "queries": queries,
        }
