"""Settings come from the environment; a bad value stops start-up with one line naming it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from talang.lib import env

ROOT = Path(__file__).resolve().parents[2]


def start(tmp_path, **variables) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TALANG_", "DJANGO_"))}
    clean.pop("SECRET_KEY", None)
    clean.pop("DATABASE_URL", None)
    clean.update({"TALANG_VAR_DIR": str(tmp_path)}, **variables)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("variables", "name"),
    [
        ({}, "SECRET_KEY"),
        ({"TALANG_DEMO": "maybe"}, "TALANG_DEMO"),
        ({"TALANG_DEMO": "1", "DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
        ({"TALANG_DEMO": "1", "EMAIL_URL": "pigeon://loft"}, "EMAIL_URL"),
        (
            {"TALANG_DEMO": "1", "TALANG_SESSION_IDLE_MINUTES": "soon"},
            "TALANG_SESSION_IDLE_MINUTES",
        ),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
    ],
)
def test_it_stops_with_one_line_naming_the_variable(tmp_path, variables, name):
    result = start(tmp_path, **variables)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"talang: bad setting {name}:")


def test_it_starts_in_demo_mode_without_a_secret_key(tmp_path):
    result = start(tmp_path, TALANG_DEMO="true")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "demo-secret-key").exists()


def test_it_reads_database_urls(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://talang:pw@db.example.org:5433/talang")
    config = env.env_database("DATABASE_URL", "sqlite:///x")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.example.org", 5433, "talang")
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/t.sqlite3")
    config = env.env_database("DATABASE_URL", "sqlite:///x")
    assert config["NAME"] == "/tmp/t.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_it_reads_email_urls(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp+tls://user%40x:p%3Ass@mail.example.org")
    config = env.env_email("EMAIL_URL", "console://")
    assert config["EMAIL_HOST"] == "mail.example.org"
    assert config["EMAIL_PORT"] == 587
    assert config["EMAIL_HOST_USER"] == "user@x"
    assert config["EMAIL_HOST_PASSWORD"] == "p:ss"
    assert config["EMAIL_USE_TLS"] is True
    monkeypatch.setenv("EMAIL_URL", "smtp://")
    with pytest.raises(env.SettingError, match="EMAIL_URL"):
        env.env_email("EMAIL_URL", "console://")


@pytest.mark.parametrize(
    ("raw", "value"), [("1", True), ("yes", True), ("false", False), ("", False)]
)
def test_it_reads_booleans(monkeypatch, raw, value):
    monkeypatch.setenv("X_FLAG", raw)
    assert env.env_bool("X_FLAG") is value


def test_it_refuses_numbers_out_of_range(monkeypatch):
    monkeypatch.setenv("X_NUMBER", "0")
    with pytest.raises(env.SettingError, match="X_NUMBER: expected at least 1"):
        env.env_int("X_NUMBER", 5, minimum=1)
