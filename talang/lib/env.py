"""Reading settings from environment variables, failing loudly on a bad value.

Every error names the variable and says what was expected, in one line, so that
start-up stops with a message an operator can act on.
"""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


class SettingError(ImproperlyConfigured):
    """A bad environment variable; the message is one line and names it."""

    def __init__(self, name: str, problem: str):
        self.name = name
        super().__init__(f"{name}: {problem}")


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise SettingError(name, f"expected true or false, got {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise SettingError(name, f"expected a whole number, got {raw!r}") from None
    if value < minimum or (maximum is not None and value > maximum):
        upper = "" if maximum is None else f" and at most {maximum}"
        raise SettingError(name, f"expected at least {minimum}{upper}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, default: str) -> dict:
    """Parse DATABASE_URL: sqlite:///path or postgres://user:password@host:port/name."""
    import dj_database_url

    raw = os.environ.get(name) or default
    scheme = raw.split(":", 1)[0].lower()
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise SettingError(name, "expected sqlite:///PATH or postgres://USER@HOST:PORT/NAME")
    try:
        config = dj_database_url.parse(raw, conn_max_age=0, conn_health_checks=True)
    except Exception as error:  # dj_database_url raises several types
        raise SettingError(name, f"could not be read ({type(error).__name__})") from None
    if not config.get("NAME"):
        raise SettingError(name, "names no database")
    # Keep connections open between requests (starting a PostgreSQL backend costs more
    # than a whole simple request); health checks replace a connection that went away.
    config["CONN_MAX_AGE"] = env_int("TALANG_DB_CONN_MAX_AGE", 60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the worker and the web processes read while one writes;
        # IMMEDIATE transactions avoid "database is locked" on lock upgrades.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            " PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
        }
    return config


EMAIL_SCHEMES = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+ssl": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}


def env_email(name: str, default: str) -> dict:
    """Parse EMAIL_URL into Django's EMAIL_* settings.

    smtp://user:password@host:25, smtp+tls://…:587 (STARTTLS), smtp+ssl://…:465,
    file:///path/to/outbox, console://, locmem://.
    """
    raw = os.environ.get(name) or default
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme not in EMAIL_SCHEMES:
        choices = ", ".join(sorted(EMAIL_SCHEMES))
        raise SettingError(name, f"expected a URL with one of the schemes {choices}")
    settings = {"EMAIL_BACKEND": EMAIL_SCHEMES[scheme]}
    if scheme.startswith("smtp"):
        if not parts.hostname:
            raise SettingError(name, "names no SMTP host")
        try:
            port = parts.port
        except ValueError:
            raise SettingError(name, "has a port that is not a number") from None
        default_port = {"smtp": 25, "smtp+tls": 587, "smtp+ssl": 465}[scheme]
        settings.update(
            EMAIL_HOST=parts.hostname,
            EMAIL_PORT=port or default_port,
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_TLS=scheme == "smtp+tls",
            EMAIL_USE_SSL=scheme == "smtp+ssl",
        )
        timeout = parse_qs(parts.query).get("timeout")
        if timeout:
            try:
                settings["EMAIL_TIMEOUT"] = int(timeout[0])
            except ValueError:
                raise SettingError(name, "has a timeout that is not a number") from None
    elif scheme == "file":
        if not parts.path:
            raise SettingError(name, "names no folder for the outbox")
        settings["EMAIL_FILE_PATH"] = unquote(parts.path)
    return settings


def env_cache(name: str, default: str) -> dict:
    """Parse CACHE_URL: locmem:// (one process) or redis://host:port/db (shared)."""
    raw = os.environ.get(name) or default
    scheme = urlsplit(raw).scheme.lower()
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": raw}
    raise SettingError(name, "expected locmem:// or redis://HOST:PORT/DB")


IMAP_PORTS = {"imaps": 993, "imap": 143}


def env_imap(name: str) -> dict | None:
    """Parse TALANG_IMAP_URL into the mailbox the worker polls; empty means no polling.

    imaps://user:password@host:993/INBOX (TLS from the start) or imap://…:143/INBOX
    (STARTTLS, required: a password never crosses the network in clear text).
    ``?cafile=/path/ca.pem`` trusts a private certificate authority as well.
    """
    raw = (os.environ.get(name) or "").strip()
    if not raw:
        return None
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme not in IMAP_PORTS:
        raise SettingError(name, "expected imaps://USER:PASSWORD@HOST:993/INBOX or imap://…:143")
    if not parts.hostname:
        raise SettingError(name, "names no IMAP host")
    if not parts.username or parts.password is None:
        raise SettingError(name, "names no user and password")
    try:
        port = parts.port
    except ValueError:
        raise SettingError(name, "has a port that is not a number") from None
    cafile = parse_qs(parts.query).get("cafile", [""])[0]
    if cafile and not os.path.isfile(cafile):
        raise SettingError(name, "names a cafile that does not exist")
    return {
        "host": parts.hostname,
        "port": port or IMAP_PORTS[scheme],
        "user": unquote(parts.username),
        "password": unquote(parts.password),
        "folder": unquote(parts.path.strip("/")) or "INBOX",
        "implicit_tls": scheme == "imaps",
        "cafile": cafile,
    }


def env_email_address(name: str) -> str:
    """An e-mail address in lower case, or "" when unset; checked for syntax only."""
    raw = (os.environ.get(name) or "").strip()
    if not raw:
        return ""
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(raw, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise SettingError(name, "expected an e-mail address like talang@example.se") from None
