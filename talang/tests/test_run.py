"""`make run`'s command: a new database gets the demo region, the web server and the worker
both run, mail sent from a page reaches the outbox through the worker, and SIGINT stops all."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError("gave up waiting")


@pytest.fixture
def running(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TALANG_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(TALANG_DEMO="true", TALANG_VAR_DIR=str(tmp_path), PYTHONUNBUFFERED="1")
    log = (tmp_path / "run.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "talang_run", "--port", str(port), "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield process, f"http://127.0.0.1:{port}", tmp_path
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def get(url: str, opener=urllib.request.urlopen):
    try:
        with opener(url, timeout=5) as response:
            return response.status, response.read().decode()
    except OSError:
        return None


def test_it_serves_pages_runs_the_worker_and_stops_on_sigint(running):
    process, base, var = running
    status, body = wait_for(lambda: get(base + "/healthz"), seconds=90)
    assert (status, body) == (200, "ok")
    log = (var / "run.log").read_text()
    assert "New database: loading the demo region" in log
    assert "cecilia@demo.talang.example" in log
    assert f"Talang runs at {base}/" in log

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)).open
    status, page = get(base + "/accounts/reset/", opener)
    assert '<html lang="sv">' in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "email": "anna@demo.talang.example"}
    ).encode()
    request = urllib.request.Request(
        base + "/accounts/reset/", data=data, headers={"Referer": base}
    )
    with opener(request, timeout=10) as response:
        assert response.status == 200
    outbox = var / "outbox"

    def reset_mail():
        texts = [path.read_text() for path in outbox.glob("*.log")] if outbox.exists() else []
        return [t for t in texts if "/accounts/reset/" in t and "anna@demo.talang.example" in t]

    assert wait_for(reset_mail, 60)

    os.killpg(process.pid, signal.SIGINT)
    assert process.wait(timeout=30) == 0
    assert "Talang has stopped." in (var / "run.log").read_text()
