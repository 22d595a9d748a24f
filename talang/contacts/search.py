"""Search over households: reference, names, e-mail addresses and phone numbers in any format.

Case-insensitive and partial; å, ä and ö stay distinct letters while other accents fold
(é = e). The normalised text lives in Household.search_text: PostgreSQL searches it with a
trigram index, SQLite with an FTS5 trigram table kept in step by triggers.
"""

import re
import unicodedata

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

KEEP = set("åäö")
MAX_TERMS = 5


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


def filter_households(queryset: QuerySet, query: str) -> QuerySet:
    for term in terms(query):
        if connection.vendor == "sqlite" and len(term) >= 3:
            # FTS5's trigram tokenizer answers substring queries from its index.
            phrase = '"' + term.replace('"', '""') + '"'
            queryset = queryset.filter(
                pk__in=RawSQL(
                    "SELECT rowid FROM contacts_household_search WHERE "
                    "contacts_household_search MATCH %s",
                    [phrase],
                )
            )
        else:
            queryset = queryset.filter(search_text__contains=term)
    return queryset
