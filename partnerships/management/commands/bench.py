"""How fast every kind of page is, served as in production, relative to a view that does nothing.

    manage.py bench [--name generated] [--beside fixtures=DATABASE_URL]
                    [--seconds 2] [--rounds 1] [--workers 2] [--only LABEL ...]
    manage.py bench --table fixtures generated

The first form measures the database DATABASE_URL names. It chooses the pages
from that database (the busiest partner, the most cited entry of each type,
the most edited entry's history, the last page of a long list...), collects
the static files, then serves the site with gunicorn, config/gunicorn.conf.py
and the production settings (DEBUG off, BENCHMARK on, which mounts the
reference view /bench/ok) on a port of its own, twice:

- with the shared page cache off (PAGE_CACHE_SECONDS=0), each page *cold*:
  its workers are replaced first, so that their peak memory is this page's,
  then loaded by as many clients as there are workers for --seconds; then
  again *conditionally*, with the ETag / Last-Modified of its first answer,
  which should come back as 304 (the table prints "—" when it does not);
- with the cache on, each page *cached*, after a warm-up that fills it.

Each client asks for the page and the reference view in turns, so that both
are measured in the same seconds: on a machine whose pace drifts with what
else it runs, their ratio holds when neither figure does. Each row gives the
page's requests per second, median and 95th-percentile latency; the cold,
cached and 304 rates as shares of the reference view's rate in the same
load; and the highest resident memory (VmHWM) any worker reached while
serving the page. Ratios, not milliseconds, compare across machines; the
clients share the machine with the server, so both are lower than behind a
real load balancer. A page that answers anything but 200 (304 when asked
conditionally) is flagged under the table, never silently timed. The figures
are also written to .bench/<name>.json; the second form prints several of
those files side by side.

With --beside, a second database (`make bench`: the fixtures, beside the
generated data) is served by a gunicorn of its own and measured page by page
in turns with the first: each page on one, then on the other, within the same
few seconds. Measured one database after the other, ten minutes apart, the
same page's p95 on the same code moved by a third between runs as the
machine's pace drifted; their ratio is what `make bench` compares. With
--rounds, each page is loaded that many times on each database in turns
(fixtures, generated, fixtures, generated...), and each database's latencies
are pooled: one slow moment then weighs on a round of each, not on one
database's whole load. In four runs of one load of 5 s each, the ratio of one
page's p95 went 1.5, 2.3, 1.7, 2.1.

No test asserts a time: tests/test_bench.py checks the pieces.
"""

import datetime
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count, F

from partnerships.history.entry import EntryHistory
from partnerships.history.models import Change
from partnerships.history.registry import entry_types
from partnerships.lists.pages import MAX_PAGES, PER_PAGE
from partnerships.models import Agreement, Partner
from sources.models import Citation

RESULTS = settings.BASE_DIR / ".bench"
GUNICORN_CONF = settings.BASE_DIR / "config" / "gunicorn.conf.py"
REFERENCE = "/bench/ok"

# How long the shared page cache keeps a page in the cached run: longer than the run.
CACHED_SECONDS = 600
# Requests each client makes before the clock starts: a fresh worker compiles
# templates and opens its database connection on its first.
WARM_UP = 2
# A tenth of a second between two readings of the workers' memory.
MEMORY_POLL = 0.1
# As a TLS-ending proxy would say; the production settings redirect plain HTTP.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
# As every browser does: a page that is served compressed is measured so.
CLIENT_HEADERS = {**PROXY_HEADERS, "Accept-Encoding": "gzip"}


# -- the pages -------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    label: str
    url: str


# Each list filtered as a reader would, by the busiest partner where the list
# has a partner filter ({partner}), with a second filter and a sort that is not
# the default; each finds rows in the fixtures too (tests/test_bench.py), so that
# a page of rows is compared with a page of rows, not with "nothing matches".
FILTERED = {
    "partners": "?kind=country&has_agreements=yes&sort=-agreements",
    "agreements": "?partner={partner}&status=in_force&sort=-date",
    "exercises": "?partner={partner}&year_from=2020&sort=-start",
    "equipment": "?partner={partner}&status=delivered&sort=-ordered",
    "people": "?sort=-name",
    "engagements": "?partner={partner}&sort=-date",
    "indicators": "?measure=amount&sort=-name",
    "sources": "?kind=analysis&year_from=2015&sort=-published",
}
SEARCHED = "drone"


def choose_pages():
    """Every kind of page, chosen from the data: what a reader would find heaviest."""
    partner = busiest_partner()
    pages = [Page("home", "/")]
    for entry_type in entry_types:
        base = f"/{entry_type.path}/"
        pages.append(Page(f"{entry_type.path} list", base))
        query = FILTERED.get(entry_type.path)
        if query and (partner or "{partner}" not in query):
            filtered = base + query.format(partner=partner)
            pages.append(Page(f"{entry_type.path} list, filtered", filtered))
    pages += [
        Page("agreements list, ?q=", f"/agreements/?q={SEARCHED}"),
        Page("agreements list, deep", f"/agreements/?page={deep_page()}"),
    ]
    if partner:
        pages.append(Page("partner page, busiest", f"/partners/{partner}/"))
    for entry_type in entry_types:
        if entry_type.name == "partner":
            continue
        entry = most_cited(entry_type.model)
        if entry is not None:
            pages.append(Page(f"{entry_type.name} page", entry_type.detail_url(entry.slug)))
    pages += [
        Page("search", f"/search/?q={SEARCHED}"),
        Page("search, one type", f"/search/?q={SEARCHED}&type=agreements"),
        Page("timeline", "/timeline/"),
        Page("network", "/network/"),
        Page("recent changes", "/changes/"),
        Page("changes feed", "/changes/feed/"),
        Page("data quality", "/quality/"),
    ]
    edited = most_edited()
    if edited is not None:
        entry_type, slug, first_token = edited
        pages.append(Page("history", entry_type.history_url(slug)))
        compare = entry_type.history_url(slug, "entry-compare")
        query = f"?from={first_token}&to=latest" if first_token else "?to=latest"
        pages.append(Page("compare", compare + query))
    pages += [
        Page("CSV export", "/agreements/?format=csv"),
        Page("JSON export", "/agreements/?format=json"),
    ]
    return pages


def busiest_partner():
    """The slug of the partner with the most agreements, exercises and equipment deals."""
    partner = (
        Partner.objects.with_counts()
        .annotate(links=F("agreement_count") + F("exercise_count") + F("equipment_count"))
        .order_by("-links", "pk")
        .only("slug")
        .first()
    )
    return partner.slug if partner else ""


def deep_page():
    """The agreements list's last page, or the deepest a list lets a reader open."""
    pages = max(1, -(-Agreement.objects.count() // PER_PAGE))
    return min(pages, MAX_PAGES)


def most_cited(model):
    return model.objects.annotate(cited=Count("citations")).order_by("-cited", "pk").first()


def most_edited():
    """(entry type, slug, token of its first save) of the live entry with the most saves.

    The token is empty when the entry has a single save (the fixtures' case):
    its compare is then of that save with nothing before it.
    """
    busiest = (
        Change.objects.values("entry_type", "entry_id")
        .annotate(saves=Count("id"))
        .order_by("-saves", "entry_type", "entry_id")
    )
    for row in busiest[:20]:
        entry_type = entry_types.by_name(row["entry_type"])
        if entry_type is None:
            continue
        slug = (
            entry_type.model.objects.filter(pk=row["entry_id"])
            .values_list("slug", flat=True)
            .first()
        )
        if slug is None:  # deleted since
            continue
        saves = EntryHistory(entry_type, row["entry_id"]).saves
        return entry_type, slug, saves[0].token if len(saves) > 1 else ""
    return None


# -- the load --------------------------------------------------------------------------


def percentile(values, share):
    """The `share` (0–100) percentile of `values`, interpolating between ranks; None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * share / 100
    below = int(rank)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (rank - below)


@dataclass
class Load:
    """What one load measured of one URL."""

    url: str
    clients: int = 1
    latencies: list = field(default_factory=list)  # seconds, one per timed request
    statuses: Counter = field(default_factory=Counter)  # "200": count; "error" for no answer
    seconds: float = 0.0  # from the start until the last timed request finished
    body_bytes: int = 0  # of the last answer
    validators: dict = field(default_factory=dict)  # of the first 200: header → value

    @property
    def requests(self):
        return len(self.latencies)

    @property
    def rate(self):
        """Requests per second the server sustains for this URL: as many clients as
        workers, each waiting for one answer before asking again, get through
        clients ÷ mean latency of them a second (Little's law)."""
        total = sum(self.latencies)
        return self.clients * self.requests / total if total else 0.0

    def ms(self, share):
        value = percentile(self.latencies, share)
        return None if value is None else value * 1000

    def add(self, other):
        """Pools `other`, another load of the same URL (a later round), into this one."""
        self.latencies += other.latencies
        self.statuses.update(other.statuses)
        self.seconds += other.seconds
        self.body_bytes = other.body_bytes or self.body_bytes
        self.validators = self.validators or other.validators
        return self

    def unexpected(self, expected):
        """{status: count} of the answers that were not `expected`."""
        return {status: n for status, n in self.statuses.items() if status != str(expected)}

    def summary(self):
        return {
            "url": self.url,
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "rate": round(self.rate, 1),
            "p50_ms": _rounded(self.ms(50)),
            "p95_ms": _rounded(self.ms(95)),
            "statuses": dict(self.statuses),
            "body_bytes": self.body_bytes,
        }


def _rounded(value):
    return None if value is None else round(value, 2)


VALIDATORS = {"ETag": "If-None-Match", "Last-Modified": "If-Modified-Since"}


def load(address, *urls, seconds, clients, headers=None, warm_up=WARM_UP):
    """[Load of each URL]: `clients` threads at once, each asking for `urls` in turn for
    `seconds`, after `warm_up` rounds (and at least one timed round each, however slow).

    Taken in turns, a page and the reference view are measured in the same
    seconds, under the same load from whatever else the machine runs, so that
    their ratio holds when the machine's pace does not. `headers` go with the
    first URL only. Each thread keeps its own connection (http.client
    reconnects when the server closes it, as gunicorn's sync workers do after
    every answer) and reads every answer to its end, so a streamed export is
    timed whole.
    """
    host, port = address
    asked = [
        (url, {**CLIENT_HEADERS, **(headers or {})} if n == 0 else CLIENT_HEADERS)
        for n, url in enumerate(urls)
    ]
    results = [Load(url, clients) for url in urls]
    lock = threading.Lock()
    started = []
    start_line = threading.Barrier(clients, action=lambda: started.append(time.perf_counter()))

    def request(conn, url, headers):
        began = time.perf_counter()
        try:
            conn.request("GET", url, headers=headers)
            response = conn.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            return "error", time.perf_counter() - began, None, b""
        return str(response.status), time.perf_counter() - began, response, body

    def client():
        conn = http.client.HTTPConnection(host, port, timeout=150)
        for _ in range(warm_up):
            status, latency, response, _ = request(conn, *asked[0])
            with lock:
                if status == "200" and not results[0].validators:
                    results[0].validators = {
                        name: response.getheader(name)
                        for name in VALIDATORS
                        if response.getheader(name)
                    }
            for url, url_headers in asked[1:]:
                request(conn, url, url_headers)
            if latency > seconds:
                break  # a page this slow: its first request's extra cost is lost in it
        start_line.wait()
        deadline = started[0] + seconds
        finished = started[0]
        while finished < deadline:
            for result, (url, url_headers) in zip(results, asked, strict=True):
                status, latency, _, body = request(conn, url, url_headers)
                with lock:
                    result.latencies.append(latency)
                    result.statuses[status] += 1
                    result.body_bytes = len(body)
            finished = time.perf_counter()
        conn.close()
        with lock:
            for result in results:
                result.seconds = max(result.seconds, finished - started[0])

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def conditional_headers(validators):
    """The conditional request headers a browser would send back for these validators."""
    return {VALIDATORS[name]: value for name, value in validators.items()}


# -- the server ------------------------------------------------------------------------


def children_of(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return {int(child) for child in children.read().split()}
    except FileNotFoundError:
        return set()


def peak_memory(pid):
    """The highest resident memory (VmHWM) process `pid` has had, in bytes; 0 if gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


class MemoryWatch:
    """The highest VmHWM of any of a server's workers while the watch runs, read every
    MEMORY_POLL seconds, so that a worker gunicorn replaces mid-load (max_requests)
    still counts."""

    def __init__(self, server):
        self.server = server
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch)

    def _read(self):
        for pid in self.server.workers():
            self.peak = max(self.peak, peak_memory(pid))

    def _watch(self):
        while not self._stop.wait(MEMORY_POLL):
            self._read()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._read()


DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving the site with config/gunicorn.conf.py and the production settings."""

    def __init__(self, workers, page_cache_seconds, log_path, env=None):
        self.count = workers
        self.address = ("127.0.0.1", free_port())
        self.env = {
            **os.environ,
            "BENCHMARK": "true",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": self.address[0],
            "GUNICORN_BIND": "{}:{}".format(*self.address),
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_THREADS": "1",
            "PAGE_CACHE_SECONDS": str(page_cache_seconds),
            # A shared cache (Redis) outlives a server: keys of this server's own.
            "CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(4)}",
            # As in production, where several app servers share Redis (BENCH_REDIS_URL=
            # empty measures each process's own memory instead).
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
            **(env or {}),  # another database's DATABASE_URL (--beside)
        }
        self.log_path = log_path
        self.process = None

    def __enter__(self):
        self.log = open(self.log_path, "a")  # closed in __exit__
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), "config.wsgi"],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        try:
            self._until(lambda: len(self.workers()) == self.count, "start its workers")
            self._until(self.answers, f"answer {REFERENCE}")
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def workers(self):
        return children_of(self.process.pid)

    def answers(self):
        """Whether the reference view answers yet; an error if it answers wrongly."""
        conn = http.client.HTTPConnection(*self.address, timeout=5)
        try:
            conn.request("GET", REFERENCE, headers=PROXY_HEADERS)
            status = conn.getresponse().status
        except (OSError, http.client.HTTPException):
            return False  # not listening yet
        finally:
            conn.close()
        if status != 200:
            raise CommandError(f"{REFERENCE} answered {status}; see {self.log_path}")
        return True

    def renew_workers(self):
        """Replaces every worker (a HUP), so that the next load's memory peak is its own.

        With the application preloaded a HUP only forks: about a third of a
        second for two workers, then each compiles templates on its first request.
        """
        old = self.workers()
        self.process.send_signal(signal.SIGHUP)
        self._until(
            lambda: (new := self.workers()) and len(new) == self.count and not new & old,
            "replace its workers",
        )
        self._until(self.answers, f"answer {REFERENCE}")

    def _until(self, condition, what, timeout=60):
        deadline = time.monotonic() + timeout
        while not condition():
            if self.process.poll() is not None:
                raise CommandError(f"gunicorn stopped; its log: {self.log_path}")
            if time.monotonic() > deadline:
                raise CommandError(f"gunicorn did not {what} in {timeout} s; see {self.log_path}")
            time.sleep(0.02)


# -- the table -------------------------------------------------------------------------

COLUMNS = ("req/s", "p50", "p95", "cold", "cached", "304", "MB")
WIDTHS = (7, 6, 6, 5, 6, 5, 4)
LABEL_WIDTH = 25
GAP = "   "


def _number(value):
    if value is None:
        return "—"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _share(value, reference):
    if value is None or not reference:
        return "—"
    return f"{value / reference:.0%}"


def _row(run, label):
    return next((page for page in run["pages"] if page["label"] == label), None)


def cells(run, label):
    """The table's cells for one page (or "reference") of one run's results."""
    if label == "reference":
        reference = run["reference"]
        row = {"cold": reference["cold"], "peak_mb": reference["peak_mb"]}
        row["reference"] = {"cold": reference["cold"]}
    else:
        row = _row(run, label)
        if row is None:
            return [""] * len(COLUMNS)
    cold, cached, conditional = row["cold"], row.get("cached"), row.get("conditional")
    reference = row["reference"]
    return [
        _number(cold["rate"]) + ("!" if row.get("problems") else ""),
        _number(cold["p50_ms"]),
        _number(cold["p95_ms"]),
        _share(cold["rate"], reference["cold"]["rate"]),
        _share(cached and cached["rate"], reference.get("cached", {}).get("rate")),
        _share(conditional and conditional["rate"], reference.get("conditional", {}).get("rate")),
        "—" if row["peak_mb"] is None else f"{row['peak_mb']:.0f}",
    ]


def format_table(runs):
    """Runs side by side, one row per page; with two or more runs, the last column is
    each page's p95 in the last run over its p95 in the first."""
    labels = ["reference"]
    for run in runs:
        labels += [page["label"] for page in run["pages"] if page["label"] not in labels]
    block = len(GAP.join(" " * width for width in WIDTHS))
    ratio = len(runs) > 1
    lines = [
        " " * LABEL_WIDTH + GAP.join(f"{run['name']:<{block}}" for run in runs).rstrip(),
        f"{'page':<{LABEL_WIDTH}}"
        + GAP.join(
            " ".join(f"{column:>{width}}" for column, width in zip(COLUMNS, WIDTHS, strict=True))
            for _ in runs
        )
        + (f"{GAP}p95 ×" if ratio else ""),
    ]
    for label in labels:
        line = f"{label[:LABEL_WIDTH]:<{LABEL_WIDTH}}" + GAP.join(
            " ".join(
                f"{cell:>{width}}" for cell, width in zip(cells(run, label), WIDTHS, strict=True)
            )
            for run in runs
        )
        if ratio:
            line += f"{GAP}{_p95_ratio(runs[0], runs[-1], label):>5}"
        lines.append(line)
    return "\n".join(lines)


def _p95(run, label):
    row = {"cold": run["reference"]["cold"]} if label == "reference" else _row(run, label)
    return row and row["cold"]["p95_ms"]


def _p95_ratio(first, last, label):
    before, after = _p95(first, label), _p95(last, label)
    return f"{after / before:.1f}" if before and after else "—"


def notes(runs):
    """The lines under the table: what each run measured, and every page flagged."""
    lines = []
    for run in runs:
        cold, cached = run["reference"]["cold"], run["reference"]["cached"]
        lines.append(
            f"{run['name']}: {run['database']} ({run['vendor']}), {run['sizes_text']}; "
            f"{run['workers']} workers, {_load_text(run)}, {run['cache']}; "
            "the reference view "
            f"{cold['lowest']:,.0f}–{cold['highest']:,.0f} req/s cold, "
            f"{cached['lowest']:,.0f}–{cached['highest']:,.0f} cached."
        )
        for page in run["pages"]:
            for problem in page.get("problems", []):
                lines.append(f"  ! {page['label']} ({page['url']}): {problem}")
    return "\n".join(lines)


def _load_text(run):
    """How long each page was loaded: "2 s a page" or "3 rounds of 2 s a page"."""
    rounds = run.get("rounds", 1)
    seconds = f"{run['seconds']} s"
    return f"{rounds} rounds of {seconds} a page" if rounds > 1 else f"{seconds} a page"


LEGEND = (
    "req/s, p50 and p95 (ms): cold, with the page cache off. cold, cached, 304: requests "
    "per second as a share of the reference view's, asked for in turns with the page. "
    "MB: the most resident memory a worker had while serving the page. "
    "—: not measured (no validator, or no 304). !: see below."
)


def summarize_reference(loads):
    """The reference view's row: the median of its loads beside each page, and their range.

    The median, because a page that fails slowly (a worker killed at its
    timeout) drags the reference view's figures beside it down with it.
    """
    rates = [measured["rate"] for measured in loads]
    return {
        "rate": round(statistics.median(rates), 1),
        "p50_ms": _rounded(statistics.median(measured["p50_ms"] for measured in loads)),
        "p95_ms": _rounded(statistics.median(measured["p95_ms"] for measured in loads)),
        "lowest": min(rates),
        "highest": max(rates),
    }


# -- the command -----------------------------------------------------------------------


class Command(BaseCommand):
    help = "Serve the site with gunicorn and time every kind of page (see the module)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--name", help="What to call these results (default: the database's name)."
        )
        parser.add_argument(
            "--beside",
            metavar="NAME=DATABASE_URL",
            help="Measure this database too, page by page in turns with DATABASE_URL's.",
        )
        parser.add_argument(
            "--seconds", type=float, default=2.0, help="Load per page, run and round."
        )
        parser.add_argument(
            "--rounds",
            type=int,
            default=1,
            help="Loads per page and run, taken in turns with --beside's, their latencies pooled.",
        )
        parser.add_argument(
            "--workers", type=int, default=2, help="gunicorn workers, and clients."
        )
        parser.add_argument(
            "--only", action="append", default=[], help="Only the pages whose label contains this."
        )
        parser.add_argument(
            "--table", nargs="+", metavar="NAME", help="Print these saved results side by side."
        )
        parser.add_argument(
            "--pages",
            action="store_true",
            help="Print the pages chosen from the database, and its sizes, as JSON (for --beside).",
        )

    def handle(self, *args, name, beside, seconds, rounds, workers, only, table, pages, **options):
        if table:
            runs = [self._saved(saved) for saved in table]
            self.stdout.write(f"{format_table(runs)}\n\n{LEGEND}\n{notes(runs)}")
            return
        if pages:
            self.stdout.write(json.dumps(chosen(only)))
            return
        if seconds <= 0 or workers < 1 or rounds < 1:
            raise CommandError("--seconds must be above 0, and --workers and --rounds at least 1.")
        self.seconds, self.workers, self.rounds = seconds, workers, rounds
        name = name or Path(str(settings.DATABASES["default"]["NAME"])).name
        beside_name, separator, url = (beside or "").partition("=")
        if beside is not None and (not (separator and beside_name and url) or beside_name == name):
            raise CommandError(
                "--beside takes a name of its own and a database: "
                "--beside fixtures=postgres://…/wiki_bench_fixtures."
            )
        sets = [DataSet(name, {}, chosen(only))]
        if beside is not None:
            sets.insert(0, DataSet(beside_name, {"DATABASE_URL": url}, chosen_in(url, only)))
        connection.close()  # gunicorn's workers have their own
        RESULTS.mkdir(exist_ok=True)
        self._collect_static()
        for data in sets:
            data.run.update(workers=workers, seconds=seconds, rounds=rounds)
            data.log.unlink(missing_ok=True)
            self.stdout.write(
                f"{data.name}: {len(data.rows)} pages, {data.run['sizes_text']}; "
                f"gunicorn's log: {data.log}"
            )
        started = time.monotonic()
        labels = list(dict.fromkeys(label for data in sets for label in data.rows))
        with ExitStack() as servers:
            for data in sets:
                data.server = servers.enter_context(Server(workers, 0, data.log, data.env))
                # The reference view alone, for its own row's memory.
                data.server.renew_workers()
                with MemoryWatch(data.server) as memory:
                    load(data.server.address, REFERENCE, seconds=seconds, clients=workers)
                data.run["reference"] = {"peak_mb": round(memory.peak / 1e6, 1)}
            for label in labels:
                measured = self._in_rounds(sets, label, self._cold_round)
                for data, (page, reference, peak) in measured.items():
                    self._cold(data, data.rows[label], page, reference, peak)
        with ExitStack() as servers:
            for data in sets:
                data.server = servers.enter_context(
                    Server(workers, CACHED_SECONDS, data.log, data.env)
                )
            for label in labels:
                measured = self._in_rounds(sets, label, self._cached_round)
                for data, (page, reference, _) in measured.items():
                    self._cached(data, data.rows[label], page, reference)
        elapsed = round(time.monotonic() - started)
        runs = [data.finish(elapsed) for data in sets]
        for run in runs:
            (RESULTS / f"{run['name']}.json").write_text(
                json.dumps(run, indent=2, ensure_ascii=False) + "\n"
            )
        self.stdout.write(f"{format_table(runs)}\n\n{LEGEND}\n{notes(runs)}")
        saved = ", ".join(f"{RESULTS / run['name']}.json" for run in runs)
        self.stdout.write(f"{elapsed} s; the figures: {saved}")

    def _load(self, server, url, **options):
        """(the page's Load, the reference view's), taken in turns."""
        options = {"seconds": self.seconds, "clients": self.workers, **options}
        return load(server.address, url, REFERENCE, **options)

    def _in_rounds(self, sets, label, measure):
        """{data set: (page's Load, reference view's Load, peak memory)} of the page
        `label`, measured by `measure(data, url)` on each data set in turn, round after
        round, each round's latencies pooled with the last's.

        In rounds, because the machine's pace drifts: a few seconds on one data set,
        then on the other, then again, puts both under the same drift, where one
        longer load each would put one under a slow minute and the other not. A
        page slower than a round (a whole export of the generated data, 20 s and
        more) has one round: each of its requests is a load of its own.
        """
        measured = {}
        for _ in range(self.rounds):
            for data in sets:
                if label not in data.rows:
                    continue
                if data in measured and measured[data][0].ms(50) > self.seconds * 1000:
                    continue
                page, reference, peak = measure(data, data.rows[label]["url"])
                if data in measured:
                    pooled_page, pooled_reference, pooled_peak = measured[data]
                    page = pooled_page.add(page)
                    reference = pooled_reference.add(reference)
                    peak = max(peak, pooled_peak)
                measured[data] = (page, reference, peak)
        return measured

    def _cold_round(self, data, url):
        """The page with the cache off, from fresh workers: their peak memory is its own."""
        data.server.renew_workers()
        with MemoryWatch(data.server) as memory:
            page, reference = self._load(data.server, url)
        return page, reference, memory.peak

    def _cached_round(self, data, url):
        """The page from the shared cache: its warm-up requests fill it."""
        return (*self._load(data.server, url), 0)

    def _cold(self, data, row, cold, reference, peak):
        """Records the page's cold rounds, then asks for it with its validators."""
        server = data.server
        row["reference"] = {"cold": reference.summary()}
        row["cold"] = cold.summary()
        row["peak_mb"] = round(peak / 1e6, 1)
        row["validators"] = cold.validators
        row["conditional"] = None
        self._check(row, cold, "cold", 200)
        if cold.validators:
            asked = conditional_headers(cold.validators)
            conditional, reference = self._load(server, row["url"], headers=asked, warm_up=1)
            row["reference"]["conditional"] = reference.summary()
            if conditional.unexpected(304):
                self._problem(
                    row, f"asked with {', '.join(asked)}: {_statuses(conditional.statuses)}"
                )
            else:
                row["conditional"] = conditional.summary()
        self.stdout.write(
            f"  {data.name}, {row['label']}: cold {cold.rate:,.0f} req/s "
            f"({_share(cold.rate, row['reference']['cold']['rate'])}), "
            f"p95 {_number(cold.ms(95))} ms, {row['peak_mb']:.0f} MB"
        )

    def _cached(self, data, row, cached, reference):
        """Records the page's cached rounds."""
        row["reference"]["cached"] = reference.summary()
        row["cached"] = cached.summary()
        self._check(row, cached, "cached", 200)
        self.stdout.write(
            f"  {data.name}, {row['label']}: cached {cached.rate:,.0f} req/s "
            f"({_share(cached.rate, reference.rate)})"
        )

    def _check(self, row, measured, run, expected):
        unexpected = measured.unexpected(expected)
        if unexpected:
            self._problem(row, f"{run}: {_statuses(unexpected)}")

    def _problem(self, row, problem):
        row.setdefault("problems", []).append(problem)

    def _collect_static(self):
        """The production settings serve hashed static files, which collectstatic writes."""
        env = {
            **os.environ,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        }
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
        )

    def _saved(self, name):
        path = RESULTS / f"{name}.json"
        try:
            return json.loads(path.read_text())
        except FileNotFoundError:
            raise CommandError(
                f"No results named {name}: run manage.py bench --name {name}."
            ) from None


def chosen(only=()):
    """What a run measures of the database this process uses: its pages (those whose
    label contains one of `only`, if any) and what it holds."""
    pages = [p for p in choose_pages() if not only or any(o in p.label for o in only)]
    if not pages:
        raise CommandError(f"No page's label contains {' or '.join(only)}.")
    return {
        "database": str(settings.DATABASES["default"]["NAME"]),
        "vendor": connection.vendor,
        "sizes": sizes(),
        "pages": [{"label": page.label, "url": page.url} for page in pages],
    }


def chosen_in(database_url, only=()):
    """chosen() of another database, asked of a process of its own (settings are read once)."""
    command = [sys.executable, "manage.py", "bench", "--pages"]
    command += [argument for o in only for argument in ("--only", o)]
    done = subprocess.run(
        command,
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise CommandError(f"Could not choose the pages of {database_url}:\n{done.stderr}")
    return json.loads(done.stdout)


class DataSet:
    """One database a run measures: its pages' rows, its server, and its results."""

    def __init__(self, name, env, found):
        """`found`: what chosen() found in the database."""
        self.name, self.env = name, env
        self.log = RESULTS / f"{name}-gunicorn.log"
        self.rows = {page["label"]: dict(page) for page in found["pages"]}
        self.server = None
        self.run = {
            "name": name,
            "database": found["database"],
            "vendor": found["vendor"],
            "sizes": found["sizes"],
            "sizes_text": ", ".join(f"{n:,} {what}" for what, n in found["sizes"].items()),
            "cache": "Redis"
            if os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
            else "LocMemCache",
            "made": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        }

    def finish(self, elapsed):
        """The run's results, once every page is measured."""
        rows = list(self.rows.values())
        peak = self.run["reference"]["peak_mb"]
        self.run["reference"] = {
            kind: summarize_reference([row["reference"][kind] for row in rows])
            for kind in ("cold", "cached")
        }
        self.run["reference"]["peak_mb"] = peak
        self.run["pages"] = rows
        self.run["elapsed_seconds"] = elapsed
        return self.run


def _statuses(statuses):
    return ", ".join(f"{status} ×{n}" for status, n in sorted(statuses.items()))


def sizes():
    """How many rows of each entry type, citations and saves the database holds."""
    counts = {entry_type.path: entry_type.model.objects.count() for entry_type in entry_types}
    counts["citations"] = Citation.objects.count()
    counts["saves"] = Change.objects.count()
    return counts
