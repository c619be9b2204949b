"""Looking inside containers: ZIP (and the Office and OpenDocument files built on it) and OLE2.

A ZIP is checked before anything in it is believed: entry count, names, encryption, declared
sizes and compression ratio, then every entry is decompressed once (bounded by the declared
sizes, which Python's zipfile enforces) so a damaged or lying archive is refused too. Only then
is it told apart as DOCX/XLSX/PPTX/ODT/ODS or a plain ZIP.

An OLE2 compound file (old .doc/.xls/.ppt, but also .msi installers) is read only as far as its
directory, to see which streams it holds: that tells the kind, macros and encryption.
"""

import re
import struct
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _

from karnameh.common.text import persian_digits

from .errors import Refused

_MB = 1024 * 1024
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 1000
    max_uncompressed: int = 200 * _MB
    max_ratio: int = 100
    # Small parts compress far beyond the ratio without harm (an empty sheet's XML, a blank
    # image): the ratio is judged only on entries, and totals, bigger than this.
    ratio_floor: int = _MB

    @classmethod
    def from_settings(cls) -> "ZipLimits":
        return cls(
            max_entries=getattr(settings, "KARNAMEH_ZIP_MAX_ENTRIES", cls.max_entries),
            max_uncompressed=getattr(
                settings, "KARNAMEH_ZIP_MAX_UNCOMPRESSED_BYTES", cls.max_uncompressed
            ),
            max_ratio=getattr(settings, "KARNAMEH_ZIP_MAX_RATIO", cls.max_ratio),
        )


_OOXML_MAIN = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
}
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_DRIVE = re.compile(r"[A-Za-z]:")


def inspect_zip(f: BinaryIO, limits: ZipLimits) -> str:
    try:
        with zipfile.ZipFile(f) as archive:
            entries = archive.infolist()
            _check_entries(entries, limits)
            _verify(archive, entries)
            return _zip_kind(archive, {entry.filename for entry in entries})
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        # zipfile raises NotImplementedError (not caught here) for an unknown compression
        # method; _verify, where members are read, refuses that with its own message.
        raise Refused(_("the ZIP archive is damaged."), code="zip_damaged") from error


def _check_entries(entries: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    if len(entries) > limits.max_entries:
        raise Refused(
            _("the ZIP archive holds more than %(count)s files.")
            % {"count": _persian(limits.max_entries)},
            code="zip_entries",
        )
    total = compressed = 0
    for entry in entries:
        name = entry.filename
        parts = re.split(r"[\\/]", name)
        if name.startswith(("/", "\\")) or _DRIVE.match(name) or ".." in parts:
            raise Refused(
                _("the ZIP archive holds a file named outside it (%(entry)s).") % {"entry": name},
                code="zip_path",
            )
        if entry.flag_bits & 0x1:
            raise Refused(
                _("the ZIP archive holds an encrypted file; send it without a password."),
                code="zip_encrypted",
            )
        if entry.file_size > limits.ratio_floor and _ratio(entry.file_size, entry.compress_size) > (
            limits.max_ratio
        ):
            raise _bomb()
        total += entry.file_size
        compressed += entry.compress_size
    if total > limits.max_uncompressed:
        raise Refused(
            _("the ZIP archive opens to more than %(size)s megabytes.")
            % {"size": _persian(limits.max_uncompressed // _MB)},
            code="zip_too_big",
        )
    if total > limits.ratio_floor and _ratio(total, compressed) > limits.max_ratio:
        raise _bomb()


def _ratio(size: int, compressed: int) -> float:
    return size / max(compressed, 1)


def _bomb() -> Refused:
    return Refused(
        _("the ZIP archive is compressed beyond any normal file (a zip bomb)."), code="zip_bomb"
    )


def _verify(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> None:
    """Decompress every entry once: a wrong checksum or a size that lies is a BadZipFile."""
    for entry in entries:
        if entry.is_dir():
            continue
        try:
            with archive.open(entry) as member:
                while member.read(_CHUNK):
                    pass
        except NotImplementedError as error:
            raise Refused(
                _("the ZIP archive uses a compression method that is not supported."),
                code="zip_damaged",
            ) from error


def _zip_kind(archive: zipfile.ZipFile, names: set[str]) -> str:
    lowered = {name.lower() for name in names}
    if "[Content_Types].xml" in names:
        return _ooxml_kind(_small(archive, "[Content_Types].xml"), lowered)
    if "mimetype" in names:
        return _odf_kind(_small(archive, "mimetype"), lowered)
    return "zip"


def _small(archive: zipfile.ZipFile, name: str) -> bytes:
    """A descriptor part, read into memory only if it is the size such parts are."""
    if archive.getinfo(name).file_size > _MB:
        raise Refused(
            _("it is an Office file of an unexpected kind (a template or an add-in)."),
            code="office_unexpected",
        )
    return archive.read(name)


def _ooxml_kind(content_types: bytes, names: set[str]) -> str:
    # A byte search, not an XML parser: nothing in an uploaded file is ever parsed as XML here.
    if b"macroenabled" in content_types.lower() or any(
        name.endswith("vbaproject.bin") for name in names
    ):
        raise _macros()
    kinds = {kind for marker, kind in _OOXML_MAIN.items() if marker in content_types}
    if len(kinds) != 1:
        raise Refused(
            _("it is an Office file of an unexpected kind (a template or an add-in)."),
            code="office_unexpected",
        )
    return kinds.pop()


def _odf_kind(mimetype: bytes, names: set[str]) -> str:
    if any(name.startswith(("basic/", "scripts/")) for name in names):
        raise _macros()
    kind = _ODF_MIMETYPES.get(mimetype.strip())
    if kind is None:
        raise Refused(
            _("it is an OpenDocument file of a kind not accepted here."),
            code="office_unexpected",
        )
    return kind


def _macros() -> Refused:
    return Refused(
        _("it is an Office file with macros, which may run programs; save it without macros."),
        code="macros",
    )


def _persian(number: int) -> str:
    return persian_digits(f"{number:,}").replace(",", "٬")


# OLE2 compound file: https://learn.microsoft.com/openspecs/windows_protocols/ms-cfb
_FREE_OR_END = 0xFFFFFFFA  # sector ids from here up are markers, not sectors
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
        raise _macros()
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
