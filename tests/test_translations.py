"""The Persian catalogue: every message translated, and the committed .mo matches the .po."""

import gettext
import json
import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "karnameh/locale/fa/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")
_STRING = re.compile(r'^(?:msgid|msgstr)?\s*"(.*)"$')


def _entries() -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for every entry but the header."""
    entries = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not any(line.startswith("msgid ") for line in lines):
            continue
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
    # then
    assert untranslated == []


def test_the_committed_catalogue_is_compiled_from_the_current_po():
    # given
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    # then
    stale = [msgid for msgid, msgstr, _fuzzy in _entries() if compiled.gettext(msgid) != msgstr]
    assert stale == []


def test_pages_speak_persian(client, db):
    # when
    page = client.get("/accounts/login/").content.decode()
    # then
    assert "ورود به کارنامه" in page
    assert "Log in to Karnameh" not in page
