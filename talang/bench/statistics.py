"""`make bench` (third part): the statistics dashboard and API at 10 000 and 1 000 000 ledger rows.

For each database (PostgreSQL, then SQLite in a temporary folder) and each size, a child
process migrates a new database, loads the shipped region, adds a viewer and a coordinator, and
bulk-loads ledger rows (COPY on PostgreSQL, executemany in batches on SQLite) spread over the
last five years, the eight municipalities and the region, and every kind, with channels,
campaigns, origins, size bands, and registration months and days for moves (2 % of them taken
back); then it rebuilds the monthly table from them, as after any bulk load. It then
measures in-process, with Django's test client under production settings: the dashboard as the
viewer and as the coordinator, and ``GET /api/v1/statistics`` with the viewer's token, each for
the default period (this year to today) and for last year, 30 requests after 3 of warm-up. The
target: p95 at 1 000 000 rows ≤ twice p95 at 10 000 rows. It prints the table, rewrites the
"Statistics (issue 5)" section of docs/benchmarks.md and exits 1 when a target is missed.

Environment: BENCH_STAT_SIZES (``10000,1000000``), BENCH_REQUESTS (30), BENCH_DATABASES
(``postgres,sqlite``), BENCH_STAT_POSTGRES_URL
(``postgres://postgres@127.0.0.1:5432/talang_bench_stat``; dropped and created), BENCH_WRITE
(``true``).
"""

import datetime as dt
import io
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

from talang.bench.run import postgres_drop, postgres_prepare, run_module, write_doc
from talang.bench.workspace import Progress, env_int, percentile, say, timed

ROOT = Path(__file__).resolve().parents[2]
HEADING = "## Statistics (issue 5)"
POSTGRES_DEFAULT = "postgres://postgres@127.0.0.1:5432/talang_bench_stat"
CHILD = "BENCH_STAT_CHILD"
RATIO_TARGET = 2.0
YEARS = 5

# Kind, weight; registrations and status changes dominate, as in a real region.
KINDS = [
    ("registration", 30),
    ("first_response_on_time", 22),
    ("first_response_late", 6),
    ("status_change", 25),
    ("move", 4),
    ("magazine_order", 5),
    ("subscription", 5),
    ("unsubscription", 1),
    ("event_attendance", 2),
    ("employer_found_staff", 0.2),
]
MUNICIPALITIES = ["2303", "2305", "2309", "2313", "2321", "2326", "2361", "2380", ""]
CHANNELS = ["region", "api", *MUNICIPALITIES[:-1]]
CAMPAIGNS = ["", "", "", "winter", "summer", "jobs", "returners"]
ORIGINS = ["SE-AB", "SE-O", "SE-M", "SE-C", "SE-Y", "SE-AC", "SE-Z", "NO", "DE", "NL", "FI", "DK"]
BANDS = ["1", "2", "3-4", "5+"]
STATUSES = ["contacted", "in_dialogue", "visiting", "moved", "not_moving", "paused"]
COLUMNS = (
    "date, region_code, municipality_code, kind, channel, campaign, origin, size_band, detail,"
    " cohort, days"
)


def rows(count: int, region_code: str, today: dt.date, seed: int = 5):
    """``count`` ledger rows in batches of 50 000 (tuples in COLUMNS order)."""
    rng = random.Random(seed)  # noqa: S311 - repeatable test data
    kinds = [kind for kind, _w in KINDS]
    weights = [w for _k, w in KINDS]
    span = YEARS * 365
    batch = []
    for _ in range(count):
        kind = rng.choices(kinds, weights)[0]
        day = today - dt.timedelta(days=rng.randrange(span))
        municipality = rng.choice(MUNICIPALITIES)
        channel = campaign = origin = band = detail = ""
        cohort = days = None
        if kind in ("registration", "move"):
            channel, campaign = rng.choice(CHANNELS), rng.choice(CAMPAIGNS)
            origin, band = rng.choice(ORIGINS), rng.choice(BANDS)
        if kind == "status_change":
            detail = rng.choice(STATUSES)
        elif kind == "move":
            days = rng.randrange(720)
            cohort = (day - dt.timedelta(days=days)).replace(day=1)
            detail = "undone" if rng.random() < 0.02 else ""
        elif kind == "magazine_order":
            municipality, origin = "", rng.choice(["SE", "NO", "DE"])
        elif kind in ("subscription", "unsubscription"):
            municipality = ""
        batch.append(
            (
                day,
                region_code,
                municipality,
                kind,
                channel,
                campaign,
                origin,
                band,
                detail,
                cohort,
                days,
            )
        )
        if len(batch) == 50_000:
            yield batch
            batch = []
    if batch:
        yield batch


def load(count: int, region_code: str) -> None:
    from django.db import connection, transaction

    from talang.reporting.monthly import monthly_rebuild

    today = dt.date.today()
    progress = Progress("ledger rows", count)
    with connection.cursor() as cursor:
        for batch in rows(count, region_code, today):
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY reporting_statevent ({COLUMNS}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                with transaction.atomic():
                    cursor.executemany(
                        f"INSERT INTO reporting_statevent ({COLUMNS})"  # noqa: S608
                        f" VALUES ({', '.join(['%s'] * 11)})",
                        batch,
                    )
            progress.add(len(batch))
        progress.close()
    # A bulk load bypasses stat_record: count it into the monthly table as a deployment would
    # (manage.py talang_statistics_rebuild).
    rebuilt = Progress("monthly table (ledger rows)", count)
    monthly_rebuild(
        region_code=region_code, progress=lambda done, _total: rebuilt.add(done - rebuilt.done)
    )
    rebuilt.close()
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE" if connection.vendor == "sqlite" else "ANALYZE reporting_statevent"
        )
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE reporting_statmonth")


def child(database: str) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from talang.accounts.models import Region, Role
    from talang.accounts.services import api_token_create
    from talang.reporting.models import Goal, StatEvent
    from talang.testing import make_user, sign_in

    size = int(os.environ["BENCH_STAT_ROWS"])
    requests = env_int("BENCH_REQUESTS", 30)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # as a deployment does
    call_command("talang_region", "jamtland-harjedalen", stdout=io.StringIO())
    region = Region.objects.get()
    viewer = make_user("viewer@example.org", "Eva Ek", Role.VIEWER, None, region)
    coordinator = make_user("coordinator@example.org", "Cecilia C", Role.COORDINATOR, None, region)
    today = dt.date.today()
    Goal.objects.create(
        region=region,
        kind="households_moved",
        target=400,
        starts_on=dt.date(today.year - 1, 1, 1),
        ends_on=dt.date(today.year + 2, 12, 31),
    )
    say(f"[{database}] loading {size} ledger rows")
    load(size, region.code)
    result = {
        "database": database,
        "rows": StatEvent.objects.count(),
        "load_seconds": time.perf_counter() - started,
    }
    viewer_client, coordinator_client = sign_in(Client(), viewer), sign_in(Client(), coordinator)
    _token, raw = api_token_create(user=viewer, name="bench", by=None)
    api_client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    last_year = f"from={today.year - 1}-01-01&to={today.year - 1}-12-31"

    def get(client, path):
        def call():
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"bench: GET {path}: {response.status_code}")

        return call

    cases = {
        "dashboard, viewer, this year": get(viewer_client, "/staff/statistics/"),
        "dashboard, coordinator, this year": get(coordinator_client, "/staff/statistics/"),
        "dashboard, viewer, last year": get(viewer_client, f"/staff/statistics/?{last_year}"),
        "API, viewer, this year": get(api_client, "/api/v1/statistics"),
        "API, viewer, last year": get(api_client, f"/api/v1/statistics?{last_year}"),
    }
    result["timings"] = {label: timed(call, requests) for label, call in cases.items()}
    with CaptureQueriesContext(connection) as captured:
        cases["dashboard, viewer, this year"]()
    result["queries"] = len(captured)
    result["requests"] = requests
    return result


def run_child(database: str, url: str, size: int, var_dir: str) -> dict:
    settings = {
        CHILD: database,
        "BENCH_STAT_ROWS": str(size),
        "TALANG_VAR_DIR": var_dir,
        "DATABASE_URL": url,
    }
    result, done = run_module("talang.bench.statistics", settings)
    return result or {"database": database, "failure": f"exit code {done.returncode}"}


def table(database: str, small: dict, large: dict) -> tuple[list[str], bool]:
    title = {"sqlite": "SQLite", "postgres": "PostgreSQL"}[database]
    lines = [f"### {title}", ""]
    for result in (small, large):
        if result.get("skipped") or result.get("failure"):
            reason = result.get("skipped") or result.get("failure")
            return [*lines, f"Not measured: {reason}", ""], not result.get("failure")
    lines += [
        "| measure | 10k rows: p50 / p95 ms | 1M rows: p50 / p95 ms | p95 ratio | target"
        " | result |",
        "|---|---|---|---|---|---|",
        f"| ledger rows | {small['rows']:,} | {large['rows']:,} |  |  |  |".replace(",", " "),
        f"| load (migrate + rows), s | {small['load_seconds']:.0f} | {large['load_seconds']:.0f}"
        " |  |  |  |",
        f"| queries per dashboard request | {small['queries']} | {large['queries']} |  |  |  |",
    ]
    ok = True
    for label, times in small["timings"].items():
        big = large["timings"][label]
        p95s, p95l = percentile(times, 95), percentile(big, 95)
        ratio = p95l / p95s if p95s else float("inf")
        passed = ratio <= RATIO_TARGET
        ok &= passed
        lines.append(
            f"| {label} | {percentile(times, 50):.1f} / {p95s:.1f} |"
            f" {percentile(big, 50):.1f} / {p95l:.1f} | {ratio:.2f}× | ≤ {RATIO_TARGET:g}× |"
            f" {'PASS' if passed else 'FAIL'} |"
        )
    return [*lines, ""], ok


def main() -> int:
    databases = [
        d.strip() for d in os.environ.get("BENCH_DATABASES", "postgres,sqlite").split(",") if d
    ]
    sizes = [int(s) for s in os.environ.get("BENCH_STAT_SIZES", "10000,1000000").split(",")]
    url = os.environ.get("BENCH_STAT_POSTGRES_URL", POSTGRES_DEFAULT)
    sections, ok = [], True
    for database in databases:
        results = []
        for size in sizes:
            with tempfile.TemporaryDirectory(prefix="talang-bench-stat-") as var_dir:
                if database == "postgres":
                    problem = postgres_prepare(url)
                    if problem:
                        results.append({"database": database, "skipped": problem})
                        continue
                    database_url = url
                else:
                    database_url = f"sqlite:///{var_dir}/bench.sqlite3"
                say(f"[{database}] {size} rows")
                results.append(run_child(database, database_url, size, var_dir))
                if database == "postgres":
                    postgres_drop(url)
        lines, passed = table(database, results[0], results[-1])
        ok &= passed
        sections += lines
    now = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    machine = f"{os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}"
    text = "\n".join(
        [
            HEADING,
            "",
            f"Last run: {now}, on {machine}. Command: `python -m talang.bench.statistics`.",
            "",
            "Generated ledgers (talang/bench/statistics.py) of 10 000 and 1 000 000 rows over five"
            " years, eight municipalities and the region, every kind. Measured in-process with"
            " Django's test client under production settings, 30 requests after 3 of warm-up,"
            " nearest-rank percentiles. Target: p95 at 1M ≤ 2 × p95 at 10k. The design is in"
            " docs/statistics.md.",
            "",
            *sections,
        ]
    )
    print(text)
    if os.environ.get("BENCH_WRITE", "true").lower() in {"1", "true", "yes"}:
        write_doc(text, HEADING)
    return 0 if ok else 1


if __name__ == "__main__":
    if os.environ.get(CHILD):
        print(json.dumps(child(os.environ[CHILD]), default=str))
        sys.exit(0)
    sys.exit(main())
