"""Old Office files (.doc/.xls/.ppt): OLE2 compound files, read only as far as their directory.

An OLE2 file is also what .msi installers are: the names of the streams it holds tell which it
is, and whether it carries macros or encryption. The sector table must also fit the file, so one
cut short is damaged even when its directory survived.
"""

import math
import struct
from typing import BinaryIO

from django.utils.translation import gettext as _

from .errors import Refused, macros

# OLE2 compound file: https://learn.microsoft.com/openspecs/windows_protocols/ms-cfb
_FREE_OR_END = 0xFFFFFFFA  # sector ids from here up are markers, not sectors
_FREE = 0xFFFFFFFF
_OLE_MACROS = {"macros", "_vba_project_cur", "vba", "_vba_project"}


def inspect_ole(f: BinaryIO) -> str:
    try:
        names = {name.lower() for name in _ole_names(f)}
    except (struct.error, ValueError, OSError) as error:
        raise _ole_damaged() from error
    if names & {"encryptedpackage", "encryptioninfo"}:
        raise Refused(
            _("it is a password-protected Office file; send it without a password."),
            code="office_encrypted",
        )
    if names & _OLE_MACROS:
        raise macros()
    if "worddocument" in names:
        return "doc"
    if names & {"workbook", "book"}:
        return "xls"
    if "powerpoint document" in names:
        return "ppt"
    raise Refused(
        _(
            "it is a compound file that is not a Word, Excel or PowerPoint file "
            "(e.g. an installer)."
        ),
        code="dangerous",
    )


def _ole_damaged() -> Refused:
    return Refused(_("the old-format Office file is damaged."), code="office_damaged")


def _ole_names(f: BinaryIO) -> list[str]:
    f.seek(0, 2)
    file_size = f.tell()
    f.seek(0)
    header = f.read(512)
    shift = struct.unpack_from("<H", header, 30)[0]
    if shift not in (9, 12):
        raise _ole_damaged()
    sector_size = 1 << shift
    fat_count, first_dir = struct.unpack_from("<II", header, 44)
    first_difat, difat_count = struct.unpack_from("<II", header, 68)
    max_sectors = file_size // sector_size + 1
    if fat_count > max_sectors or difat_count > max_sectors:
        raise _ole_damaged()

    def sector(number: int) -> bytes:
        if number >= max_sectors:
            raise _ole_damaged()
        f.seek((number + 1) * sector_size)
        data = f.read(sector_size)
        if len(data) != sector_size:
            raise _ole_damaged()
        return data

    per_sector = sector_size // 4
    fat_sectors = [n for n in struct.unpack_from("<109I", header, 76) if n < _FREE_OR_END]
    next_difat = first_difat
    for _i in range(difat_count):
        if next_difat >= _FREE_OR_END:
            break
        ids = struct.unpack(f"<{per_sector}I", sector(next_difat))
        fat_sectors += [n for n in ids[:-1] if n < _FREE_OR_END]
        next_difat = ids[-1]
    fat: list[int] = []
    for number in fat_sectors[:fat_count]:
        fat += struct.unpack(f"<{per_sector}I", sector(number))
    # A sector the table marks in use past the file's end: the file was cut short. (A last
    # sector written short, as some tools do, still counts as in the file.)
    in_file = math.ceil(file_size / sector_size) - 1
    if any(entry != _FREE for entry in fat[in_file:]):
        raise _ole_damaged()

    names: list[str] = []
    seen: set[int] = set()
    current = first_dir
    while current < _FREE_OR_END:
        # A chain that loops back on itself would never end.
        if current in seen or current >= len(fat):
            raise _ole_damaged()
        seen.add(current)
        data = sector(current)
        for offset in range(0, sector_size, 128):
            length = struct.unpack_from("<H", data, offset + 64)[0]
            if data[offset + 66] in (1, 2) and 2 <= length <= 64:
                names.append(data[offset : offset + length - 2].decode("utf-16-le", "replace"))
        current = fat[current]
    return names
