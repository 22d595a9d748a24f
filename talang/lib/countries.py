"""Country names in the user's language (from CLDR via Babel) and Sweden's counties, each
list in the alphabetical order of its language."""

import unicodedata
from functools import lru_cache

from babel import Locale

# The 21 counties (län) with the codes of ISO 3166-2:SE, in the order of their names.
SWEDISH_COUNTIES = [
    ("SE-K", "Blekinge län"),
    ("SE-W", "Dalarnas län"),
    ("SE-I", "Gotlands län"),
    ("SE-X", "Gävleborgs län"),
    ("SE-N", "Hallands län"),
    ("SE-Z", "Jämtlands län"),
    ("SE-F", "Jönköpings län"),
    ("SE-H", "Kalmar län"),
    ("SE-G", "Kronobergs län"),
    ("SE-BD", "Norrbottens län"),
    ("SE-M", "Skåne län"),
    ("SE-AB", "Stockholms län"),
    ("SE-D", "Södermanlands län"),
    ("SE-C", "Uppsala län"),
    ("SE-S", "Värmlands län"),
    ("SE-AC", "Västerbottens län"),
    ("SE-Y", "Västernorrlands län"),
    ("SE-U", "Västmanlands län"),
    ("SE-O", "Västra Götalands län"),
    ("SE-T", "Örebro län"),
    ("SE-E", "Östergötlands län"),
]
COUNTY_CODES = {code for code, _name in SWEDISH_COUNTIES}
NORDIC = {"DK", "FI", "IS", "NO", "SE", "AX", "FO", "GL"}
EU_EEA = {
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
    "IS",
    "LI",
    "NO",
}


@lru_cache(maxsize=16)
def countries(language: str) -> tuple[tuple[str, str], ...]:
    """(ISO code, name) of every country, sorted by name in ``language``."""
    try:
        names = Locale.parse(language).territories
    except (ValueError, TypeError):
        names = Locale("en").territories
    pairs = [
        (code, name)
        for code, name in names.items()
        if len(code) == 2
        and code.isalpha()
        and code not in {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"}
    ]
    return tuple(sorted(pairs, key=lambda pair: collation_key(pair[1], language)))


# Swedish sorts å, ä and ö (and the Danish and Norwegian æ and ø with them) after z, and ü as
# y; the other languages of the forms sort a letter with a mark as the letter without it.
_SWEDISH_LETTERS = str.maketrans({"å": "z{", "ä": "z|", "æ": "z|", "ö": "z}", "ø": "z}", "ü": "y"})


def collation_key(text: str, language: str) -> str:
    """A sort key giving ``text`` its place in the alphabetical order of ``language``: close
    enough to the Unicode collation for names (Babel has none, and PyICU is not installed)."""
    text = text.casefold()
    if language.split("-")[0] == "sv":
        text = text.translate(_SWEDISH_LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    return frozenset(code for code, _name in countries("en"))


@lru_cache(maxsize=16)
def _names(language: str) -> dict[str, str]:
    return dict(countries(language))


def country_name(code: str, language: str) -> str:
    """The country's name in ``language``; the code itself when it names no country."""
    return _names(language).get(code, code)
