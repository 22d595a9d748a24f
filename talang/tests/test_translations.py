"""The translation catalogues: complete, formal, compiled and up to date with the sources.

Swedish is the main language; English carries the same entries (the sources are written in
English). The public forms and their e-mails are also offered in German and Dutch, so these
catalogues must translate every entry, staff-only strings included, keep proper names and
address the reader formally.

The .po files are read here by a small parser of their own (no polib): entries are separated
by blank lines, strings may continue over several quoted lines, plural entries have
msgid_plural and msgstr[n], and obsolete entries (#~) are left out.
"""

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
# Every entry of these catalogues is translated (English is the language of the sources).
TRANSLATED = ["sv", "de", "nl"]
ALL_LANGUAGES = ["sv", "en", "de", "nl"]
PUBLIC = ["de", "nl"]
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")
SKIPPED_FOR_MAKEMESSAGES = {"locale", "var", "build", "staticfiles", "test-results"}
# Python format directives: %(name)s, %s, %d, %5.1f …; "%%" is a literal percent sign.
DIRECTIVE = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*\d*(?:\.\d+)?(?P<kind>[sdifr%])")
PROPER_NAMES = ("Region Jämtland Härjedalen", "Östersund", "Talang")
# The public is addressed with "Sie" and "u"; these words would mean the informal "you".
INFORMAL = {
    "de": re.compile(r"\b(du|dich|dir|dein|deine|deinen|deinem|deiner|deines)\b", re.IGNORECASE),
    "nl": re.compile(r"\b(je|jij|jou|jouw|jullie)\b", re.IGNORECASE),
}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def __str__(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def _unquote(text: str, where: str) -> str:
    text = text.strip()
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"{where}: expected a quoted string, got {text!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


def read_po(path: Path) -> tuple[dict[str, str], list[Entry]]:
    """The header (a dict, with "#fuzzy" if the header is fuzzy) and the entries of a .po."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None

    def finish() -> None:
        nonlocal current, target
        if current is not None and (current.msgstr or current.msgid):
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        where = f"{path}:{number}"
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if current is None:
            current = Entry(line=number)
        if line.startswith("#,"):
            current.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if target is None:
                raise ValueError(f"{where}: continuation line without a keyword")
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += _unquote(line, where)
            else:
                setattr(current, name, getattr(current, name) + _unquote(line, where))
        else:
            match = _KEYWORD.match(line)
            if not match:
                raise ValueError(f"{where}: cannot read {raw!r}")
            name, index, text = match.group(1), match.group(2), _unquote(match.group(3), where)
            if name == "msgstr":
                position = int(index) if index is not None else 0
                current.msgstr[position] = text
                target = ("msgstr", position)
            else:
                if name in ("msgid", "msgctxt") and (current.msgstr or current.msgid):
                    raise ValueError(f"{where}: {name} without a blank line before it")
                setattr(current, name, text)
                target = (name, None)
    finish()

    header: dict[str, str] = {}
    if entries and entries[0].msgid == "" and entries[0].msgctxt is None:
        first = entries.pop(0)
        for header_line in first.msgstr.get(0, "").splitlines():
            name, _, value = header_line.partition(":")
            header[name.strip()] = value.strip()
        if "fuzzy" in first.flags:
            header["#fuzzy"] = "yes"
    return header, entries


def catalogue(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def msgids(path: Path) -> dict[tuple[str | None, str], str | None]:
    """The entries of a .po as (msgctxt, msgid) → msgid_plural."""
    return {entry.key: entry.msgid_plural for entry in read_po(path)[1]}


def directives(text: str) -> tuple[list[str], int]:
    """The named placeholders (sorted) and the number of positional ones in a string."""
    named, positional = [], 0
    for match in DIRECTIVE.finditer(text):
        if match.group("kind") == "%":
            continue
        if match.group("name") is None:
            positional += 1
        else:
            named.append(match.group("name"))
    return sorted(named), positional


def test_it_parses_a_po_file_by_hand(tmp_path):
    path = tmp_path / "django.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '#: a.py\n#, fuzzy, python-format\nmsgid "Hello "\n"%(name)s"\nmsgstr "Hallo %(name)s"\n\n'
        'msgid "%(n)s day"\nmsgid_plural "%(n)s days"\nmsgstr[0] "%(n)s Tag"\n'
        'msgstr[1] "%(n)s Tage"\n\n'
        'msgctxt "menu"\nmsgid "Say \\"hi\\""\nmsgstr ""\n\n'
        '#~ msgid "Gone"\n#~ msgstr "Weg"\n',
        encoding="utf-8",
    )
    header, entries = read_po(path)
    assert header == {"Language": "de", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    assert [entry.msgid for entry in entries] == ["Hello %(name)s", "%(n)s day", 'Say "hi"']
    assert entries[0].flags == {"fuzzy", "python-format"}
    assert entries[0].msgstr == {0: "Hallo %(name)s"}
    assert entries[1].msgid_plural == "%(n)s days"
    assert entries[1].msgstr == {0: "%(n)s Tag", 1: "%(n)s Tage"}
    assert entries[2].key == ("menu", 'Say "hi"')
    assert entries[2].msgstr == {0: ""}
    assert directives("%(a)s and %s, 100%% of %(b).1f") == (["a", "b"], 1)


@pytest.mark.parametrize(
    "text",
    [
        'msgid "A"\nmsgstr "B"\nmsgid "C"\nmsgstr "D"\n',
        'msgid "A"\nmsgstr "B"\nmsgctxt "menu"\nmsgid "C"\nmsgstr "D"\n',
        '"continued"\n',
        'msgid "A"\nmsgstr B\n',
        'msgid "A"\nnonsense "B"\n',
    ],
)
def test_it_refuses_a_malformed_po_file(tmp_path, text):
    path = tmp_path / "django.po"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError):
        read_po(path)


@pytest.mark.parametrize("language", ALL_LANGUAGES)
def test_it_has_a_proper_header(language):
    header, entries = read_po(catalogue(language))
    assert header.get("Language") == language
    assert header.get("Content-Type") == "text/plain; charset=UTF-8"
    assert header.get("Plural-Forms") == "nplurals=2; plural=(n != 1);"
    assert "#fuzzy" not in header, f"the header of the {language} catalogue is marked fuzzy"
    assert entries, f"the {language} catalogue is empty"


@pytest.mark.parametrize("language", TRANSLATED)
def test_it_translates_every_entry(language):
    _, entries = read_po(catalogue(language))
    assert len(entries) > 100, f"the {language} catalogue looks truncated"
    problems = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy, {entry}")
        expected = [0, 1] if entry.msgid_plural is not None else [0]
        if sorted(entry.msgstr) != expected:
            problems.append(f"forms {sorted(entry.msgstr)} instead of {expected}, {entry}")
        if any(not text.strip() for text in entry.msgstr.values()):
            problems.append(f"untranslated, {entry}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", TRANSLATED)
def test_it_keeps_every_placeholder(language):
    _, entries = read_po(catalogue(language))
    problems = []
    for entry in entries:
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        wanted_named = sorted(set().union(*(directives(source)[0] for source in sources)))
        wanted_positional = max(directives(source)[1] for source in sources)
        for index, text in entry.msgstr.items():
            named, positional = directives(text)
            if sorted(set(named)) != wanted_named or positional != wanted_positional:
                problems.append(f"msgstr[{index}] {text!r} for {entry}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", PUBLIC)
def test_it_keeps_proper_names_and_the_formal_you(language):
    _, entries = read_po(catalogue(language))
    problems = []
    for entry in entries:
        for index, text in entry.msgstr.items():
            for name in PROPER_NAMES:
                if name in entry.msgid and name not in text:
                    problems.append(f"{name!r} is missing from msgstr[{index}] of {entry}")
            informal = INFORMAL[language].search(text)
            if informal:
                problems.append(f"informal {informal.group(0)!r} in msgstr[{index}] of {entry}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", ["en", "de", "nl"])
def test_it_has_the_same_entries_as_swedish(language):
    """Same (msgctxt, msgid) and msgid_plural everywhere; so German and Dutch agree too."""
    swedish = msgids(catalogue("sv"))
    other = msgids(catalogue(language))
    changed = sorted(
        (key for key in swedish.keys() & other.keys() if swedish[key] != other[key]), key=str
    )
    assert swedish == other, (
        f"only in sv: {sorted(swedish.keys() - other.keys(), key=str)}; "
        f"only in {language}: {sorted(other.keys() - swedish.keys(), key=str)}; "
        f"plural forms differ: {changed}; run makemessages -l sv -l en -l de -l nl"
    )


@pytest.mark.parametrize(
    ("language", "source", "expected"),
    [
        ("sv", "Sign in", "Logga in"),
        ("sv", "Sign out", "Logga ut"),
        ("sv", "Skip to content", "Hoppa till innehållet"),
        ("sv", "Accessibility statement", "Tillgänglighetsredogörelse"),
        ("en", "Sign in", "Sign in"),
        ("de", "We have received your registration", "Wir haben Ihre Anmeldung erhalten"),
        ("de", "Register for relocation guidance", "Zur Umzugsberatung anmelden"),
        ("de", "Relocation guidance", "Umzugsberatung"),
        ("de", "Your household", "Ihr Haushalt"),
        ("de", "Skip to content", "Zum Inhalt springen"),
        ("nl", "We have received your registration", "We hebben uw aanmelding ontvangen"),
        ("nl", "Register for relocation guidance", "Meld u aan voor verhuisbegeleiding"),
        ("nl", "Relocation guidance", "Verhuisbegeleiding"),
        ("nl", "Your household", "Uw huishouden"),
        ("nl", "Skip to content", "Naar de inhoud"),
    ],
)
def test_it_speaks_the_language_from_the_compiled_catalogue(language, source, expected):
    with translation.override(language):
        assert translation.gettext(source) == expected


@pytest.mark.parametrize(
    ("language", "days", "expected"),
    [
        ("sv", 1, "Länken kan användas en gång och gäller i 1 dag."),
        ("sv", 7, "Länken kan användas en gång och gäller i 7 dagar."),
        ("de", 1, "Der Link funktioniert einmal und ist 1 Tag gültig."),
        ("de", 7, "Der Link funktioniert einmal und ist 7 Tage gültig."),
        ("nl", 1, "De link werkt één keer en is 1 dag geldig."),
        ("nl", 7, "De link werkt één keer en is 7 dagen geldig."),
    ],
)
def test_it_chooses_plural_forms_from_the_compiled_catalogue(language, days, expected):
    singular = "The link works once and for %(days)s day."
    plural = "The link works once and for %(days)s days."
    with translation.override(language):
        assert translation.ngettext(singular, plural, days) % {"days": days} == expected


@pytest.mark.parametrize("language", TRANSLATED)
def test_it_compiled_every_entry(language):
    """The .mo answers with the msgstr of every .po entry: it is not older than the .po."""
    _, entries = read_po(catalogue(language))
    stale = []
    with translation.override(language):
        for entry in entries:
            if entry.msgid_plural is None:
                if entry.msgctxt is None:
                    got = translation.gettext(entry.msgid)
                else:
                    got = translation.pgettext(entry.msgctxt, entry.msgid)
                if got != entry.msgstr.get(0):
                    stale.append(f"{entry} gives {got!r}")
                continue
            for count, index in ((1, 0), (2, 1)):
                if entry.msgctxt is None:
                    got = translation.ngettext(entry.msgid, entry.msgid_plural, count)
                else:
                    got = translation.npgettext(
                        entry.msgctxt, entry.msgid, entry.msgid_plural, count
                    )
                if got != entry.msgstr.get(index):
                    stale.append(f"{entry} (n={count}) gives {got!r}")
    assert not stale, (
        f"run compilemessages -l {language}; the .mo differs from the .po:\n" + "\n".join(stale)
    )


def test_it_has_catalogues_up_to_date_with_the_sources(tmp_path):
    missing_tools = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing_tools:
        message = f"GNU gettext is not installed (no {', '.join(missing_tools)})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)

    # makemessages runs once, for every language, in a copy of the sources and without
    # Django settings: it then writes into the copy's own locale/ and can never touch the
    # committed catalogues. The copy holds what makemessages sees from the project root:
    # not the virtualenv, var/, the catalogues themselves, hidden folders or build output.
    base = Path(settings.BASE_DIR)
    for item in base.iterdir():
        if item.name in SKIPPED_FOR_MAKEMESSAGES or item.name.startswith("."):
            continue
        if item.name.endswith(".egg-info") or item.is_symlink():
            continue
        if item.is_dir():
            shutil.copytree(
                item, tmp_path / item.name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(item, tmp_path / item.name)
    (tmp_path / "locale").mkdir()
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    command = [sys.executable, "-m", "django", "makemessages", "--no-obsolete"]
    for language in ALL_LANGUAGES:
        command += ["-l", language]
    result = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr

    problems = []
    for language in ALL_LANGUAGES:
        fresh_po = tmp_path / "locale" / language / "LC_MESSAGES" / "django.po"
        assert fresh_po.is_file(), f"no {language} catalogue:\n{result.stdout}{result.stderr}"
        fresh = msgids(fresh_po)
        committed = msgids(catalogue(language))
        assert len(fresh) > 100, f"makemessages found suspiciously few strings for {language}"
        missing = sorted(fresh.keys() - committed.keys(), key=str)
        obsolete = sorted(committed.keys() - fresh.keys(), key=str)
        changed = sorted(
            (key for key in fresh.keys() & committed.keys() if fresh[key] != committed[key]),
            key=str,
        )
        if missing or obsolete or changed:
            problems.append(
                f"{language}: missing {missing}; no longer in the sources {obsolete}; "
                f"plural forms changed {changed}"
            )
    assert not problems, (
        "the catalogues are out of date; run makemessages -l sv -l en -l de -l nl "
        "--no-obsolete and translate:\n" + "\n".join(problems)
    )
