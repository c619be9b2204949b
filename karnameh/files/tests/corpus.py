"""Test files made in code: small but structurally real examples of every kind, and bad ones."""

import io
import struct
import zipfile
import zlib

import openpyxl


def pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 72]>>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png() -> bytes:
    """A 1×1 white greyscale PNG, chunks and checksums by hand."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff"))
        + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    """A 1×1 greyscale baseline JPEG: one-code Huffman tables, one block of DC 0 and EOB."""
    one_code = b"\x01" + b"\x00" * 15 + b"\x00"
    return b"".join(
        [
            b"\xff\xd8",
            b"\xff\xdb\x00\x43\x00" + b"\x01" * 64,
            b"\xff\xc0\x00\x0b\x08\x00\x01\x00\x01\x01\x01\x11\x00",
            b"\xff\xc4\x00\x14\x00" + one_code,
            b"\xff\xc4\x00\x14\x10" + one_code,
            b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00",
            b"\x3f",  # bits 0 (DC category 0) and 0 (end of block), padded with ones
            b"\xff\xd9",
        ]
    )


def gif() -> bytes:
    """The classic 1×1 transparent GIF."""
    return (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00"
        b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )


def webp() -> bytes:
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
    chunk = b"VP8L" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


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


def docx(
    *,
    main_type: str = f"{_OOXML}.wordprocessingml.document.main+xml",
    extra: dict[str, bytes] | None = None,
) -> bytes:
    body = (
        b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats'
        b'.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>\xda\xaf\xd8\xb2\xd8\xa7\xd8\xb1'
        b"\xd8\xb4</w:t></w:r></w:p></w:body></w:document>"
    )
    return zip_of(
        {
            "[Content_Types].xml": _content_types("word/document.xml", main_type),
            "_rels/.rels": _RELS % b"word/document.xml",
            "word/document.xml": body,
            **(extra or {}),
        }
    )


def pptx() -> bytes:
    body = (
        b'<?xml version="1.0" encoding="UTF-8"?><p:presentation xmlns:p="http://schemas.openxml'
        b'formats.org/presentationml/2006/main"/>'
    )
    return zip_of(
        {
            "[Content_Types].xml": _content_types(
                "ppt/presentation.xml", f"{_OOXML}.presentationml.presentation.main+xml"
            ),
            "_rels/.rels": _RELS % b"ppt/presentation.xml",
            "ppt/presentation.xml": body,
        }
    )


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


def ole(*streams: str) -> bytes:
    """An OLE2 compound file (512-byte sectors) whose directory holds these empty streams."""
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 40, 0, 1, 1, 0, 4096, end, 0, end)
    struct.pack_into("<I", header, 72, 0)
    struct.pack_into("<109I", header, 76, 0, *[free] * 108)
    fat = struct.pack("<128I", fat_sector, end, *[free] * 126)
    directory = bytearray(512)
    for index, (name, kind) in enumerate([("Root Entry", 5)] + [(s, 2) for s in streams]):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        offset = index * 128
        directory[offset : offset + len(encoded)] = encoded
        struct.pack_into("<HBB", directory, offset + 64, len(encoded), kind, 1)
        struct.pack_into("<III", directory, offset + 68, no_stream, no_stream, no_stream)
        struct.pack_into("<I", directory, offset + 116, end)
    return bytes(header) + fat + bytes(directory)


def zip_bomb(size: int) -> bytes:
    return zip_of({"zeros.bin": b"\x00" * size})


def patched_zip(data: bytes, *, central_offset: int, value: bytes) -> bytes:
    """The zip with bytes changed in its (first) central directory header."""
    at = data.index(b"PK\x01\x02") + central_offset
    return data[:at] + value + data[at + len(value) :]
