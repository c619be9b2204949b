"""Test files made in code: small but structurally real examples of every kind, and bad ones."""

import io
import random
import struct
import zipfile
import zlib

import openpyxl


def pdf(*, extra: tuple[bytes, ...] = (), catalog: bytes = b"", pad: int = 0) -> bytes:
    """A one-page PDF with a correct cross-reference table.

    ``extra``: more objects (numbered from 4 on); ``catalog``: more keys for the catalogue;
    ``pad``: a comment line of that many bytes after the header (readers skip comments).
    """
    objects = [
        b"<</Type/Catalog/Pages 2 0 R%s>>" % catalog,
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 72]>>",
        *extra,
    ]
    out = bytearray(b"%PDF-1.4\n")
    if pad:
        out += b"%" + b"x" * pad + b"\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(dictionary: bytes, content: bytes) -> bytes:
    """A PDF stream object's body: its dictionary (with /Length added) and the bytes."""
    return b"<<%s/Length %d>>stream\n%s\nendstream" % (dictionary, len(content), content)


def object_stream(*objects: bytes, first_number: int = 10) -> bytes:
    """A Flate-compressed object stream (PDF 1.5) holding these objects."""
    bodies = b""
    index = b""
    for number, body in enumerate(objects, start=first_number):
        index += b"%d %d " % (number, len(bodies))
        bodies += body + b"\n"
    return stream(
        b"/Type/ObjStm/N %d/First %d/Filter/FlateDecode" % (len(objects), len(index)),
        zlib.compress(index + bodies),
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(*, width: int = 1, height: int = 1, chunks: tuple[bytes, ...] = ()) -> bytes:
    """A white greyscale PNG (one pixel's data), chunks and checksums by hand.

    ``chunks``: more chunks (see ``png_text``) before the image data.
    """
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + b"".join(chunks)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00\xff"))
        + _png_chunk(b"IEND", b"")
    )


def png_text(key: bytes, text: bytes) -> bytes:
    return _png_chunk(b"tEXt", key + b"\x00" + text)


def jpeg(*, width: int = 1, height: int = 1, segments: tuple[bytes, ...] = ()) -> bytes:
    """A greyscale baseline JPEG: one-code Huffman tables, one block of DC 0 and EOB.

    ``segments``: more marker segments (see ``jpeg_segment``) after the start of image.
    """
    one_code = b"\x01" + b"\x00" * 15 + b"\x00"
    return b"".join(
        [
            b"\xff\xd8",
            *segments,
            b"\xff\xdb\x00\x43\x00" + b"\x01" * 64,
            b"\xff\xc0\x00\x0b\x08" + struct.pack(">HH", height, width) + b"\x01\x01\x11\x00",
            b"\xff\xc4\x00\x14\x00" + one_code,
            b"\xff\xc4\x00\x14\x10" + one_code,
            b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00",
            b"\x3f",  # bits 0 (DC category 0) and 0 (end of block), padded with ones
            b"\xff\xd9",
        ]
    )


def jpeg_segment(marker: int, data: bytes) -> bytes:
    """e.g. 0xFE (a comment) or 0xE1 (EXIF/XMP)."""
    return bytes([0xFF, marker]) + struct.pack(">H", len(data) + 2) + data


def gif(*, width: int = 1, height: int = 1, comment: bytes = b"") -> bytes:
    """The classic 1×1 transparent GIF (its screen as wide and high as asked), and a comment."""
    extension = b""
    if comment:
        extension = b"!\xfe" + bytes([len(comment)]) + comment + b"\x00"
    return (
        b"GIF89a"
        + struct.pack("<HH", width, height)
        + b"\x80\x00\x00\xff\xff\xff\x00\x00\x00"
        + extension
        + b"!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )


def webp(*, chunks: tuple[bytes, ...] = (), canvas: tuple[int, int] | None = None) -> bytes:
    """A 1×1 lossless WebP (VP8L): five one-symbol prefix codes, so the pixel takes no bits."""
    bits: list[int] = []

    def put(value: int, count: int) -> None:
        bits.extend((value >> i) & 1 for i in range(count))

    put(0, 14)  # width - 1
    put(0, 14)  # height - 1
    put(0, 1)  # no alpha used
    put(0, 3)  # version
    put(0, 1)  # no transform
    put(0, 1)  # no colour cache
    put(0, 1)  # no meta prefix codes
    for _code in range(5):
        put(1, 1)  # simple code
        put(0, 1)  # one symbol
        put(0, 1)  # one-bit symbol
        put(0, 1)  # symbol 0
    bits += [0] * (-len(bits) % 8)
    data = b"\x2f" + bytes(
        sum(bit << i for i, bit in enumerate(bits[n : n + 8])) for n in range(0, len(bits), 8)
    )
    data += b"\x00" * (len(data) % 2)
    chunk = b"VP8L" + struct.pack("<I", len(data)) + data + b"".join(chunks)
    if canvas:
        size = b"".join((side - 1).to_bytes(3, "little") for side in canvas)
        chunk = riff_chunk(b"VP8X", b"\x00" * 4 + size) + chunk
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def riff_chunk(name: bytes, data: bytes) -> bytes:
    return name + struct.pack("<I", len(data)) + data + b"\x00" * (len(data) % 2)


def zip_of(entries: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(stored_first, entries[stored_first], zipfile.ZIP_STORED)
        for name, data in entries.items():
            if name != stored_first:
                archive.writestr(name, data)
    return buffer.getvalue()


_OOXML = "application/vnd.openxmlformats-officedocument"
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    b'.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlform'
    b'ats.org/officeDocument/2006/relationships/officeDocument" Target="%s"/></Relationships>'
)


def _content_types(part: str, content_type: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
        'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        f'"application/xml"/><Override PartName="/{part}" ContentType="{content_type}"/></Types>'
    ).encode()


WORD_MAIN = f"{_OOXML}.wordprocessingml.document.main+xml"
EXCEL_MAIN = f"{_OOXML}.spreadsheetml.sheet.main+xml"
POWERPOINT_MAIN = f"{_OOXML}.presentationml.presentation.main+xml"
_WORD_BODY = (
    b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats'
    b'.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>\xda\xaf\xd8\xb2\xd8\xa7\xd8\xb1'
    b"\xd8\xb4</w:t></w:r></w:p></w:body></w:document>"
)


def ooxml(
    part: str, main_type: str, body: bytes, *, extra: dict[str, bytes] | None = None
) -> bytes:
    """An Office Open XML package whose main part (``part``, of ``main_type``) is ``body``."""
    return zip_of(
        {
            "[Content_Types].xml": _content_types(part, main_type),
            "_rels/.rels": _RELS % part.encode(),
            part: body,
            **(extra or {}),
        }
    )


def docx(
    *, main_type: str = WORD_MAIN, body: bytes = _WORD_BODY, extra: dict[str, bytes] | None = None
) -> bytes:
    return ooxml("word/document.xml", main_type, body, extra=extra)


def pptx(*, main_type: str = POWERPOINT_MAIN, extra: dict[str, bytes] | None = None) -> bytes:
    body = (
        b'<?xml version="1.0" encoding="UTF-8"?><p:presentation xmlns:p="http://schemas.openxml'
        b'formats.org/presentationml/2006/main"/>'
    )
    return ooxml("ppt/presentation.xml", main_type, body, extra=extra)


def xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["نماگر", "امتیاز"])
    sheet.append(["۱.۱", 12])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def odf(mimetype: str, *, extra: dict[str, bytes] | None = None) -> bytes:
    return zip_of(
        {
            "mimetype": mimetype.encode(),
            "content.xml": b'<?xml version="1.0" encoding="UTF-8"?><office:document-content/>',
            "META-INF/manifest.xml": b'<?xml version="1.0" encoding="UTF-8"?><manifest/>',
            **(extra or {}),
        },
        stored_first="mimetype",
    )


def ole(*streams: str, data_sectors: int = 0) -> bytes:
    """An OLE2 compound file (512-byte sectors) whose directory holds these empty streams.

    ``data_sectors``: that many more sectors after the directory, chained in the sector table
    as a stream's data would be.
    """
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 40, 0, 1, 1, 0, 4096, end, 0, end)
    struct.pack_into("<I", header, 72, 0)
    struct.pack_into("<109I", header, 76, 0, *[free] * 108)
    chain = [2 + n + 1 for n in range(data_sectors - 1)] + [end] * bool(data_sectors)
    fat = struct.pack("<128I", fat_sector, end, *chain, *[free] * (126 - len(chain)))
    directory = bytearray(512)
    for index, (name, kind) in enumerate([("Root Entry", 5)] + [(s, 2) for s in streams]):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        offset = index * 128
        directory[offset : offset + len(encoded)] = encoded
        struct.pack_into("<HBB", directory, offset + 64, len(encoded), kind, 1)
        struct.pack_into("<III", directory, offset + 68, no_stream, no_stream, no_stream)
        struct.pack_into("<I", directory, offset + 116, end)
    return bytes(header) + fat + bytes(directory) + b"\x00" * 512 * data_sectors


def zip_bomb(size: int) -> bytes:
    return zip_of({"zeros.bin": b"\x00" * size})


def patched_zip(data: bytes, *, central_offset: int, value: bytes, entry: int = 0) -> bytes:
    """The zip with bytes changed in the central directory header of one entry (the first)."""
    at = -1
    for _entry in range(entry + 1):
        at = data.index(b"PK\x01\x02", at + 1)
    at += central_offset
    return data[:at] + value + data[at + len(value) :]


def nested_zip(levels: int, inner: bytes, name: str = "evidence.pdf") -> bytes:
    """``inner`` (as ``name``) in a ZIP, that in another (as ``level-1.zip``)... ``levels`` deep."""
    for level in range(levels):
        inner = zip_of({name if level == 0 else f"level-{level}.zip": inner})
    return inner


def noise(size: int, seed: int = 1403) -> bytes:
    """Bytes that do not compress (as photos and archives do not), the same on every run."""
    return random.Random(seed).randbytes(size)
