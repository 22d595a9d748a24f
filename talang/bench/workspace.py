"""`make bench` (second part): the guide's workspace on a large generated data set.

For each database (PostgreSQL, then SQLite in a temporary folder) a child process migrates a
new database, loads the shipped region, adds a guide in Östersund (2380) and a coordinator, and
generates households (HOUSEHOLDS, default 1 000 000 on PostgreSQL and 100 000 on SQLite;
BENCH_QUICK=1 for 20 000) with 2.5 people each on average, one open guidance case each spread
over the eight municipalities and the region's queue, and five activities each. Names, e-mail
addresses and E.164 phone numbers are Swedish-looking and deterministic; ``search_text`` follows
talang/contacts/search.py (checked against ``search_text()`` on a sample). PostgreSQL is loaded
with COPY (secondary indexes rebuilt afterwards), SQLite with executemany (its FTS5 triggers
fill the search table).

It then measures in-process, with Django's test client signed in as the guide and the
coordinator: the queue page and the contact card (p50/p95), the number of queries for 10 and
100 queue rows and for a card with 10 and 100 activities, and ``selectors.households_search``
against the raw SQL of the index (on SQLite also against a full-scan LIKE). It prints a table
with PASS/FAIL, rewrites the "Guide's workspace (issue 4)" section of docs/benchmarks.md and
exits 1 when a target is missed.

Environment: HOUSEHOLDS, BENCH_QUICK, BENCH_REQUESTS (30), BENCH_DATABASES
(``postgres,sqlite``), BENCH_WS_POSTGRES_URL
(``postgres://postgres@127.0.0.1:5432/talang_bench_ws``; dropped and created, so its name must
contain "bench"), BENCH_WRITE (``true``), BENCH_WS_KEEP (``false``: with ``true`` the PostgreSQL
database, and the SQLite file in var/bench-workspace/, are kept after the run and reused by the next
run with the same HOUSEHOLDS, for working on the queries; the generation time then reads 0).
"""

import datetime as dt
import io
import json
import math
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

from talang.bench.run import postgres_drop, postgres_prepare, run_module, write_doc
from talang.contacts.search import phone_forms

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Guide's workspace (issue 4)"
POSTGRES_DEFAULT = "postgres://postgres@127.0.0.1:5432/talang_bench_ws"

P95_TARGET_MS = 200.0
SEARCH_RATIO_TARGET = 3.0
SCAN_RATIO_TARGET = 0.05
QUICK_HOUSEHOLDS = 20_000
DEFAULT_HOUSEHOLDS = {"postgres": 1_000_000, "sqlite": 100_000}
CHILD = "BENCH_WS_CHILD"

FIRST_NAMES = [
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Sara",
    "Emma",
    "Ingrid",
    "Kristina",
    "Lena",
    "Elin",
    "Ida",
    "Johanna",
    "Linnéa",
    "Åsa",
    "Märta",
    "Sofia",
    "Hanna",
    "Maja",
    "Renée",
    "Ebba",
    "Lars",
    "Anders",
    "Johan",
    "Erik",
    "Per",
    "Karl",
    "Nils",
    "Mikael",
    "Jonas",
    "Björn",
    "Magnus",
    "Olof",
    "Stefan",
    "André",
    "Gustav",
    "Håkan",
    "Göran",
    "Jörgen",
    "Oskar",
    "Viktor",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Forsberg",
    "Sandberg",
    "Holmberg",
    "Öberg",
    "Åberg",
    "Sjöberg",
    "Nyberg",
    "Strömberg",
    "Lindqvist",
    "Lindström",
    "Ekström",
    "Söderström",
    "Hägglund",
    "Östlund",
    "Wikström",
    "Bergström",
    "Nordin",
    "Dahl",
    "Holm",
    "Björk",
    "Mattsson",
    "Håkansson",
    "Fredriksson",
]
DOMAINS = ("example.org", "example.com", "example.net")
NOTES = (
    "Ringde och pratade om bostad i kommunen.",
    "Vill veta mer om förskola och skola.",
    "Skickade information om lediga jobb.",
    "Har frågor om tomter och byggande.",
    "Bokade ett besök i mars.",
)
MIX = 2654435761


class Progress:
    """One line on stderr, rewritten in place."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done = label, total, 0
        self.started = self.shown = time.perf_counter()

    def add(self, count: int = 1) -> None:
        self.done += count
        now = time.perf_counter()
        if now - self.shown >= 0.5 or self.done >= self.total:
            self.shown = now
            share = self.done / self.total if self.total else 1
            bar = "#" * int(share * 30)
            sys.stderr.write(
                f"\r  {self.label:<28} [{bar:<30}] {share:4.0%} {self.done:>9}/{self.total}"
                f" {now - self.started:6.1f} s"
            )
            sys.stderr.flush()

    def close(self) -> None:
        self.done = self.total - 1
        self.add(1)
        sys.stderr.write("\n")


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip().replace("_", "")
    if not raw:
        return default
    try:
        value = int(float(raw))
    except ValueError:
        raise SystemExit(f"bench: {name} must be a number, got {raw!r}") from None
    if value <= 0:
        raise SystemExit(f"bench: {name} must be more than 0, got {raw!r}")
    return value


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile, in milliseconds (``values`` in seconds)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000


# The data ----------------------------------------------------------------------------------


class Names:
    """Display form, search form (normalise) and e-mail form (ASCII) of the name lists."""

    def __init__(self):
        from talang.contacts.search import normalise

        def mail(name: str) -> str:
            return normalise(name).translate(str.maketrans("åäö", "aao"))

        self.first = [(n, normalise(n), mail(n)) for n in FIRST_NAMES]
        self.last = [(n, normalise(n), mail(n)) for n in LAST_NAMES]


def reference(h: int) -> str:
    """A unique reference per number: an odd multiplier is a bijection modulo 2**40."""
    from talang.contacts.models import REFERENCE_ALPHABET

    x = (h * 1103515245) % (1 << 40)
    return "H" + "".join(REFERENCE_ALPHABET[(x >> (5 * (7 - j))) & 31] for j in range(8))


class Generator:
    """Deterministic rows for household number ``h`` (also its id and its case's id)."""

    def __init__(self, *, vendor, region_id, municipality_ids, guide_id, guide_municipality):
        self.vendor = vendor
        self.names = Names()
        self.region_id = region_id
        self.municipality_ids = municipality_ids  # 8 ids; slot 8 is the region's queue
        self.guide_id = guide_id
        self.guide_municipality = guide_municipality
        self.now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self.today = self.now.date()
        self.suffix = "+00" if vendor == "postgresql" else ""

    def ts(self, moment: dt.datetime) -> str:
        return moment.strftime("%Y-%m-%d %H:%M:%S") + self.suffix

    def household(self, h: int):
        """(household row, person rows, case row, municipality link or None, activity rows)."""
        mix = (h * MIX) & 0xFFFFFFFF
        first, last = self.names.first, self.names.last
        ref = reference(h)
        registered = self.now - dt.timedelta(seconds=(mix >> 3) % (730 * 86400))
        count = 1 + (mix >> 2) % 4  # 1-4 people, 2.5 on average
        surname = last[(mix >> 16) % len(last)]
        domain = DOMAINS[h % 3]
        people, parts = [], [ref.lower()]
        for k in range(count):
            given = first[((mix >> 8) + 7 * k) % len(first)]
            family = surname
            email = phone = ""
            if k == 0:
                role = "main"
                email = f"{given[2]}.{family[2]}{h}@{domain}"
                phone = f"+4670{h % 10**7:07d}"
            elif k == 1:
                role = "partner"
                if mix & 1:
                    family = last[((mix >> 16) + 3) % len(last)]
                if mix & 2:
                    email = f"{given[2]}{h}@{domain}"
                    phone = f"+4673{h % 10**7:07d}"
            else:
                role = "child"
            people.append((h * 4 + k, role, given[0], family[0], email, phone))
            parts += [given[1], family[1], email]
            if phone:
                parts += phone_forms(phone)
        search = " ".join(part for part in parts if part)
        channel = "phone" if mix & 4 else "email"
        registered_s = self.ts(registered)
        household = (
            h,
            ref,
            self.region_id,
            "new",
            ("sv", "sv", "en", "de", "nl")[h % 5],
            min(2, count),
            ("SE", "NO", "DE", "NL", "GB")[(mix >> 5) % 5],
            ("Stockholm", "Göteborg", "Malmö", "Uppsala", "Oslo")[(mix >> 7) % 5],
            "",
            ("within_3_months", "3_12_months", "1_2_years", "exploring")[(mix >> 9) % 4],
            None,
            ("rent", "buy", "build", "")[(mix >> 11) % 4],
            "",
            "",
            "",
            "",
            "region",
            "",
            "",
            "",
            "",
            registered_s,
            self.ts(registered + dt.timedelta(days=8)),
            1,
            search,
        )
        person_rows = [
            (
                pid,
                h,
                role,
                given,
                family,
                email,
                phone,
                channel if role == "main" else "",
                None if role == "child" else 1960 + (mix >> 3) % 40,
                "6_12" if role == "child" else "",
                "",
                "",
                "",
                "",
                "",
                "",
                "[]",
                registered_s,
            )
            for pid, role, given, family, email, phone in people
        ]
        slot = h % 9
        municipality = self.municipality_ids[slot] if slot < 8 else None
        waiting = (mix >> 20) % 5 == 0
        case = (
            h,
            h,
            self.region_id,
            municipality,
            ("new", "contacted", "in_dialogue", "visiting")[(mix >> 4) % 4],
            self.guide_id if municipality == self.guide_municipality and h % 5 == 0 else None,
            registered_s,
            (self.today + dt.timedelta(days=(mix >> 12) % 60 - 45)).isoformat(),
            None if waiting else self.ts(registered + dt.timedelta(days=1)),
            None,
            None,
            None,
            "",
        )
        link = (h, municipality) if municipality else None
        activities = self.activities(h, registered, 5)
        return household, person_rows, case, link, activities

    def activities(self, h: int, registered: dt.datetime, count: int) -> list[tuple]:
        kinds = (
            ("registration", None, "", "{}"),
            ("note", self.guide_id, None, "{}"),
            ("call", self.guide_id, "", '{"outcome": "reached"}'),
            ("email_out", self.guide_id, None, "{}"),
            ("status_change", self.guide_id, "", '{"from": "new", "to": "contacted"}'),
        )
        rows = []
        for a in range(count):
            kind, author, body, data = kinds[0] if a == 0 else kinds[1 + (a - 1) % 4]
            rows.append(
                (
                    h,
                    h,
                    h * 4,
                    kind,
                    author,
                    self.ts(registered + dt.timedelta(hours=7 * a)),
                    NOTES[(h + a) % len(NOTES)] if body is None else body,
                    data,
                )
            )
        return rows


COLUMNS = {
    "contacts_household": (
        "id, reference, region_id, status, language, adults, origin_country, origin_place,"
        " relation, timeline, expected_date, housing_need, citizenship, permit_needed,"
        " heard_from, help_wanted, channel_form, channel_site, utm_source, utm_medium,"
        " utm_campaign, registered_at, last_activity_at, version, search_text"
    ),
    "contacts_person": (
        "id, household_id, role, first_name, last_name, email, phone, preferred_channel,"
        " birth_year, age_band, occupation, education, skills, languages, work_situation,"
        " job_wishes, guide_edited, created_at"
    ),
    "guidance_guidancecase": (
        "id, household_id, region_id, municipality_id, status, assigned_guide_id, opened_at,"
        " first_response_due, first_response_at, closed_at, moved_on, moved_to_id,"
        " move_confirmed_by"
    ),
    "contacts_household_municipalities": "household_id, municipality_id",
    "guidance_activity": (
        "household_id, case_id, person_id, kind, author_id, occurred_at, body, data"
    ),
}
TABLES = list(COLUMNS)


def batches(generator: Generator, households: int, size: int = 5000):
    """Rows per table for ``size`` households at a time. Households 1 and 2 get 10 and 100
    activities (for the card's query count)."""
    for start in range(1, households + 1, size):
        rows = {table: [] for table in TABLES}
        for h in range(start, min(households, start + size - 1) + 1):
            household, people, case, link, activities = generator.household(h)
            if h in (1, 2):
                registered = dt.datetime.strptime(household[21][:19], "%Y-%m-%d %H:%M:%S")
                activities = generator.activities(
                    h, registered.replace(tzinfo=dt.UTC), 10 if h == 1 else 100
                )
            rows["contacts_household"].append(household)
            rows["contacts_person"].extend(people)
            rows["guidance_guidancecase"].append(case)
            if link:
                rows["contacts_household_municipalities"].append(link)
            rows["guidance_activity"].extend(activities)
        yield rows


def check_search_text(generator: Generator, households: int) -> None:
    """The generated search_text equals talang.contacts.search.search_text()."""
    from talang.contacts.search import search_text

    for h in {1, 2, 3, 4, 5, households // 2, households}:
        household, people, *_rest = generator.household(h)
        persons = [
            SimpleNamespace(first_name=p[3], last_name=p[4], email=p[5], phone=p[6]) for p in people
        ]
        expected = search_text(reference=household[1], people=persons)
        if household[-1] != expected:
            raise SystemExit(f"bench: search_text differs for {h}: {household[-1]!r}")


def load_postgres(generator: Generator, households: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s)"
            " AND i.indexname NOT IN (SELECT c.relname FROM pg_constraint k"
            " JOIN pg_class c ON c.oid = k.conindid)",
            [TABLES],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # The rows are consistent by construction: skip the foreign-key triggers.
        cursor.execute("SET session_replication_role = replica")
        progress = Progress("households (COPY)", households)
        for rows in batches(generator, households):
            for table, values in rows.items():
                with cursor.cursor.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN") as copy:
                    for row in values:
                        copy.write_row(row)
            progress.add(len(rows["contacts_household"]))
        progress.close()
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        progress = Progress("indexes", len(indexes))
        for _name, definition in indexes:
            cursor.execute(definition)
            progress.add()
        progress.close()
        for table in TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608
                f" (SELECT coalesce(max(id), 1) FROM {table}))"
            )
        say("  VACUUM ANALYZE")
        for table in TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")


def load_sqlite(generator: Generator, households: int) -> None:
    from django.db import connection, transaction

    progress = Progress("households (executemany)", households)
    for rows in batches(generator, households):
        with transaction.atomic(), connection.cursor() as cursor:
            for table, values in rows.items():
                columns = COLUMNS[table]
                marks = ", ".join("%s" for _ in columns.split(","))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                    values,
                )
        progress.add(len(rows["contacts_household"]))
    progress.close()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# One database (in a child process) -------------------------------------------------------


def timed(function, count: int) -> list[float]:
    for _ in range(3):
        function()
    times = []
    for _ in range(count):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def child(database: str) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from talang.accounts.models import Municipality, Region, Role
    from talang.contacts.models import Household
    from talang.guidance.models import Activity
    from talang.testing import make_user

    households = int(os.environ["HOUSEHOLDS"])
    requests = env_int("BENCH_REQUESTS", 30)
    result = {"database": database, "households": households}
    started = time.perf_counter()
    say(f"[{database}] migrate, region, staff")
    call_command("collectstatic", interactive=False, verbosity=0)  # as a deployment does
    if reused(database, households):
        call_command("migrate", verbosity=0)
        return measure(database, households, requests, result, time.perf_counter())
    call_command("migrate", verbosity=0)
    call_command("talang_region", "jamtland-harjedalen", stdout=io.StringIO())
    region = Region.objects.get()
    municipalities = list(Municipality.objects.filter(region=region).order_by("code"))
    ostersund = next(m for m in municipalities if m.code == "2380")
    guide = make_user("guide@example.org", "Anna Andersson", Role.GUIDE, ostersund, region)
    make_user("coordinator@example.org", "Cecilia Carlsson", Role.COORDINATOR, None, region)
    generator = Generator(
        vendor=connection.vendor,
        region_id=region.pk,
        municipality_ids=[m.pk for m in municipalities],
        guide_id=guide.pk,
        guide_municipality=ostersund.pk,
    )
    check_search_text(generator, households)
    say(f"[{database}] generating {households} households")
    if connection.vendor == "postgresql":
        load_postgres(generator, households)
    else:
        load_sqlite(generator, households)
    result["generate_seconds"] = time.perf_counter() - started
    result["counts"] = {
        "households": Household.objects.count(),
        "persons": Household.persons.rel.related_model.objects.count(),
        "activities": Activity.objects.count(),
    }
    say(f"[{database}] {result['counts']} in {result['generate_seconds']:.0f} s; measuring")
    return measure(database, households, requests, result, started)


def postgres_keep(url: str) -> str | None:
    """Create the bench database unless it is there (BENCH_WS_KEEP); None when it can be used."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    maintenance = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    try:
        with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as connection:
            there = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
    except psycopg.OperationalError as error:
        return f"PostgreSQL is unreachable ({error})"
    return None if there else postgres_prepare(url)


def keep() -> bool:
    return os.environ.get("BENCH_WS_KEEP", "").strip().lower() in {"1", "true", "yes", "on"}


def reused(database: str, households: int) -> bool:
    """With BENCH_WS_KEEP, whether a kept set of this size is there to measure again."""
    from django.db import connection

    if not keep():
        return False
    tables = connection.introspection.table_names()
    if "contacts_household" not in tables:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM contacts_household")
        count = cursor.fetchone()[0]
    if count and count != households:
        raise SystemExit(
            f"bench: the kept {database} set has {count} households, not {households};"
            " drop it (or remove var/bench-workspace/) or set HOUSEHOLDS"
        )
    return count == households


def measure(database: str, households: int, requests: int, result: dict, started: float) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from talang.accounts.models import Municipality, Role, User
    from talang.contacts.models import Household
    from talang.contacts.search import terms
    from talang.guidance import selectors
    from talang.guidance.models import Activity
    from talang.testing import sign_in

    result.setdefault("generate_seconds", 0.0)
    result.setdefault(
        "counts",
        {
            "households": Household.objects.count(),
            "persons": Household.persons.rel.related_model.objects.count(),
            "activities": Activity.objects.count(),
        },
    )
    guide = User.objects.get(email="guide@example.org")
    coordinator = User.objects.get(email="coordinator@example.org")
    # Read (and cache) the memberships as the pages' first query does.
    assert guide.membership.role == Role.GUIDE and coordinator.membership.role == Role.COORDINATOR
    generator = Generator(
        vendor=connection.vendor,
        region_id=guide.membership.region_id,
        municipality_ids=list(
            Municipality.objects.filter(region=guide.membership.region)
            .order_by("code")
            .values_list("pk", flat=True)
        ),
        guide_id=guide.pk,
        guide_municipality=guide.membership.municipality_id,
    )

    guide_client = sign_in(Client(), guide)
    coordinator_client = sign_in(Client(), coordinator)

    def get(client, path):
        def call():
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"bench: GET {path}: {response.status_code}")

        return call

    result["queue_all"] = timed(get(coordinator_client, "/queue/?scope=all"), requests)
    result["queue_mine"] = timed(get(guide_client, "/queue/"), requests)
    rng = random.Random(4)  # noqa: S311 - a repeatable sample
    references = list(
        Household.objects.filter(
            pk__in=[rng.randint(3, households) for _ in range(requests + 3)]
        ).values_list("reference", flat=True)
    )
    cycle = iter(references * 2)
    result["card"] = timed(lambda: get(guide_client, f"/households/{next(cycle)}/")(), requests)

    def queue_queries(size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = selectors.with_deadlines(selectors.queue(user=coordinator, scope="all")[:size])
            for case in rows:  # what the template reads
                _ = (case.household.reference, case.first_name, case.last_name)
                _ = (case.municipality and case.municipality.name, case.assigned_guide)
                _ = case.assigned_guide and case.assigned_guide.full_name
        if len(rows) != size:
            raise SystemExit(f"bench: the queue has {len(rows)} rows, not {size}")
        return len(captured)

    result["queue_queries"] = [queue_queries(10), queue_queries(100)]

    def card_queries(pk: int) -> int:
        household = Household.objects.get(pk=pk)
        path = f"/households/{household.reference}/"
        get(guide_client, path)()
        with CaptureQueriesContext(connection) as captured:
            get(guide_client, path)()
        return len(captured)

    result["card_activities"] = [
        Activity.objects.filter(household_id=1).count(),
        Activity.objects.filter(household_id=2).count(),
    ]
    result["card_queries"] = [card_queries(1), card_queries(2)]

    # Search: a surname fragment, an e-mail fragment and a phone fragment.
    middle = generator.household(households // 2)[1][0]
    email_fragment = middle[5].split("@")[0][:-2]  # "anna.lindberg5000" → "anna.lindberg50"
    phone_fragment = "070-" + middle[6][5:10]  # typed with a dash, as a guide would
    searches = []
    for label, query in (
        ("surname “berg”", "berg"),
        (f"e-mail “{email_fragment}”", email_fragment),
        (f"phone “{phone_fragment}”", phone_fragment),
    ):
        (term,) = terms(query)
        found, _more = selectors.households_search(user=guide, query=query)
        search_times = timed(
            lambda q=query: selectors.households_search(user=guide, query=q), requests
        )
        entry = {"label": label, "term": term, "found": len(found), "search": search_times}
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                raw = "SELECT id FROM contacts_household WHERE search_text LIKE %s LIMIT 50"
                cursor.execute("EXPLAIN " + raw, [f"%{term}%"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
                entry["raw_uses_index"] = "contacts_household_search_trgm" in plan
                entry["raw_plan"] = plan
                from talang.contacts.search import _matching

                candidate_sql, params = _matching(generator.region_id, [term], 51)
                cursor.execute("EXPLAIN " + candidate_sql, params)
                entry["search_plan"] = "\n".join(row[0] for row in cursor.fetchall())

                def run_raw(sql=raw, t=term):
                    cursor.execute(sql, [f"%{t}%"])
                    cursor.fetchall()

                entry["raw"] = timed(run_raw, requests)
            else:
                phrase = '"' + term.replace('"', '""') + '"'
                raw = (
                    "SELECT rowid FROM contacts_household_search"
                    " WHERE contacts_household_search MATCH %s LIMIT 50"
                )
                scan = (
                    "SELECT id FROM contacts_household NOT INDEXED WHERE search_text LIKE %s"
                    " ORDER BY registered_at DESC LIMIT 50"
                )

                def run_raw(sql=raw, p=phrase):
                    cursor.execute(sql, [p])
                    cursor.fetchall()

                def run_scan(sql=scan, t=term):
                    cursor.execute(sql, [f"%{t}%"])
                    cursor.fetchall()

                entry["raw_uses_index"] = True
                entry["raw"] = timed(run_raw, requests)
                entry["scan"] = timed(run_scan, max(5, requests // 3))
        searches.append(entry)
    result["searches"] = searches
    result["requests"] = requests
    result["seconds"] = time.perf_counter() - started
    return result


def run_child(database: str, url: str, households: int, var_dir: str) -> dict:
    settings = {
        CHILD: database,
        "HOUSEHOLDS": str(households),
        "TALANG_VAR_DIR": var_dir,
        "DATABASE_URL": url,
    }
    result, done = run_module("talang.bench.workspace", settings)
    if result is None:
        return {
            "database": database,
            "households": households,
            "failure": f"exit code {done.returncode}; see the output above\n{done.stdout[-2000:]}",
        }
    return result


# PostgreSQL ------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def checks(result: dict) -> list[tuple[str, str, str, str]]:
    """(measure, value, target, result) rows; result is "" for information."""
    if result.get("skipped"):
        return []
    if result.get("failure"):
        return [("the run", "did not complete", "", "FAIL")]
    rows = []
    counts = result["counts"]
    rows.append(
        (
            "households / people / activities",
            f"{counts['households']:,} / {counts['persons']:,} / {counts['activities']:,}".replace(
                ",", " "
            ),
            "",
            "",
        )
    )
    rows.append(
        ("generation (migrate, load, indexes), s", f"{result['generate_seconds']:.0f}", "", "")
    )
    for key, label in (
        ("queue_all", "queue `/queue/?scope=all`, coordinator: p50 / p95 ms"),
        ("queue_mine", "queue `/queue/` (Östersund), guide: p50 / p95 ms"),
        ("card", "contact card `/households/<ref>/`, random: p50 / p95 ms"),
    ):
        p50, p95 = percentile(result[key], 50), percentile(result[key], 95)
        rows.append(
            (
                label,
                f"{p50:.1f} / {p95:.1f}",
                f"p95 ≤ {P95_TARGET_MS:.0f}",
                verdict(p95 <= P95_TARGET_MS),
            )
        )
    ten, hundred = result["queue_queries"]
    rows.append(
        ("queries, queue rows 10 / 100", f"{ten} / {hundred}", "equal", verdict(ten == hundred))
    )
    ten, hundred = result["card_queries"]
    a, b = result["card_activities"]
    rows.append(
        (
            f"queries, card with {a} / {b} activities (whole request)",
            f"{ten} / {hundred}",
            "equal",
            verdict(ten == hundred),
        )
    )
    for entry in result["searches"]:
        search, raw = percentile(entry["search"], 95), percentile(entry["raw"], 95)
        ratio = search / raw if raw else math.inf
        index = "" if entry.get("raw_uses_index") else " (raw query plan: no trigram index)"
        rows.append(
            (
                f"search {entry['label']}, {entry['found']} shown: p95 households_search /"
                f" raw indexed SQL ms{index}",
                f"{search:.1f} / {raw:.2f} = {ratio:.1f}×",
                f"≤ {SEARCH_RATIO_TARGET:g}×",
                verdict(ratio <= SEARCH_RATIO_TARGET),
            )
        )
        if "scan" in entry:
            scan = percentile(entry["scan"], 95)
            ratio = search / scan if scan else math.inf
            rows.append(
                (
                    f"search {entry['label']}: p95 households_search / full-scan LIKE ms",
                    f"{search:.1f} / {scan:.1f} = {ratio:.3f}×",
                    f"≤ {SCAN_RATIO_TARGET:g}×",
                    verdict(ratio <= SCAN_RATIO_TARGET),
                )
            )
    return rows


def table(result: dict) -> list[str]:
    title = {"sqlite": "SQLite", "postgres": "PostgreSQL"}[result["database"]]
    size = f"{result['households']:,}".replace(",", " ")
    lines = [f"### {title}, {size} households", ""]
    if result.get("skipped"):
        return [*lines, f"Skipped: {result['skipped']}", ""]
    if result.get("failure"):
        return [*lines, "FAIL: the run did not complete.", "", "```", result["failure"], "```", ""]
    lines += ["| measure | value | target | result |", "|---|---|---|---|"]
    lines += [f"| {' | '.join(row)} |" for row in checks(result)]
    return [*lines, ""]


def command_line() -> str:
    command = "make bench" if os.environ.get("MAKELEVEL") else "python -m talang.bench.workspace"
    settings = [
        f"{name}={os.environ[name]}"
        for name in ("HOUSEHOLDS", "BENCH_QUICK", "BENCH_REQUESTS", "BENCH_DATABASES")
        if os.environ.get(name)
    ]
    return " ".join([*settings, command])


def section(results: list[dict]) -> str:
    now = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    machine = (
        f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {platform.machine()},"
        f" Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )
    requests = next((r["requests"] for r in results if "requests" in r), 30)
    lines = [
        HEADING,
        "",
        f"Last run: {now}, on {machine}. Command: `{command_line()}`.",
        "",
        "A generated region (talang/bench/workspace.py): households with 2.5 people each on"  # noqa: S608
        " average (Swedish names, e-mail addresses, E.164 mobile numbers, `search_text` as in"
        " talang/contacts/search.py), one open case each over the eight municipalities and the"
        " region's queue, five activities each. Measured in-process with Django's test client"
        f" under production settings (no DEBUG; HTTPS off), {requests} requests each after 3 of"
        " warm-up, nearest-rank percentiles. Query counts: `selectors.queue` + `with_deadlines`"
        " and the attributes the template reads, for 10 and 100 rows; the whole card request"
        " for a household with 10 and with 100 activities. Search: p95 of"
        " `selectors.households_search` (the guide's region; at most 51 matches taken in the"
        " index's own order, the contact's name with each, the newest 50 of them shown and"
        " “more match” when there are 51) against p95 of the raw indexed query for the same"
        " term — PostgreSQL"
        " `SELECT id FROM contacts_household WHERE search_text LIKE '%term%' LIMIT 50`"
        " (trigram GIN index), SQLite `… contacts_household_search MATCH '\"term\"' LIMIT 50`"
        " (FTS5 trigram) — and on SQLite against a full-scan"
        " `SELECT id FROM contacts_household NOT INDEXED WHERE search_text LIKE '%term%'"
        " ORDER BY registered_at DESC LIMIT 50`.",
        "",
    ]
    for result in results:
        lines += table(result)
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    database = os.environ.get(CHILD)
    if database:
        print(json.dumps(child(database)))
        return 0
    databases = [
        name.strip()
        for name in os.environ.get("BENCH_DATABASES", "postgres,sqlite").split(",")
        if name.strip()
    ]
    if set(databases) - {"sqlite", "postgres"}:
        raise SystemExit("bench: BENCH_DATABASES: only sqlite and postgres")
    quick = os.environ.get("BENCH_QUICK", "").strip().lower() in {"1", "true", "yes", "on"}
    postgres_url = os.environ.get("BENCH_WS_POSTGRES_URL") or POSTGRES_DEFAULT
    results = []
    for name in databases:
        households = QUICK_HOUSEHOLDS if quick else env_int("HOUSEHOLDS", DEFAULT_HOUSEHOLDS[name])
        with tempfile.TemporaryDirectory(prefix="talang-bench-ws-") as tmp:
            if name == "sqlite":
                folder = Path(tmp)
                if keep():
                    folder = ROOT / "var" / "bench-workspace"
                    folder.mkdir(parents=True, exist_ok=True)
                url = f"sqlite:///{folder}/bench.sqlite3"
                results.append(run_child(name, url, households, str(folder)))
                continue
            problem = postgres_keep(postgres_url) if keep() else postgres_prepare(postgres_url)
            if problem:
                say(f"[postgres] {problem}: skipped")
                results.append({"database": name, "households": households, "skipped": problem})
                if os.environ.get("CI") == "true":
                    results[-1]["failure"] = problem
                continue
            try:
                results.append(run_child(name, postgres_url, households, tmp))
            finally:
                if not keep():
                    postgres_drop(postgres_url)

    text = section(results)
    print()
    print(text)
    if os.environ.get("BENCH_WRITE", "true").strip().lower() not in {"0", "false", "no", "off"}:
        write_doc(text, HEADING)
        print(f"Written to {DOC.relative_to(ROOT)}.")
    failed = [
        f"{result['database']}: {row[0]}"
        for result in results
        for row in checks(result)
        if row[3] == "FAIL"
    ]
    if failed:
        print("FAIL: " + "; ".join(failed))
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
