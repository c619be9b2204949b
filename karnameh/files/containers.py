"""ZIP archives, and the Office and OpenDocument files built on them.

A ZIP is checked before anything in it is believed, in this order:
1. its directory: entry count, entry names (no path outside it, no hidden characters, no
   programs), encryption, declared sizes and compression ratio, all counted across archives
   nested inside it;
2. its layout: every entry's bytes are its own (entries that overlap are the trick behind
   the biggest zip bombs), and nothing hides before the first entry or after the end record;
3. its content: every entry is decompressed once (bounded by the declared sizes, which Python's
   zipfile enforces), so a damaged or lying archive is refused too; programs are known by their
   first bytes, an archive inside is checked the same way (two levels deep at most), and the
   XML of Office files may not declare a DTD or entities (XXE, "billion laughs").
Only then is it told apart as DOCX/XLSX/PPTX/ODT/ODS or a plain ZIP.
"""

import lzma
import re
import struct
import tempfile
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from karnameh.common.text import persian_digits

from .errors import Refused, macros
from .names import BIDI_CONTROLS, shown_name
from .scan import MACH_O

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
    # A DOCX in a ZIP is one level; an Excel sheet embedded in that DOCX is two.
    max_depth: int = 2

    @classmethod
    def from_settings(cls) -> "ZipLimits":
        return cls(
            max_entries=getattr(settings, "KARNAMEH_ZIP_MAX_ENTRIES", cls.max_entries),
            max_uncompressed=getattr(
                settings, "KARNAMEH_ZIP_MAX_UNCOMPRESSED_BYTES", cls.max_uncompressed
            ),
            max_ratio=getattr(settings, "KARNAMEH_ZIP_MAX_RATIO", cls.max_ratio),
        )


@dataclass
class _Budget:
    """Entries and bytes counted over an archive and every archive nested in it."""

    entries: int = 0
    uncompressed: int = 0


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
_LOCAL_HEADER = b"PK\x03\x04"
_END_RECORD = b"PK\x05\x06"
# What Windows runs (or mounts) on a double click, and Java and Android programs.
_PROGRAMS = frozenset(
    {"exe", "dll", "com", "scr", "pif", "cpl", "msi", "msp", "mst", "sys", "drv", "ocx"}
    | {"bat", "cmd", "ps1", "psm1", "vbs", "vbe", "js", "jse", "wsf", "wsh", "hta", "sh"}
    | {"jar", "class", "dex", "apk", "lnk", "url", "reg", "scf", "inf", "iso", "vhd", "vhdx"}
)
_MACRO_DOCUMENTS = frozenset(
    {"docm", "dotm", "xlsm", "xltm", "xlam", "xlsb", "pptm", "potm", "ppam", "sldm"}
)
_PROGRAM_STARTS = (b"MZ", b"\x7fELF", b"#!", *MACH_O)
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_PARTS = (".xml", ".rels", ".vml")


def inspect_zip(
    f: IO[bytes], limits: ZipLimits, *, depth: int = 0, budget: _Budget | None = None
) -> str:
    """The kind of a ZIP-based upload (``depth`` 0), or only its checks for one nested in it."""
    budget = budget if budget is not None else _Budget()
    try:
        with zipfile.ZipFile(f) as archive:
            entries = archive.infolist()
            size = f.seek(0, 2)
            _check_entries(entries, limits, budget, size)
            _check_layout(f, archive, entries, size)
            names = {entry.filename for entry in entries}
            lowered = {name.lower() for name in names}
            _check_macros(lowered, odf="mimetype" in names)
            office = "[Content_Types].xml" in names or "mimetype" in names
            _verify(archive, entries, limits, budget, depth, office=office)
            return _zip_kind(archive, names) if depth == 0 else "zip"
    except NotImplementedError as error:
        # A ZIP version or compression method (e.g. WinZip's AES) that zipfile cannot read.
        raise Refused(
            _("the ZIP archive uses a compression method that is not supported."),
            code="zip_damaged",
        ) from error
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        OSError,
        ValueError,
        struct.error,
        # A deflate or LZMA stream broken inside an entry (bzip2 raises OSError).
        zlib.error,
        lzma.LZMAError,
    ) as error:
        raise Refused(
            _("the file is damaged or incomplete: its ZIP structure cannot be read."),
            code="zip_damaged",
        ) from error


def _check_entries(
    entries: list[zipfile.ZipInfo], limits: ZipLimits, budget: _Budget, size: int
) -> None:
    budget.entries += len(entries)
    if budget.entries > limits.max_entries:
        raise Refused(
            _("the ZIP archive holds more than %(count)s files.")
            % {"count": _persian(limits.max_entries)},
            code="zip_entries",
        )
    total = 0
    for entry in entries:
        _check_entry_name(entry.filename)
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
    budget.uncompressed += total
    if budget.uncompressed > limits.max_uncompressed:
        raise Refused(
            _("the ZIP archive opens to more than %(size)s megabytes.")
            % {"size": _persian(limits.max_uncompressed // _MB)},
            code="zip_too_big",
        )
    # Against the archive's own size, not the sum the entries declare: overlapping entries
    # declare the same compressed bytes many times over.
    if total > limits.ratio_floor and _ratio(total, size) > limits.max_ratio:
        raise _bomb()


def _check_entry_name(name: str) -> None:
    if not name:
        # zipfile cuts a name at its first NUL; one left empty names nothing.
        raise zipfile.BadZipFile("an entry without a name")
    if any(char in BIDI_CONTROLS or unicodedata.category(char) == "Cc" for char in name):
        raise Refused(
            _("the ZIP archive holds a file whose name hides characters (%(entry)s).")
            % {"entry": shown_name(name)},
            code="zip_name",
        )
    parts = re.split(r"[\\/]", name)
    if name.startswith(("/", "\\")) or _DRIVE.match(name) or ".." in parts:
        raise Refused(
            _("the ZIP archive holds a file named outside it (%(entry)s).") % {"entry": name},
            code="zip_path",
        )
    leaf = parts[-1].rstrip(" .").lower()
    extension = leaf.rpartition(".")[2] if "." in leaf else ""
    if extension in _MACRO_DOCUMENTS:
        raise macros()
    if extension in _PROGRAMS:
        raise _program(name)


def _program(name: str) -> Refused:
    return Refused(
        _("the ZIP archive holds a program or script (%(entry)s).") % {"entry": name},
        code="zip_program",
    )


def _check_layout(
    f: IO[bytes], archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], size: int
) -> None:
    """Each entry's bytes its own; nothing before the first entry or after the end record."""
    f.seek(size - 22 - len(archive.comment))
    if f.read(4) != _END_RECORD:
        raise _hidden_data()
    spans = []
    for entry in entries:
        f.seek(entry.header_offset)
        header = f.read(30)
        if len(header) < 30 or not header.startswith(_LOCAL_HEADER):
            raise zipfile.BadZipFile(f"no local header for {entry.filename!r}")
        name_length, extra_length = struct.unpack_from("<HH", header, 26)
        start = entry.header_offset
        spans.append((start, start + 30 + name_length + extra_length + entry.compress_size))
    spans.sort()
    if spans and spans[0][0] != 0:
        raise _hidden_data()
    ends = [end for _start, end in spans]
    starts = [start for start, _end in spans[1:]] + [archive.start_dir]
    if any(start < end for start, end in zip(starts, ends, strict=True)):
        raise Refused(
            _("the ZIP archive holds entries that overlap (a zip bomb)."), code="zip_bomb"
        )


def _hidden_data() -> Refused:
    return Refused(
        _("the ZIP archive has other data hidden before or after its files."), code="polyglot"
    )


def _ratio(size: int, compressed: int) -> float:
    return size / max(compressed, 1)


def _bomb() -> Refused:
    return Refused(
        _("the ZIP archive is compressed beyond any normal file (a zip bomb)."), code="zip_bomb"
    )


def _check_macros(lowered: set[str], *, odf: bool) -> None:
    if any(name.endswith("vbaproject.bin") for name in lowered) or (
        odf and any(name.startswith(("basic/", "scripts/")) for name in lowered)
    ):
        raise macros()


def _verify(
    archive: zipfile.ZipFile,
    entries: list[zipfile.ZipInfo],
    limits: ZipLimits,
    budget: _Budget,
    depth: int,
    *,
    office: bool,
) -> None:
    """Decompress every entry once: a wrong checksum or a size that lies is a BadZipFile."""
    for entry in entries:
        if entry.is_dir():
            continue
        with archive.open(entry) as member:
            first = member.read(_CHUNK)
            if first.startswith(_PROGRAM_STARTS):
                raise _program(entry.filename)
            if first.startswith(_LOCAL_HEADER):
                _nested(member, first, entry.filename, limits, budget, depth)
                continue
            xml = office and entry.filename.lower().endswith(_XML_PARTS)
            chunk, tail = first, b""
            while chunk:
                if xml and _DTD.search(tail + chunk):
                    raise Refused(
                        _(
                            "the Office file holds XML that declares a DTD or entities "
                            "(an attack on the programs that open it)."
                        ),
                        code="office_dtd",
                    )
                tail = chunk[-16:]
                chunk = member.read(_CHUNK)


def _nested(
    member: IO[bytes], first: bytes, name: str, limits: ZipLimits, budget: _Budget, depth: int
) -> None:
    if depth + 1 > limits.max_depth:
        raise Refused(
            _("the ZIP archive holds archives nested more than %(count)s deep (%(entry)s).")
            % {"count": _persian(limits.max_depth), "entry": name},
            code="zip_nested",
        )
    with tempfile.SpooledTemporaryFile(max_size=8 * _MB) as spool:
        spool.write(first)
        while chunk := member.read(_CHUNK):
            spool.write(chunk)
        spool.seek(0)
        inspect_zip(spool, limits, depth=depth + 1, budget=budget)


def _zip_kind(archive: zipfile.ZipFile, names: set[str]) -> str:
    if "[Content_Types].xml" in names:
        return _ooxml_kind(_small(archive, "[Content_Types].xml"))
    if "mimetype" in names:
        return _odf_kind(_small(archive, "mimetype"))
    return "zip"


def _small(archive: zipfile.ZipFile, name: str) -> bytes:
    """A descriptor part, read into memory only if it is the size such parts are."""
    if archive.getinfo(name).file_size > _MB:
        raise Refused(
            _("it is an Office file of an unexpected kind (a template or an add-in)."),
            code="office_unexpected",
        )
    return archive.read(name)


def _ooxml_kind(content_types: bytes) -> str:
    # A byte search, not an XML parser: nothing in an uploaded file is ever parsed as XML here.
    if b"macroenabled" in content_types.lower():
        raise macros()
    kinds = {kind for marker, kind in _OOXML_MAIN.items() if marker in content_types}
    if len(kinds) != 1:
        raise Refused(
            _("it is an Office file of an unexpected kind (a template or an add-in)."),
            code="office_unexpected",
        )
    return kinds.pop()


def _odf_kind(mimetype: bytes) -> str:
    kind = _ODF_MIMETYPES.get(mimetype.strip())
    if kind is None:
        raise Refused(
            _("it is an OpenDocument file of a kind not accepted here."),
            code="office_unexpected",
        )
    return kind


def _persian(number: int) -> str:
    return persian_digits(f"{number:,}").replace(",", "٬")
