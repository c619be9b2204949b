"""The Persian catalogue: every message translated, and the committed .mo matches the .po."""

import gettext
import json
import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "karnameh/locale/fa/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")
_STRING = re.compile(r'^(?:msgid|msgid_plural|msgstr(?:\[\d\])?)?\s*"(.*)"$')
_KEY = re.compile(r"^(msgid|msgid_plural|msgstr\[\d\])\s")


def _plurals() -> list[tuple[str, str, str, str]]:
    """(singular, plural, form 0, form 1) of every plural entry."""
    found = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        parts: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            if match := _KEY.match(line):
                key = match.group(1)
            if key and (string := _STRING.match(line)):
                parts[key] = parts.get(key, "") + json.loads(f'"{string.group(1)}"')
        if "msgid_plural" in parts:
            found.append(
                (
                    parts["msgid"],
                    parts["msgid_plural"],
                    parts.get("msgstr[0]", ""),
                    parts.get("msgstr[1]", ""),
                )
            )
    return found


def _entries() -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for every singular entry but the header."""
    entries = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        if any(line.startswith("msgid_plural") for line in lines):
            continue  # _plurals()
        start = next(i for i, line in enumerate(lines) if line.startswith("msgid "))
        middle = next(i for i, line in enumerate(lines) if line.startswith("msgstr"))

        def text(part: list[str]) -> str:
            return "".join(
                json.loads(f'"{m.group(1)}"') for line in part if (m := _STRING.match(line))
            )

        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        msgid = text(lines[start:middle])
        if msgid:
            entries.append((msgid, text(lines[middle:]), fuzzy))
    return entries


def test_every_message_has_a_persian_translation():
    # when
    untranslated = [msgid for msgid, msgstr, fuzzy in _entries() if not msgstr or fuzzy]
    untranslated += [one for one, _many, first, second in _plurals() if not (first and second)]
    # then
    assert untranslated == []


def test_the_committed_catalogue_is_compiled_from_the_current_po():
    # given
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    # then
    stale = [msgid for msgid, msgstr, _fuzzy in _entries() if compiled.gettext(msgid) != msgstr]
    # Persian here has two forms, the second for n > 1.
    stale += [
        one
        for one, many, first, second in _plurals()
        if (compiled.ngettext(one, many, 1), compiled.ngettext(one, many, 2)) != (first, second)
    ]
    assert stale == []


def test_pages_speak_persian(client, db):
    # when
    page = client.get("/accounts/login/").content.decode()
    # then
    assert "ورود به کارنامه" in page
    assert "Log in to Karnameh" not in page
