"""Search over households: reference, names, e-mail addresses and phone numbers in any format.

Case-insensitive and partial; å, ä and ö stay distinct letters while other accents fold
(é = e). The normalised text lives in Household.search_text: PostgreSQL searches it with a
trigram index, SQLite with an FTS5 trigram table kept in step by triggers.
"""

import re
import unicodedata
from typing import NamedTuple

from django.db import connection

KEEP = set("åäö")
MAX_TERMS = 5
PERSON_MAIN = "main"  # PersonRole.MAIN; contacts.models imports nothing from here


def normalise(text: str) -> str:
    out = []
    for char in text.lower():
        if char in KEEP:
            out.append(char)
            continue
        out.append(
            "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        )
    return unicodedata.normalize("NFC", "".join(out))


def phone_forms(e164: str) -> list[str]:
    """The digits of a number as stored and as dialled in Sweden (+46 70… and 070…)."""
    digits = e164.lstrip("+")
    forms = [digits]
    if digits.startswith("46"):
        forms.append("0" + digits[2:])
    return forms


def search_text(*, reference: str, people) -> str:
    parts = [reference.lower()]
    for person in people:
        parts += [normalise(person.first_name), normalise(person.last_name), person.email.lower()]
        if person.phone:
            parts += phone_forms(person.phone)
    return " ".join(part for part in parts if part)


def terms(query: str) -> list[str]:
    """The words to look for; a phone number typed with spaces or dashes is one term."""
    query = query.strip()[:200]
    if re.fullmatch(r"[+0-9 ()\-]{5,}", query):
        digits = re.sub(r"\D", "", query)
        if query.startswith("+") or query.startswith("00"):
            digits = digits.removeprefix("00")
        return [digits] if digits else []
    return [normalise(word) for word in query.split()][:MAX_TERMS]


class Hit(NamedTuple):
    """One household found: what the result list shows, nothing more."""

    reference: str
    status: str
    first_name: str
    last_name: str

    def get_status_display(self) -> str:
        from talang.contacts.models import MoveStatus

        return str(MoveStatus(self.status).label) if self.status in MoveStatus.values else ""


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# Between first and last name in the one subquery that fetches both (names hold no controls).
SEPARATOR = "\x1f"
SHOWN = (
    "h.id, h.reference, h.status, ("
    "SELECT q.first_name || %s || q.last_name FROM contacts_person q"
    " WHERE q.household_id = h.id AND q.role = %s ORDER BY q.id LIMIT 1)"
)


def _matching(region_id: int, words: list[str], limit: int) -> tuple[str, list]:
    """SQL for at most ``limit`` matching households of the region with what the result list
    shows, in the index's own order: no sort over every match, so a fragment matching
    thousands costs what a rare one does."""
    shown = [SEPARATOR, PERSON_MAIN]
    if connection.vendor == "sqlite":
        long = [word for word in words if len(word) >= 3]
        short = [word for word in words if len(word) < 3]
        like = "".join(" AND h.search_text LIKE %s ESCAPE '\\'" for _ in short)
        if long:
            # FTS5's trigram index answers the substring match.
            match = " AND ".join('"' + word.replace('"', '""') + '"' for word in long)
            return (
                f"SELECT {SHOWN} FROM contacts_household_search"  # noqa: S608 - values bound
                " JOIN contacts_household h ON h.id = contacts_household_search.rowid"
                f" WHERE contacts_household_search MATCH %s AND h.region_id = %s{like} LIMIT %s",
                [*shown, match, region_id, *map(_like, short), limit],
            )
        # Only words shorter than a trigram: a scan, newest first, that stops at the limit.
        return (
            f"SELECT {SHOWN} FROM contacts_household h WHERE h.region_id = %s{like}"  # noqa: S608
            " ORDER BY h.id DESC LIMIT %s",
            [*shown, region_id, *map(_like, short), limit],
        )
    # PostgreSQL: the trigram GIN index (or, for a very common fragment, a scan that stops
    # at the limit); ordering here would mean reading every match first. Backslash is
    # PostgreSQL's default LIKE escape; an ESCAPE clause would hide the pattern from the index.
    like = "".join(" AND h.search_text LIKE %s" for _ in words)
    return (
        f"SELECT {SHOWN} FROM contacts_household h WHERE h.region_id = %s{like} LIMIT %s",  # noqa: S608
        [*shown, region_id, *map(_like, words), limit],
    )


def households_find(*, region_id: int, query: str, limit: int = 50) -> tuple[list[Hit], bool]:
    """Up to ``limit`` households of the region matching every term of ``query``, newest
    first, with their contact person's name; and whether more households match (then the
    page asks for a longer query rather than sorting thousands of matches)."""
    words = terms(query)
    if not words:
        return [], False
    sql, params = _matching(region_id, words, limit + 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # Newest first among so few; ids grow with registration (reading registered_at back
    # would cost a date parse per row on SQLite).
    rows.sort(reverse=True)
    hits = []
    for _id, reference, status, name in rows[:limit]:
        first, _sep, last = (name or "").partition(SEPARATOR)
        hits.append(Hit(reference, status, first, last))
    return hits, len(rows) > limit
