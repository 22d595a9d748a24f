"""The drop mailbox: the worker reads its new messages over IMAP and puts them on the cards.

A message is marked \\Seen only after the transaction that stored it has committed, so a
crash or a database error leaves it unseen and it is read again on the next poll; the
Message-ID keeps it from being stored twice. The password travels only over TLS: imaps://,
or imap:// with STARTTLS (refused if the server does not offer it).
"""

import contextlib
import imaplib
import logging
import ssl
from dataclasses import dataclass

from django.conf import settings

from talang.guidance.mail import email_ingest

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 60
# Messages per poll; the rest wait for the next one, a minute later.
BATCH = 200


class MailboxError(Exception):
    """The mailbox could not be read: connection, TLS, sign-in or folder. One line, no text
    of any message."""


@dataclass
class PollResult:
    fetched: int = 0
    stored: int = 0
    duplicates: int = 0
    failed: int = 0


def _connect(config: dict) -> imaplib.IMAP4:
    context = ssl.create_default_context(cafile=config.get("cafile") or None)
    where = f"{config['host']}:{config['port']}"
    try:
        if config["implicit_tls"]:
            client = imaplib.IMAP4_SSL(
                config["host"], config["port"], ssl_context=context, timeout=TIMEOUT_SECONDS
            )
        else:
            client = imaplib.IMAP4(config["host"], config["port"], timeout=TIMEOUT_SECONDS)
            client.starttls(ssl_context=context)
    except (OSError, imaplib.IMAP4.error) as error:
        raise MailboxError(f"cannot connect to {where} over TLS ({error})") from None
    try:
        client.login(config["user"], config["password"])
    except imaplib.IMAP4.error as error:
        client.shutdown()
        raise MailboxError(f"{where} refused the sign-in ({error})") from None
    return client


def _fetch(client: imaplib.IMAP4, uid: bytes) -> bytes | None:
    # PEEK: reading does not set \Seen; that waits until the message is stored.
    typ, parts = client.uid("FETCH", uid, "(BODY.PEEK[])")
    if typ != "OK":
        return None
    return next((part[1] for part in parts if isinstance(part, tuple)), None)


def mailbox_poll(*, config: dict | None = None, limit: int = BATCH) -> PollResult | None:
    """Read the unseen messages of the drop mailbox (TALANG_IMAP_URL) into Talang and mark
    each \\Seen once it is stored. None when no mailbox is configured."""
    config = config or settings.TALANG_IMAP
    if not config:
        return None
    result = PollResult()
    client = _connect(config)
    try:
        typ, _data = client.select(f'"{config["folder"]}"')
        if typ != "OK":
            raise MailboxError(f"the folder {config['folder']!r} cannot be opened")
        typ, data = client.uid("SEARCH", None, "UNSEEN")
        uids = data[0].split()[:limit] if typ == "OK" and data and data[0] else []
        for uid in uids:
            raw = _fetch(client, uid)
            if raw is None:
                result.failed += 1
                continue
            result.fetched += 1
            try:
                ingested = email_ingest(raw_bytes=raw, source="imap")
            except Exception as error:  # e.g. the database: left unseen, read again next time
                logger.error(
                    "drop mailbox: message %s not stored (%s)", uid.decode(), type(error).__name__
                )
                result.failed += 1
                continue
            client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            if ingested.created:
                result.stored += 1
            else:
                result.duplicates += 1
    except (OSError, imaplib.IMAP4.error) as error:
        raise MailboxError(f"reading the mailbox failed ({type(error).__name__})") from None
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()
    logger.info(
        "drop mailbox: %d read, %d stored, %d already known, %d failed",
        result.fetched,
        result.stored,
        result.duplicates,
        result.failed,
    )
    return result
