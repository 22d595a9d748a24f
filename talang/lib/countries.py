"""Country names in the user's language (from CLDR via Babel) and Sweden's counties."""

from functools import lru_cache

from babel import Locale

# The 21 counties (län) with the codes of ISO 3166-2:SE.
SWEDISH_COUNTIES = [
    ("SE-AB", "Stockholms län"),
    ("SE-AC", "Västerbottens län"),
    ("SE-BD", "Norrbottens län"),
    ("SE-C", "Uppsala län"),
    ("SE-D", "Södermanlands län"),
    ("SE-E", "Östergötlands län"),
    ("SE-F", "Jönköpings län"),
    ("SE-G", "Kronobergs län"),
    ("SE-H", "Kalmar län"),
    ("SE-I", "Gotlands län"),
    ("SE-K", "Blekinge län"),
    ("SE-M", "Skåne län"),
    ("SE-N", "Hallands län"),
    ("SE-O", "Västra Götalands län"),
    ("SE-S", "Värmlands län"),
    ("SE-T", "Örebro län"),
    ("SE-U", "Västmanlands län"),
    ("SE-W", "Dalarnas län"),
    ("SE-X", "Gävleborgs län"),
    ("SE-Y", "Västernorrlands län"),
    ("SE-Z", "Jämtlands län"),
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
    return tuple(sorted(pairs, key=lambda pair: pair[1].casefold()))


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    return frozenset(code for code, _name in countries("en"))


@lru_cache(maxsize=16)
def _names(language: str) -> dict[str, str]:
    return dict(countries(language))


def country_name(code: str, language: str) -> str:
    """The country's name in ``language``; the code itself when it names no country."""
    return _names(language).get(code, code)
