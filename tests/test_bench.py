"""manage.py bench, piece by piece: the pages it chooses, the reference view, its load
generator, its table, and the gunicorn configuration it serves the site with.

Nothing here times anything or starts gunicorn: `make bench` does both.
"""

import gc
import http.server
import os
import runpy
import subprocess
import sys
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from gunicorn.config import Config

from partnerships.management.commands import bench
from partnerships.management.commands.bench import (
    Load,
    children_of,
    choose_pages,
    conditional_headers,
    format_table,
    load,
    notes,
    peak_memory,
    percentile,
)
from partnerships.models import (
    Agreement,
    AgreementParty,
    ExerciseParticipant,
    Partner,
    Procurement,
)

GUNICORN_CONF = settings.BASE_DIR / "config" / "gunicorn.conf.py"
GUNICORN_VARIABLES = (
    "GUNICORN_BIND",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "GUNICORN_ACCESS_LOG",
    "GUNICORN_TIMEOUT",
    "GUNICORN_CONTROL_SOCKET",
)


@pytest.fixture(scope="module")
def loaded_fixtures(django_db_setup, django_db_blocker):
    """The fixtures, loaded once for the tests that choose pages, and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_fixtures", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


# -- the pages ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_chooses_every_kind_of_page(loaded_fixtures):
    labels = [page.label for page in choose_pages()]

    assert labels == [
        "home",
        "partners list",
        "partners list, filtered",
        "agreements list",
        "agreements list, filtered",
        "exercises list",
        "exercises list, filtered",
        "equipment list",
        "equipment list, filtered",
        "people list",
        "people list, filtered",
        "engagements list",
        "engagements list, filtered",
        "indicators list",
        "indicators list, filtered",
        "sources list",
        "sources list, filtered",
        "agreements list, ?q=",
        "agreements list, deep",
        "partner page, busiest",
        "agreement page",
        "exercise page",
        "equipment page",
        "person page",
        "engagement page",
        "indicator page",
        "source page",
        "search",
        "search, one type",
        "timeline",
        "network",
        "recent changes",
        "changes feed",
        "data quality",
        "history",
        "compare",
        "CSV export",
        "JSON export",
    ]


@pytest.mark.django_db
def test_it_chooses_pages_that_answer(loaded_fixtures, client):
    for page in choose_pages():
        response = client.get(page.url)

        assert response.status_code == 200, (page, response.content[:300])
        assert body(response), page


@pytest.mark.django_db
def test_it_filters_each_list_to_rows_the_fixtures_have(loaded_fixtures, client):
    # A filter that matched nothing in the fixtures compared an empty page there
    # with a page of 25 rows in the generated data: the cost of the rows, not of
    # the data's size.
    for page in choose_pages():
        if page.label.endswith(", filtered"):
            response = client.get(page.url)
            assert response.context["rows"], page


@pytest.mark.django_db
def test_it_chooses_the_partner_with_the_most_entries(loaded_fixtures):
    entries = {partner.slug: 0 for partner in Partner.objects.all()}
    for party in AgreementParty.objects.select_related("partner"):
        entries[party.partner.slug] += 1
    for participant in ExerciseParticipant.objects.select_related("partner"):
        entries[participant.partner.slug] += 1
    for deal in Procurement.objects.select_related("supplier", "manufacturer"):
        for partner in {deal.supplier, deal.manufacturer} - {None}:
            entries[partner.slug] += 1
    busiest = max(entries.values())

    pages = {page.label: page.url for page in choose_pages()}

    slug = pages["partner page, busiest"].split("/")[2]
    assert entries[slug] == busiest
    assert f"partner={slug}&" in pages["agreements list, filtered"]


@pytest.mark.django_db
def test_it_asks_for_the_last_page_of_a_short_list(loaded_fixtures):
    pages = {page.label: page.url for page in choose_pages()}

    # The fixtures' agreements fit on one page.
    assert pages["agreements list, deep"] == "/agreements/?page=1"


@pytest.mark.django_db
def test_it_asks_for_the_deepest_page_a_long_list_opens(loaded_fixtures, monkeypatch):
    monkeypatch.setattr(bench, "PER_PAGE", 1)
    monkeypatch.setattr(bench, "MAX_PAGES", 3)

    assert bench.deep_page() == 3


@pytest.mark.django_db
def test_it_compares_the_most_edited_entrys_first_save_with_its_latest(loaded_fixtures, client):
    agreement = Agreement.objects.order_by("pk").last()
    for summary in ("Reworded once.", "Reworded twice."):
        agreement.summary = summary
        agreement.save()

    pages = {page.label: page.url for page in choose_pages()}

    history = f"/agreements/{agreement.slug}/history/"
    assert pages["history"] == history
    assert pages["compare"].startswith(f"{history}compare/?from=")
    assert pages["compare"].endswith("&to=latest")
    response = client.get(pages["compare"])
    assert response.status_code == 200
    assert "Reworded twice." in response.content.decode()


# -- the reference view ---------------------------------------------------------------------


@override_settings(ROOT_URLCONF="config.bench_urls")
def test_it_serves_the_reference_view_when_benchmarking(client):
    response = client.get("/bench/ok")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain"


def test_it_has_no_reference_view_on_the_site(client, db):
    assert client.get("/bench/ok").status_code == 404


@pytest.mark.parametrize(
    ("flag", "urlconf"), [("true", "config.bench_urls"), (None, "config.urls")]
)
def test_it_mounts_the_reference_view_only_when_benchmark_is_on(flag, urlconf):
    env = {k: v for k, v in os.environ.items() if k != "BENCHMARK"}
    if flag:
        env["BENCHMARK"] = flag
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.ROOT_URLCONF)"],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_ENV_FILE": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == urlconf


# -- percentiles -----------------------------------------------------------------------------


def test_it_interpolates_percentiles_between_ranks():
    assert percentile([4, 1, 3, 2], 50) == 2.5
    assert percentile([10, 20], 95) == pytest.approx(19.5)
    assert percentile(list(range(1, 101)), 95) == pytest.approx(95.05)
    assert percentile([7, 3], 0) == 3
    assert percentile([7, 3], 100) == 7


def test_it_gives_the_one_value_or_none():
    assert percentile([0.25], 95) == 0.25
    assert percentile([], 50) is None
    assert Load("/").ms(95) is None


# -- the load generator -----------------------------------------------------------------------

BIG = b"x" * 300_000
ETAG = '"v1"'


class Handler(http.server.BaseHTTPRequestHandler):
    """A stand-in for the site: /page has a validator and a chunked body, /broken fails,
    anything else answers "ok".

    Like gunicorn's sync workers, it closes the connection after each answer.
    """

    protocol_version = "HTTP/1.1"
    seen = []

    def do_GET(self):
        proto, match = self.headers.get("X-Forwarded-Proto"), self.headers.get("If-None-Match")
        type(self).seen.append((self.path, proto, match))
        if self.path == "/broken":
            self.send_response(500)
            self.send_header("Connection", "close")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path != "/page":
            self.send_response(200)
            self.send_header("Connection", "close")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
        elif match == ETAG:
            self.send_response(304)
            self.send_header("Connection", "close")
            self.send_header("ETag", ETAG)
            self.end_headers()
        else:
            self.send_response(200)
            self.send_header("Connection", "close")
            self.send_header("ETag", ETAG)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(BIG), 100_000):
                chunk = BIG[start : start + 100_000]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    Handler.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    yield server.server_address
    server.shutdown()
    server.server_close()
    thread.join()


def test_it_times_every_request_after_the_warm_up(site):
    [measured] = load(site, "/page", seconds=0.3, clients=2)

    assert measured.statuses == {"200": measured.requests}
    assert len(Handler.seen) == measured.requests + 2 * bench.WARM_UP
    assert measured.requests == len(measured.latencies) > 0
    assert 0 < measured.ms(50) <= measured.ms(95)
    assert measured.unexpected(200) == {}


def test_it_gives_the_rate_two_clients_get_through(site):
    [measured] = load(site, "/page", seconds=0.2, clients=2)

    mean = sum(measured.latencies) / measured.requests
    assert measured.rate == pytest.approx(2 / mean)


def test_it_asks_for_a_page_and_the_reference_in_turns(site):
    page, reference = load(
        site, "/page", "/ok", seconds=0.2, clients=1, headers={"If-None-Match": '"v0"'}
    )

    paths = [path for path, _, _ in Handler.seen]
    assert paths == ["/page", "/ok"] * (len(paths) // 2)
    assert page.requests == reference.requests == len(paths) // 2 - bench.WARM_UP
    assert (page.url, reference.url) == ("/page", "/ok")
    # The page's headers go with the page alone.
    assert {match for path, _, match in Handler.seen if path == "/ok"} == {None}
    assert {match for path, _, match in Handler.seen if path == "/page"} == {'"v0"'}


def test_it_reads_a_streamed_answer_to_its_end(site):
    [measured] = load(site, "/page", seconds=0.1, clients=1)

    assert measured.body_bytes == len(BIG)


def test_it_says_it_is_behind_a_tls_proxy(site):
    load(site, "/page", seconds=0.1, clients=1)

    assert {proto for _, proto, _ in Handler.seen} == {"https"}


def test_it_asks_again_with_the_first_answers_validators(site):
    [first] = load(site, "/page", seconds=0.1, clients=1)

    [again] = load(
        site, "/page", seconds=0.1, clients=2, headers=conditional_headers(first.validators)
    )

    assert first.validators == {"ETag": ETAG}
    assert conditional_headers(first.validators) == {"If-None-Match": ETAG}
    assert again.statuses == {"304": again.requests}
    assert again.body_bytes == 0


def test_it_counts_failures_instead_of_timing_them_silently(site):
    [measured] = load(site, "/broken", seconds=0.1, clients=2)

    assert measured.unexpected(200) == {"500": measured.requests}


def test_it_warms_up_a_slow_page_once(site):
    load(site, "/page", seconds=0.000_001, clients=1)

    # One warm-up request, then at least one timed.
    assert len(Handler.seen) == 2


def test_it_counts_a_server_that_does_not_answer():
    with bench.socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        address = closed.getsockname()

    [measured] = load(address, "/", seconds=0.05, clients=1, warm_up=0)

    assert set(measured.statuses) == {"error"}


# -- the table ----------------------------------------------------------------------------------


def measured(rate, p50=1.0, p95=2.0):
    return {"rate": rate, "p50_ms": p50, "p95_ms": p95}


def page(label, cold, cached=None, conditional=None, reference=(1000, 800, 1000), **extra):
    """A page's results, measured with the reference view's `reference` (cold, cached, 304) req/s."""
    row = {"label": label, "url": f"/{label}/", "cold": cold, "cached": cached}
    row["reference"] = {
        kind: measured(rate)
        for kind, rate in zip(("cold", "cached", "conditional"), reference, strict=True)
    }
    return {**row, "conditional": conditional, "peak_mb": 60.0, **extra}


def run(name, pages, cold, cached):
    """A run's results; `cold` and `cached`: the reference view's (mean, lowest, highest)."""
    reference = {
        kind: {**measured(mean), "lowest": lowest, "highest": highest}
        for kind, (mean, lowest, highest) in {"cold": cold, "cached": cached}.items()
    }
    return {
        "name": name,
        "database": f"wiki_{name}",
        "vendor": "postgresql",
        "sizes_text": "7 agreements",
        "cache": "LocMemCache",
        "workers": 2,
        "seconds": 2.0,
        "reference": {**reference, "peak_mb": 55.4},
        "pages": pages,
    }


def row_of(text, label):
    line = next(line for line in text.splitlines() if line.startswith(label))
    return line[len(bench.LABEL_WIDTH * " ") :].split()


FIXTURES = run(
    "fixtures",
    [
        page("home", measured(500, 3.0, 4.3), measured(720), measured(900)),
        page(
            "timeline",
            measured(60, 30.0, 40.0),
            reference=(1200, 800, 1200),
            problems=["cold: 500 ×3"],
        ),
    ],
    cold=(1100, 1000, 1200),
    cached=(800, 800, 800),
)
GENERATED = run(
    "generated",
    [
        page(
            "home",
            measured(250, 6.0, 8.5),
            measured(400),
            reference=(500, 500, 500),
            peak_mb=120.4,
        )
    ],
    cold=(500, 500, 500),
    cached=(500, 500, 500),
)


def test_it_prints_a_row_a_page_with_its_shares_of_the_reference_views_rate():
    text = format_table([FIXTURES])

    assert row_of(text, "home") == ["500", "3.0", "4.3", "50%", "90%", "90%", "60"]
    assert row_of(text, "timeline")[:4] == ["60.0!", "30.0", "40.0", "5%"]
    assert row_of(text, "reference") == ["1,100", "1.0", "2.0", "100%", "—", "—", "55"]


def test_it_prints_a_dash_for_what_was_not_measured():
    text = format_table([FIXTURES])

    # No cached answer, no validator: nothing to print.
    assert row_of(text, "timeline")[4:] == ["—", "—", "60"]


def test_it_flags_a_page_that_did_not_answer_200():
    assert row_of(format_table([FIXTURES]), "timeline")[0] == "60.0!"
    assert "! timeline (/timeline/): cold: 500 ×3" in notes([FIXTURES])


def test_it_prints_the_runs_side_by_side_with_the_p95_ratio():
    text = format_table([FIXTURES, GENERATED])

    header = text.splitlines()[0]
    assert header.split() == ["fixtures", "generated"]
    assert header.index("generated") > header.index("fixtures") + 40
    # fixtures, generated, then generated's p95 over the fixtures'.
    home = row_of(text, "home")
    assert home == [
        *["500", "3.0", "4.3", "50%", "90%", "90%", "60"],
        *["250", "6.0", "8.5", "50%", "80%", "—", "120"],
        "2.0",  # 8.5 / 4.3
    ]
    # A page one run did not measure: blank cells, and no ratio.
    assert row_of(text, "timeline") == ["60.0!", "30.0", "40.0", "5%", "—", "—", "60", "—"]


def test_it_notes_each_runs_data_and_the_reference_views_range():
    text = notes([FIXTURES, GENERATED])

    assert (
        "fixtures: wiki_fixtures (postgresql), 7 agreements; 2 workers, 2.0 s a page, LocMemCache"
        in text
    )
    assert "the reference view 1,000–1,200 req/s cold, 800–800 cached" in text


def test_it_notes_how_many_rounds_each_page_was_loaded():
    assert "2 workers, 3 rounds of 2.0 s a page, LocMemCache" in notes([{**FIXTURES, "rounds": 3}])
    assert "2 workers, 2.0 s a page" in notes([{**FIXTURES, "rounds": 1}])


def test_it_sums_up_the_reference_views_loads_by_their_median():
    loads = [
        measured(1000, 1.0, 2.0),
        measured(1200, 2.0, 4.0),
        measured(1100, 3.0, 3.0),
        measured(2, 900.0, 30000.0),  # beside a page whose workers were killed
    ]

    assert bench.summarize_reference(loads) == {
        "rate": 1050.0,
        "p50_ms": 2.5,
        "p95_ms": 3.5,
        "lowest": 2,
        "highest": 1200,
    }


def test_it_prints_saved_results_side_by_side(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "RESULTS", tmp_path)
    for results in (FIXTURES, GENERATED):
        (tmp_path / f"{results['name']}.json").write_text(bench.json.dumps(results))
    out = StringIO()

    call_command("bench", "--table", "fixtures", "generated", stdout=out)

    assert out.getvalue().startswith(format_table([FIXTURES, GENERATED]))


@pytest.mark.django_db
def test_it_prints_the_pages_it_would_measure_for_another_run_to_use(loaded_fixtures):
    out = StringIO()

    call_command("bench", "--pages", "--only", "list", stdout=out)

    chosen = bench.json.loads(out.getvalue())
    assert chosen["vendor"] == bench.connection.vendor
    assert chosen["sizes"]["agreements"] == Agreement.objects.count()
    labels = [page["label"] for page in chosen["pages"]]
    assert labels and all("list" in label for label in labels)
    assert {"label": "agreements list", "url": "/agreements/"} in chosen["pages"]


@pytest.mark.parametrize(
    "beside", ["fixtures", "=postgres://x/y", "fixtures=", "same=postgres://x"]
)
def test_it_refuses_a_database_beside_without_a_name_of_its_own(beside):
    with pytest.raises(bench.CommandError, match="--beside takes a name of its own"):
        call_command("bench", "--name", "same", "--beside", beside, stdout=StringIO())


def test_it_sums_up_each_database_beside_the_other_as_a_run_of_its_own():
    chosen = {
        "database": "wiki_fixtures",
        "vendor": "postgresql",
        "sizes": {"agreements": 7, "saves": 36},
        "pages": [{"label": "home", "url": "/"}],
    }
    data = bench.DataSet("fixtures", {"DATABASE_URL": "postgres://x/y"}, chosen)
    data.run.update(workers=2, seconds=2.0, reference={"peak_mb": 61.5})
    data.rows["home"].update(page("home", measured(500, 3.0, 4.3), measured(720)))

    run = data.finish(elapsed=12)

    assert run["sizes_text"] == "7 agreements, 36 saves"
    assert run["reference"]["peak_mb"] == 61.5
    assert run["reference"]["cold"]["rate"] == 1000
    assert [row["label"] for row in run["pages"]] == ["home"]
    assert "home" in format_table([run]) and "fixtures: wiki_fixtures" in notes([run])


def timed(url, *latencies, status="200", validators=None):
    taken = Load(url, clients=2, latencies=list(latencies), seconds=sum(latencies))
    taken.statuses[status] = len(latencies)
    taken.validators = validators or {}
    return taken


def test_it_pools_a_later_rounds_load_into_the_first():
    first = timed("/", 0.010, 0.020, validators={"ETag": '"v1"'})
    later = timed("/", 0.030, status="500")

    pooled = first.add(later)

    assert pooled.latencies == [0.010, 0.020, 0.030]
    assert pooled.statuses == {"200": 2, "500": 1}
    assert pooled.seconds == pytest.approx(0.060)
    assert pooled.validators == {"ETag": '"v1"'}
    assert pooled.rate == pytest.approx(2 * 3 / 0.060)


def data_set(name, label, url):
    """A DataSet of one page, as chosen() would have found it."""
    found = {"database": name, "vendor": "postgresql", "sizes": {}}
    return bench.DataSet(name, {}, {**found, "pages": [{"label": label, "url": url}]})


def in_rounds(rounds=3, seconds=2.0):
    """A bench command set to load each page `rounds` times for `seconds`."""
    command = bench.Command()
    command.rounds, command.seconds = rounds, seconds
    return command


def test_it_loads_each_page_in_rounds_taken_in_turns_on_each_database():
    fixtures, generated = data_set("fixtures", "home", "/"), data_set("generated", "home", "/")
    alone = data_set("alone", "feed", "/feed/")
    command = in_rounds()
    asked = []

    def measure(data, url):
        asked.append(data.name)
        latency = 0.010 if data is fixtures else 0.020
        return timed(url, latency), timed(bench.REFERENCE, 0.001), len(asked)

    measured = command._in_rounds([fixtures, generated, alone], "home", measure)

    assert asked == ["fixtures", "generated"] * 3
    assert set(measured) == {fixtures, generated}
    page, reference, peak = measured[generated]
    assert page.latencies == [0.020] * 3 and reference.requests == 3
    assert peak == 6  # the highest of its rounds'


def test_it_loads_a_page_slower_than_a_round_once():
    export = ("CSV export", "/agreements/?format=csv")
    fixtures, generated = data_set("fixtures", *export), data_set("generated", *export)
    command = in_rounds()
    asked = []

    def measure(data, url):
        asked.append(data.name)
        latency = 0.020 if data is fixtures else 25.0
        return timed(url, latency), timed(bench.REFERENCE, 0.001), 0

    measured = command._in_rounds([fixtures, generated], "CSV export", measure)

    assert asked == ["fixtures", "generated", "fixtures", "fixtures"]
    assert measured[generated][0].requests == 1
    assert measured[fixtures][0].requests == 3


def test_it_says_which_results_are_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "RESULTS", tmp_path)

    with pytest.raises(bench.CommandError, match="No results named nothing"):
        call_command("bench", "--table", "nothing")


# -- the workers' memory ----------------------------------------------------------------------------


def test_it_finds_a_servers_workers_and_their_peak_memory():
    sleeper = "import time; print('up', flush=True); time.sleep(30)"
    child = subprocess.Popen([sys.executable, "-c", sleeper], stdout=subprocess.PIPE)
    try:
        child.stdout.readline()  # a whole interpreter, started
        assert child.pid in children_of(os.getpid())
        assert peak_memory(child.pid) > 1_000_000
    finally:
        child.kill()
        child.wait()
        child.stdout.close()

    assert peak_memory(child.pid) == 0


# -- the gunicorn configuration ---------------------------------------------------------------------


def gunicorn_conf(monkeypatch, **env):
    for name in GUNICORN_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    values = runpy.run_path(str(GUNICORN_CONF))
    return {name: value for name, value in values.items() if not name.startswith("_")}


def test_it_configures_gunicorn_for_production_by_default(monkeypatch):
    conf = gunicorn_conf(monkeypatch)

    cores = len(os.sched_getaffinity(0))
    assert conf["bind"] == "127.0.0.1:8000"
    assert conf["workers"] == 2 * cores + 1
    assert conf["threads"] == 1
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (1000, 100)
    assert conf["timeout"] == 120
    assert conf["preload_app"] is True
    assert conf["accesslog"] is None
    assert conf.get("worker_tmp_dir") == ("/dev/shm" if Path("/dev/shm").is_dir() else None)
    assert conf["control_socket_disable"] is True


def test_workers_collect_garbage_rarely_and_never_walk_what_the_master_loaded(monkeypatch):
    conf = gunicorn_conf(monkeypatch)
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    try:
        conf["pre_fork"](None, None)
        assert gc.get_freeze_count() > frozen
        conf["post_fork"](None, None)
        assert gc.get_threshold() == conf["GC_THRESHOLDS"]
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def test_it_takes_gunicorns_settings_from_the_environment(monkeypatch):
    conf = gunicorn_conf(
        monkeypatch,
        GUNICORN_BIND="0.0.0.0:9000",
        WEB_CONCURRENCY="2",
        GUNICORN_THREADS="4",
        GUNICORN_ACCESS_LOG="on",
    )

    assert (conf["bind"], conf["workers"], conf["threads"]) == ("0.0.0.0:9000", 2, 4)
    assert conf["accesslog"] == "-"


def test_it_sets_only_what_gunicorn_knows(monkeypatch):
    config = Config()
    for name, value in gunicorn_conf(monkeypatch).items():
        if name in {"os", "Path", "gc", "GC_THRESHOLDS"}:
            continue
        assert name in config.settings, name
        config.set(name, value)  # gunicorn's own validation

    assert config.workers >= 3


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("WEB_CONCURRENCY", "many", "WEB_CONCURRENCY must be a whole number; got 'many'."),
        ("GUNICORN_THREADS", "0", "GUNICORN_THREADS must be at least 1; got '0'."),
        ("GUNICORN_ACCESS_LOG", "loud", "GUNICORN_ACCESS_LOG must be one of true/false"),
    ],
)
def test_it_refuses_a_malformed_gunicorn_setting(monkeypatch, name, raw, message):
    with pytest.raises(SystemExit, match=message):
        gunicorn_conf(monkeypatch, **{name: raw})


def test_it_takes_the_timeout_from_the_environment(monkeypatch):
    assert gunicorn_conf(monkeypatch, GUNICORN_TIMEOUT="45")["timeout"] == 45


@pytest.mark.parametrize("option", [["--rounds", "0"], ["--seconds", "0"], ["--workers", "0"]])
def test_it_refuses_a_load_of_nothing(option):
    with pytest.raises(bench.CommandError, match="--rounds at least 1"):
        call_command("bench", *option, stdout=StringIO())
