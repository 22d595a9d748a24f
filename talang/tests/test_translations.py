"""The translation catalogues: Swedish complete, compiled and up to date with the sources.

The .po files are parsed here by hand (no polib): entries are separated by blank lines,
strings may continue over several quoted lines, and plural entries have msgid_plural and
msgstr[n].
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
SV_PO = LOCALE / "sv" / "LC_MESSAGES" / "django.po"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
SKIPPED_FOR_MAKEMESSAGES = {"locale", "var", "build", "staticfiles", "test-results"}
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")
PLACEHOLDER = re.compile(r"%\(([^)]+)\)[sdif]")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


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


def _unquote(text: str, path: Path, number: int) -> str:
    text = text.strip()
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"{path}:{number}: expected a quoted string, got {text!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


def parse_po(path: Path) -> tuple[dict[str, str], list[Entry]]:
    """The header (as a dict) and the entries of a .po file; obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None

    def finish() -> None:
        nonlocal current, target
        if current is not None and (current.msgstr or current.msgid):
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if current is None:
            current = Entry(line=number)
        if line.startswith("#,"):
            current.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if target is None:
                raise ValueError(f"{path}:{number}: continuation line without a keyword")
            name, index = target
            text = _unquote(line, path, number)
            if name == "msgstr":
                current.msgstr[index] += text
            else:
                setattr(current, name, getattr(current, name) + text)
        else:
            match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
            if not match:
                raise ValueError(f"{path}:{number}: cannot read {raw!r}")
            name, index, text = (
                match.group(1),
                match.group(2),
                _unquote(match.group(3), path, number),
            )
            if name == "msgstr":
                position = int(index) if index is not None else 0
                current.msgstr[position] = text
                target = ("msgstr", position)
            else:
                if name == "msgid" and (current.msgstr or current.msgid):
                    raise ValueError(f"{path}:{number}: msgid without a blank line before it")
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


def _describe(entry: Entry) -> str:
    return f"line {entry.line}: {entry.msgid!r}"


def test_it_has_a_swedish_header():
    header, _ = parse_po(SV_PO)
    assert header.get("Language") == "sv"
    assert header.get("Content-Type") == "text/plain; charset=UTF-8"
    assert header.get("Plural-Forms") == "nplurals=2; plural=(n != 1);"
    assert "#fuzzy" not in header, "the header of the Swedish catalogue is marked fuzzy"


def test_it_has_an_english_header():
    header, entries = parse_po(EN_PO)
    assert header.get("Language") == "en"
    assert header.get("Content-Type") == "text/plain; charset=UTF-8"
    assert header.get("Plural-Forms") == "nplurals=2; plural=(n != 1);"
    assert "#fuzzy" not in header, "the header of the English catalogue is marked fuzzy"
    assert entries, "the English catalogue is empty"


def test_it_translates_every_swedish_entry():
    _, entries = parse_po(SV_PO)
    assert len(entries) > 100, "the Swedish catalogue looks truncated"
    problems = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy, {_describe(entry)}")
        expected = [0, 1] if entry.msgid_plural is not None else [0]
        if sorted(entry.msgstr) != expected:
            problems.append(
                f"forms {sorted(entry.msgstr)} instead of {expected}, {_describe(entry)}"
            )
        if any(not text.strip() for text in entry.msgstr.values()):
            problems.append(f"untranslated, {_describe(entry)}")
    assert not problems, "\n".join(problems)


def test_it_keeps_every_placeholder_in_swedish():
    _, entries = parse_po(SV_PO)
    problems = []
    for entry in entries:
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        wanted = set().union(*(PLACEHOLDER.findall(source) for source in sources))
        for index, text in entry.msgstr.items():
            if text and set(PLACEHOLDER.findall(text)) != wanted:
                problems.append(f"msgstr[{index}] {text!r} for {_describe(entry)}")
    assert not problems, "\n".join(problems)


def test_it_has_the_same_entries_in_english_and_swedish():
    _, sv_entries = parse_po(SV_PO)
    _, en_entries = parse_po(EN_PO)
    sv_keys = {entry.key for entry in sv_entries}
    en_keys = {entry.key for entry in en_entries}
    assert sv_keys == en_keys, (
        f"only in Swedish: {sorted(sv_keys - en_keys, key=str)}; "
        f"only in English: {sorted(en_keys - sv_keys, key=str)}; run makemessages -l sv -l en"
    )


def test_it_speaks_swedish_from_the_compiled_catalogue():
    with translation.override("sv"):
        assert translation.gettext("Sign in") == "Logga in"
        assert translation.gettext("Sign out") == "Logga ut"
        assert translation.gettext("Skip to content") == "Hoppa till innehållet"
        assert translation.gettext("Accessibility statement") == "Tillgänglighetsredogörelse"
        singular = "The link works once and for %(days)s day."
        plural = "The link works once and for %(days)s days."
        assert translation.ngettext(singular, plural, 1) % {"days": 1} == (
            "Länken kan användas en gång och gäller i 1 dag."
        )
        assert translation.ngettext(singular, plural, 7) % {"days": 7} == (
            "Länken kan användas en gång och gäller i 7 dagar."
        )
    with translation.override("en"):
        assert translation.gettext("Sign in") == "Sign in"


def test_it_compiled_every_swedish_entry():
    """The .mo answers with the msgstr of every .po entry: it is not older than the .po."""
    _, entries = parse_po(SV_PO)
    stale = []
    with translation.override("sv"):
        for entry in entries:
            if entry.msgid_plural is None:
                if entry.msgctxt is None:
                    got = translation.gettext(entry.msgid)
                else:
                    got = translation.pgettext(entry.msgctxt, entry.msgid)
                if got != entry.msgstr.get(0):
                    stale.append(f"{_describe(entry)} gives {got!r}")
                continue
            for count, index in ((1, 0), (2, 1)):
                if entry.msgctxt is None:
                    got = translation.ngettext(entry.msgid, entry.msgid_plural, count)
                else:
                    got = translation.npgettext(
                        entry.msgctxt, entry.msgid, entry.msgid_plural, count
                    )
                if got != entry.msgstr.get(index):
                    stale.append(f"{_describe(entry)} (n={count}) gives {got!r}")
    assert not stale, "run compilemessages; the .mo differs from the .po:\n" + "\n".join(stale)


def test_it_has_a_catalogue_up_to_date_with_the_sources(tmp_path):
    missing_tools = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing_tools:
        message = f"GNU gettext is not installed (no {', '.join(missing_tools)})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)

    # makemessages runs in a copy of the sources, without Django settings: it then
    # writes into the copy's own locale/ and can never touch the committed catalogue.
    # The copy holds what makemessages sees from the project root: not the virtualenv,
    # var/, the catalogues themselves, hidden folders or build output.
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
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "sv", "--no-obsolete"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    fresh_po = tmp_path / "locale" / "sv" / "LC_MESSAGES" / "django.po"
    assert fresh_po.is_file(), result.stdout + result.stderr

    _, fresh = parse_po(fresh_po)
    _, committed = parse_po(SV_PO)
    fresh_keys = {entry.key for entry in fresh}
    committed_keys = {entry.key for entry in committed}
    assert len(fresh_keys) > 100, "makemessages found suspiciously few strings"
    missing = sorted(fresh_keys - committed_keys, key=str)
    obsolete = sorted(committed_keys - fresh_keys, key=str)
    assert not missing and not obsolete, (
        "the catalogue is out of date; run makemessages -l sv -l en --no-obsolete and "
        f"translate.\nMissing: {missing}\nNo longer in the sources: {obsolete}"
    )
    plurals = {entry.key: entry.msgid_plural for entry in fresh}
    changed = [entry.key for entry in committed if plurals.get(entry.key) != entry.msgid_plural]
    assert not changed, f"plural forms changed in the sources: {changed}"
