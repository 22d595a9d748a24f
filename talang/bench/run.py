"""`make bench`: registrations per second through gunicorn, against a bare view on the same server.

For each database (SQLite in a temporary folder, then PostgreSQL) this migrates a new database,
loads the shipped region, starts gunicorn (``talang.wsgi``, 2 sync workers, as in production)
with ``TALANG_BENCH=true``, warms it up, and then drives ``GET /bench/bare`` and
``POST /api/v1/registrations`` (a new household each time) with 20 concurrent clients for a
fixed time each. Then it restarts gunicorn with ``talang.bench.stored_only``, where the API
stores each registration and answers 202 without processing it, and drives the same
registrations again: the floor of the intake's cost, measured but without a target. It prints
requests per second, p50/p95 latency, errors and the server's peak memory, checks the targets,
and rewrites the "Intake (issue 3)" section of docs/benchmarks.md. Exits 1 when a target is
missed or a request failed.

The load generator is plain asyncio in this process, on the same machine as the server (and
PostgreSQL): it takes CPU from them, which the report shows next to the server's share.

Environment: BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (3), BENCH_CLIENTS (20),
BENCH_DATABASES (``sqlite,postgres``), BENCH_POSTGRES_URL
(``postgres://postgres@127.0.0.1:5432/talang_bench``; the database is dropped and created, so
its name must contain "bench"), BENCH_WRITE (``true``: update docs/benchmarks.md).
Without PostgreSQL the run skips it, except under CI=true, where that fails.
"""

import asyncio
import datetime as dt
import functools
import json
import math
import os
import platform
import re
import secrets
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Intake (issue 3)"

WORKERS = 2
RATIO_TARGET = 0.30
P95_TARGET_MS = 150.0
BARE_PATH = "/bench/bare"
INTAKE_PATH = "/api/v1/registrations"
POSTGRES_DEFAULT = "postgres://postgres@127.0.0.1:5432/talang_bench"


def env_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SystemExit(f"bench: {name} must be a number, got {raw!r}") from None
    if value <= 0:
        raise SystemExit(f"bench: {name} must be more than 0, got {raw!r}")
    return value


# The load --------------------------------------------------------------------------------


@dataclass
class Phase:
    """What one endpoint did under load."""

    name: str
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    errors: dict[str, int] = field(default_factory=dict)  # status or exception → count
    seconds: float = 0.0
    client_cpu: float = 0.0  # CPU seconds of this process (the load generator)
    server_cpu: float = 0.0  # CPU seconds of gunicorn's processes
    machine_cpu: float = 0.0  # CPU seconds of every process on the machine
    database_cpu: float = 0.0  # CPU seconds of a local PostgreSQL server's processes
    peak_rss: int = 0  # bytes, master + workers

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile in milliseconds."""
        if not self.latencies:
            return math.nan
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000


class Request:
    """One HTTP/1.1 request with the bytes to send and the status that counts as success."""

    def __init__(self, method: str, path: str, host: str, body: bytes = b"", expect: int = 200):
        head = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: keep-alive"]
        if body:
            head += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        self.data = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        self.expect = expect


async def _exchange(reader, writer, data: bytes) -> tuple[int, bool]:
    """Send one request and read the whole response; returns (status, server keeps the line)."""
    writer.write(data)
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("closed")
    status = int(status_line.split(None, 2)[1])
    length, keep = 0, True
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _sep, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection" and value.strip().lower() == b"close":
            keep = False
    if length:
        await reader.readexactly(length)
    return status, keep


async def _client(port: int, make_request, deadline: float, phase: Phase) -> None:
    """A closed loop: one request at a time, reusing the connection while the server allows."""
    reader = writer = None
    while time.perf_counter() < deadline:
        request = make_request()
        started = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            status, keep = await _exchange(reader, writer, request.data)
        except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError) as error:
            key = type(error).__name__
            phase.errors[key] = phase.errors.get(key, 0) + 1
            if writer is not None:
                writer.close()
            reader = writer = None
            await asyncio.sleep(0.01)
            continue
        if status == request.expect:
            phase.latencies.append(time.perf_counter() - started)
        else:
            phase.errors[str(status)] = phase.errors.get(str(status), 0) + 1
        if not keep:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def drive(port: int, make_request, *, clients: int, seconds: float, phase: Phase) -> Phase:
    async def main():
        deadline = time.perf_counter() + seconds
        await asyncio.gather(
            *(_client(port, make_request, deadline, phase) for _ in range(clients))
        )

    started, cpu = time.perf_counter(), time.process_time()
    asyncio.run(main())
    phase.seconds = time.perf_counter() - started
    phase.client_cpu = time.process_time() - cpu
    return phase


def bare_request(host: str):
    request = Request("GET", BARE_PATH, host)
    return lambda: request


def intake_request(host: str, label: str, expect: int = 201):
    """A registration like the API tests' minimal body, with a new e-mail and phone each time,
    so that every request registers a new household. ``expect``: 202 for the stored-only
    server, which does not process it."""
    counter = iter(range(1, 10**7))
    run = secrets.token_hex(3)

    def make() -> Request:
        n = next(counter)
        body = {
            "language": "sv",
            "municipalities": ["2380"],
            "consent_guidance": True,
            "contact": {
                "first_name": "Åsa",
                "last_name": "Öberg",
                "email": f"bench-{label}-{run}-{n}@example.org",
                "phone": f"070{n:07d}",
                "preferred_channel": "phone",
            },
        }
        return Request("POST", INTAKE_PATH, host, json.dumps(body).encode(), expect=expect)

    return make


# The server's processes --------------------------------------------------------------------


def process_tree(root: int) -> list[int]:
    """``root`` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                # The command name may hold spaces and brackets: split after the last ')'.
                ppid = int(stat.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def rss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            continue
    return total / ticks


def postgres_cpu_seconds() -> float:
    """CPU seconds of the local PostgreSQL server so far: the postmaster with its ended children
    (cutime, cstime) and its live ones. 0 when no PostgreSQL runs here."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                head, rest = stat.read().rsplit(b")", 1)
        except (OSError, ValueError):
            continue
        if head.endswith(b"(postgres"):
            fields = rest.split()
            stats[int(entry.name)] = (int(fields[1]), [int(value) for value in fields[11:15]])
    total = 0
    for ppid, (utime, stime, cutime, cstime) in stats.values():
        total += utime + stime
        if ppid not in stats:  # the postmaster: add the children that have ended
            total += cutime + cstime
    return total / ticks


def machine_busy_seconds() -> float:
    """CPU seconds spent by the whole machine (all CPUs, not idle) since boot, from /proc/stat."""
    with open("/proc/stat") as stat:
        values = [int(value) for value in stat.readline().split()[1:9]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values) - idle) / os.sysconf("SC_CLK_TCK")


class MemorySampler:
    """Samples the summed RSS of a process tree every 100 ms in a thread; keeps the peak."""

    def __init__(self, root: int, interval: float = 0.1):
        self.root, self.interval, self.peak = root, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_bytes(process_tree(self.root)))
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


# One database ------------------------------------------------------------------------------


@dataclass
class Result:
    database: str
    bare: Phase | None = None
    intake: Phase | None = None
    stored: Phase | None = None  # the stored-only server: validated and stored, not processed
    background: float = 0.0  # share of one CPU busy before the server started
    households: int | None = None  # in the database after the run
    expected_households: int | None = None  # registrations answered 201, warm-up included
    skipped: str = ""
    failure: str = ""

    @property
    def ratio(self) -> float:
        return self.ratio_of(self.intake)

    def ratio_of(self, phase: Phase | None) -> float:
        if not (self.bare and phase and self.bare.rate):
            return math.nan
        return phase.rate / self.bare.rate

    def checks(self) -> list[tuple[str, bool]]:
        if self.failure:
            return [(self.failure, False)]
        if self.skipped:
            return []
        errors = self.bare.error_count + self.intake.error_count + self.stored.error_count
        return [
            (f"intake/bare ≥ {RATIO_TARGET:.2f}", self.ratio >= RATIO_TARGET),
            (f"intake p95 ≤ {P95_TARGET_MS:.0f} ms", self.intake.percentile(95) <= P95_TARGET_MS),
            ("no failed requests", errors == 0),
            ("one new household per registration", self.households == self.expected_households),
        ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_environment() -> dict:
    """This process's environment without Talang's and Django's own settings."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TALANG_", "DJANGO_"))
        and key not in {"DATABASE_URL", "CACHE_URL", "EMAIL_URL", "SECRET_KEY", "DEBUG"}
    }


def new_secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!#%&()*+,-./:;<=>?@[]^_{|}~"
    return "".join(secrets.choice(alphabet) for _ in range(50))


def run_module(module: str, settings: dict) -> tuple[dict | None, subprocess.CompletedProcess]:
    """Run ``python -m module`` under production settings (no HTTPS, mail and cache in memory)
    plus ``settings``. Its last line of output is its result as JSON: returns that, or None
    when it failed, with the finished process."""
    env = clean_environment()
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "talang.settings.base",
            "SECRET_KEY": new_secret_key(),
            "TALANG_HTTPS": "false",
            "ALLOWED_HOSTS": "testserver",
            "EMAIL_URL": "locmem://",
            "CACHE_URL": "locmem://",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            **settings,
        }
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", module],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    return (json.loads(lines[-1]) if done.returncode == 0 and lines else None), done


def server_env(var_dir: Path, database_url: str, port: int) -> dict:
    """Production settings, minus HTTPS, SMTP and the intake's limits, plus the bare view."""
    env = clean_environment()
    env.update(
        DJANGO_SETTINGS_MODULE="talang.settings.base",
        PYTHONUNBUFFERED="1",
        TALANG_BENCH="true",
        SECRET_KEY=new_secret_key(),
        TALANG_HTTPS="false",
        ALLOWED_HOSTS="127.0.0.1",
        TALANG_BASE_URL=f"http://127.0.0.1:{port}",
        TALANG_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url,
        EMAIL_URL="locmem://",
        CACHE_URL="locmem://",
        TALANG_INTAKE_RATE_LIMIT="100000000",
        TALANG_API_FAILURE_LIMIT="100000000",
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def get(port: int, path: str) -> int | None:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            head = sock.recv(64)
        return int(head.split()[1])
    except (OSError, IndexError, ValueError):
        return None


def start_server(env: dict, port: int, log: Path, app: str = "talang.wsgi") -> subprocess.Popen:
    with log.open("a") as out:
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                app,
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text()[-2000:]}")
        if get(port, "/healthz") == 200:
            return server
        time.sleep(0.2)
    stop_server(server)
    raise RuntimeError(f"gunicorn did not answer /healthz:\n{log.read_text()[-2000:]}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def measure(name: str, database_url: str, *, seconds: float, warmup: float, clients: int):
    """Run both endpoints against a new database; ``{tmp}`` in the URL is the run's folder."""
    result = Result(database=name)
    with tempfile.TemporaryDirectory(prefix="talang-bench-") as tmp:
        var = Path(tmp)
        try:
            _measure(result, var, database_url.replace("{tmp}", tmp), seconds, warmup, clients)
        except RuntimeError as error:
            log = var / "gunicorn.log"
            tail = log.read_text()[-3000:] if log.exists() else ""
            result.failure = f"{error}\n{tail}".strip()
    return result


def _measure(result: Result, var: Path, database_url: str, seconds, warmup, clients) -> None:
    name = result.database
    (var / "static").mkdir()  # nothing to serve; the folder spares WhiteNoise's warning
    port = free_port()
    env = server_env(var, database_url, port)
    local_postgres = database_url.startswith("postgres") and urlsplit(database_url).hostname in {
        "127.0.0.1",
        "localhost",
    }
    print(f"[{name}] migrating and loading the region …", flush=True)
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    manage(env, "talang_region", "jamtland-harjedalen")
    busy = machine_busy_seconds()
    time.sleep(1)
    result.background = machine_busy_seconds() - busy
    print(f"[{name}] gunicorn, {WORKERS} workers, port {port}; warming up …", flush=True)
    load = functools.partial(
        _load, port=port, clients=clients, seconds=seconds, name=name, local_postgres=local_postgres
    )
    server = start_server(env, port, var / "gunicorn.log")
    host = f"127.0.0.1:{port}"
    bare, intake = bare_request(host), intake_request(host, name)
    try:
        warm_intake = _warm_up(port, (bare, intake), clients=clients, seconds=warmup)
        phases = [load("bare", bare, server), load("intake", intake, server)]
    finally:
        stop_server(server)
    # The floor: the same registrations validated and stored, but not processed.
    print(f"[{name}] gunicorn with the intake's processing left out; warming up …", flush=True)
    server = start_server(env, port, var / "gunicorn.log", app="talang.bench.stored_only")
    stored = intake_request(host, f"{name}-stored", expect=202)
    try:
        _warm_up(port, (stored,), clients=clients, seconds=warmup / 2)
        phases.append(load("stored only", stored, server))
    finally:
        stop_server(server)
    result.bare, result.intake, result.stored = phases
    result.expected_households = warm_intake.ok + result.intake.ok
    count = manage(
        env,
        "shell",
        "--command",
        "from talang.contacts.models import Household; print(Household.objects.count())",
    )
    result.households = int(count.split()[-1])  # after the shell's own notes


def _warm_up(port: int, makers, *, clients: int, seconds: float) -> Phase:
    """Each endpoint for its share of ``seconds``; returns the last one's phase."""
    phases = [Phase(f"warm-up {n}") for n in range(len(makers))]
    for make, phase in zip(makers, phases, strict=True):
        drive(port, make, clients=clients, seconds=seconds / len(makers), phase=phase)
        if phase.error_count:
            raise RuntimeError(f"requests failed while warming up: {phase.errors}")
    return phases[-1]


def _load(label, make, server, *, port, clients, seconds, name, local_postgres) -> Phase:
    """One measured phase: the load, and the CPU and memory it took (with a local
    PostgreSQL's CPU)."""
    print(f"[{name}] {label}: {clients} clients for {seconds:g} s …", flush=True)
    phase = Phase(label)
    pids = process_tree(server.pid)
    cpu, machine, database = (
        cpu_seconds(pids),
        machine_busy_seconds(),
        postgres_cpu_seconds() if local_postgres else 0.0,
    )
    with MemorySampler(server.pid) as sampler:
        drive(port, make, clients=clients, seconds=seconds, phase=phase)
    phase.server_cpu = cpu_seconds(pids) - cpu
    phase.machine_cpu = machine_busy_seconds() - machine
    if local_postgres:
        phase.database_cpu = postgres_cpu_seconds() - database
    phase.peak_rss = sampler.peak
    if server.poll() is not None:
        raise RuntimeError("gunicorn stopped during the run")
    return phase


# PostgreSQL ------------------------------------------------------------------------------


def postgres_prepare(url: str) -> str | None:
    """Drop and create the bench database; returns why PostgreSQL cannot be used, or None."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"bench: {url!r}: the database name must contain 'bench' (it is dropped)")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as error:
        return f"PostgreSQL at {parts.hostname}:{parts.port or 5432} is unreachable ({error})"
    return None


def postgres_drop(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    name = parts.path.lstrip("/")
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


# The report ------------------------------------------------------------------------------


def _ms(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.1f}"


def table(result: Result) -> list[str]:
    """The Markdown table of one database (printed as is, and written to the docs)."""
    title = {"sqlite": "SQLite", "postgres": "PostgreSQL"}.get(result.database, result.database)
    lines = [f"### {title}", ""]
    if result.skipped:
        return [*lines, f"Skipped: {result.skipped}", ""]
    if result.failure:
        return [*lines, "FAIL: the run did not complete.", "", "```", result.failure, "```", ""]
    bare, intake, stored = result.bare, result.intake, result.stored

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    errors = bare.error_count + intake.error_count + stored.error_count
    detail = ", ".join(
        f"{k}: {v}" for k, v in sorted({**bare.errors, **intake.errors, **stored.errors}.items())
    )
    rows = [
        ("bare view: requests/s", f"{bare.rate:.0f}", "", ""),
        (
            "bare view: p50 / p95 latency (ms)",
            f"{_ms(bare.percentile(50))} / {_ms(bare.percentile(95))}",
            "",
            "",
        ),
        ("intake: registrations/s", f"{intake.rate:.0f}", "", ""),
        (
            "intake / bare view",
            f"{result.ratio:.2f}",
            f"≥ {RATIO_TARGET:.2f}",
            verdict(result.ratio >= RATIO_TARGET),
        ),
        (
            "intake: p50 / p95 latency (ms)",
            f"{_ms(intake.percentile(50))} / {_ms(intake.percentile(95))}",
            f"p95 ≤ {P95_TARGET_MS:.0f}",
            verdict(intake.percentile(95) <= P95_TARGET_MS),
        ),
        (
            "stored only (validated and stored, answered 202, not processed): registrations/s",
            f"{stored.rate:.0f}",
            "",
            "",
        ),
        ("stored only / bare view", f"{result.ratio_of(stored):.2f}", "", ""),
        (
            "stored only: p50 / p95 latency (ms)",
            f"{_ms(stored.percentile(50))} / {_ms(stored.percentile(95))}",
            "",
            "",
        ),
        (
            "failed requests (bare + intake + stored only)",
            f"{errors}" + (f" ({detail})" if detail else ""),
            "0",
            verdict(errors == 0),
        ),
        (
            "new households / registrations answered 201",
            f"{result.households} / {result.expected_households}",
            "equal",
            verdict(result.households == result.expected_households),
        ),
        (
            "peak RSS, gunicorn master + workers (MB): bare / intake / stored only",
            f"{bare.peak_rss / 2**20:.0f} / {intake.peak_rss / 2**20:.0f} / "
            f"{stored.peak_rss / 2**20:.0f}",
            "",
            "",
        ),
        (
            "CPU per request, gunicorn (ms): bare / intake / stored only",
            f"{_per_request(bare.server_cpu, bare.ok)} / "
            f"{_per_request(intake.server_cpu, intake.ok)} / "
            f"{_per_request(stored.server_cpu, stored.ok)}",
            "",
            "",
        ),
        *(
            [
                (
                    "CPU per request, PostgreSQL (ms): bare / intake / stored only",
                    f"{_per_request(bare.database_cpu, bare.ok)} / "
                    f"{_per_request(intake.database_cpu, intake.ok)} / "
                    f"{_per_request(stored.database_cpu, stored.ok)}",
                    "",
                    "",
                )
            ]
            if result.database == "postgres"
            else []
        ),
        (
            "CPU busy in the second before the server started (% of one core)",
            f"{100 * result.background:.0f}",
            "",
            "",
        ),
        ("CPU, bare view (% of one core): " + CPU_PARTS, _cpu_shares(bare), "", ""),
        ("CPU, intake (% of one core): " + CPU_PARTS, _cpu_shares(intake), "", ""),
        ("CPU, stored only (% of one core): " + CPU_PARTS, _cpu_shares(stored), "", ""),
    ]
    lines += ["| measure | value | target | result |", "|---|---|---|---|"]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    return [*lines, ""]


CPU_PARTS = "gunicorn / load generator / PostgreSQL / rest of the machine"


def _cpu_shares(phase: Phase) -> str:
    parts = (phase.server_cpu, phase.client_cpu, phase.database_cpu)
    rest = max(0.0, phase.machine_cpu - sum(parts))
    return " / ".join(f"{100 * cpu / phase.seconds:.0f}" for cpu in (*parts, rest))


def _per_request(cpu: float, count: int) -> str:
    return f"{1000 * cpu / count:.1f}" if count else "–"


def command_line(seconds: float, clients: int) -> str:
    command = "make bench" if os.environ.get("MAKELEVEL") else "python -m talang.bench.run"
    settings = [
        f"{name}={os.environ[name]}"
        for name in ("BENCH_SECONDS", "BENCH_WARMUP_SECONDS", "BENCH_CLIENTS", "BENCH_DATABASES")
        if os.environ.get(name)
    ]
    return " ".join([*settings, command])


def section(results: list[Result], *, seconds: float, warmup: float, clients: int) -> str:
    now = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    machine = (
        f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {platform.machine()},"
        f" Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )
    lines = [
        HEADING,
        "",
        f"Last run: {now}, on {machine}. Command: `{command_line(seconds, clients)}`.",
        "",
        f"gunicorn `talang.wsgi` with {WORKERS} sync workers and production settings (no DEBUG,"
        " no demo; HTTPS, SMTP and the intake's rate limit off). After"
        f" {warmup:g} s of warm-up, {clients} concurrent clients send requests back to back for"
        f" {seconds:g} s to the bare view (`GET {BARE_PATH}`, the full middleware stack and"
        f" nothing else), then for {seconds:g} s to the registration API (`POST {INTAKE_PATH}`,"
        " a new household each time, the confirmation e-mail queued in the database). The sync"
        " workers close the connection after each response, so every request opens a new one."
        " Targets:"
        f" intake at least {RATIO_TARGET:.2f} × the bare view's throughput, intake p95 at most"
        f" {P95_TARGET_MS:.0f} ms, no failed request (a registration counts only with 201).",
        "",
        "Then, for the floor of the intake's cost, the same registrations go for"
        f" {seconds:g} s to a second server, `talang.bench.stored_only`, where the API validates"
        " and stores each one and answers 202 without processing it: no household, case or"
        " e-mail. That is what the intake would reach if it left every registration to the"
        ' worker (decision 0004, "Throughput"). It has no target of its own.',
        "",
        "The load generator (asyncio, in the driver's process), PostgreSQL and whatever else"
        " runs on the machine share its CPUs with the server, so the figures are lower than on a"
        " dedicated server and vary from run to run: other work on the machine shows in the"
        " CPU busy before the server started. The CPU rows show how the CPUs were shared"
        f" (at most {100 * os.cpu_count()} % with {os.cpu_count()} CPUs); the rest of the machine"
        " is the kernel and any other process.",
        "",
    ]
    for result in results:
        lines += table(result)
    return "\n".join(lines).rstrip() + "\n"


def write_doc(text: str, heading: str = HEADING) -> None:
    """Replace one section of docs/benchmarks.md (Intake by default); keep the others."""
    if DOC.exists():
        current = DOC.read_text("utf-8")
    else:
        current = (
            "# Benchmarks\n\nThe last results of `make bench`. Each section is rewritten by the"
            " run that measures it.\n"
        )
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(current):
        updated = pattern.sub(lambda _m: text + "\n", current, count=1)
    else:
        updated = current.rstrip() + "\n\n" + text
    DOC.write_text(updated.rstrip() + "\n", "utf-8")


# Main ------------------------------------------------------------------------------------


def main() -> int:
    seconds = env_number("BENCH_SECONDS", 10)
    warmup = env_number("BENCH_WARMUP_SECONDS", 3)
    clients = int(env_number("BENCH_CLIENTS", 20))
    databases = [
        name.strip()
        for name in os.environ.get("BENCH_DATABASES", "sqlite,postgres").split(",")
        if name.strip()
    ]
    unknown = set(databases) - {"sqlite", "postgres"}
    if unknown:
        raise SystemExit(f"bench: BENCH_DATABASES: unknown {', '.join(sorted(unknown))}")
    postgres_url = os.environ.get("BENCH_POSTGRES_URL") or POSTGRES_DEFAULT
    ci = os.environ.get("CI") == "true"

    results = []
    for name in databases:
        if name == "sqlite":
            results.append(
                measure(
                    name,
                    "sqlite:///{tmp}/bench.sqlite3",
                    seconds=seconds,
                    warmup=warmup,
                    clients=clients,
                )
            )
            continue
        problem = postgres_prepare(postgres_url)
        if problem:
            print(f"[postgres] {problem}: skipped", flush=True)
            results.append(Result(database=name, skipped=problem))
            if ci:
                results[-1].failure = f"{problem} (CI=true: PostgreSQL must run)"
            continue
        try:
            results.append(
                measure(name, postgres_url, seconds=seconds, warmup=warmup, clients=clients)
            )
        finally:
            postgres_drop(postgres_url)

    text = section(results, seconds=seconds, warmup=warmup, clients=clients)
    print()
    print(text)
    if os.environ.get("BENCH_WRITE", "true").strip().lower() not in {"0", "false", "no", "off"}:
        write_doc(text)
        print(f"Written to {DOC.relative_to(ROOT)}.")
    failed = [
        f"{result.database}: {check}"
        for result in results
        for check, ok in result.checks()
        if not ok
    ]
    if failed:
        print("FAIL: " + "; ".join(line.splitlines()[0] for line in failed))
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
