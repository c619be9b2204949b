"""Images checked by walking their structure from the signature to the end marker.

Nothing is decoded: each format's blocks are followed (PNG chunks with their checksums, JPEG
segments and scan data, GIF blocks, WebP's RIFF chunks) until the marker that ends the image.
A file cut short or with a broken block is damaged. Data after the end of a PNG, GIF or WebP is
how polyglots are made, and no camera or editor writes it, so it is refused; after a JPEG's end
it is allowed, because phones write their "motion photo" video there (it is still searched for
markup and a hidden ZIP by ``scan.refuse_polyglot``).
"""

import struct
import zlib
from collections.abc import Callable

from django.utils.translation import gettext as _

from karnameh.common.text import persian_digits

from .errors import Refused
from .scan import damaged, refuse_polyglot, refuse_trailing

# Width × height beyond this is a "pixel flood" meant to exhaust whoever opens it; it is
# Pillow's own refusal threshold (twice its 89.5-megapixel warning), far past any scan.
MAX_PIXELS = 178_956_970


class _Damaged(Exception):
    pass


def inspect_image(kind: str, data: bytes) -> None:
    refuse_polyglot(data, kind, whole=True)
    try:
        end, width, height = _WALKERS[kind](data)
    except (_Damaged, struct.error, IndexError) as error:
        raise damaged(kind) from error
    if end < len(data) and kind != "jpeg":
        raise refuse_trailing(kind)
    if width * height > MAX_PIXELS:
        raise Refused(
            _("the image is %(width)s × %(height)s pixels, too large to open safely.")
            % {"width": persian_digits(width), "height": persian_digits(height)},
            code="image_too_big",
        )


def _png(data: bytes) -> tuple[int, int, int]:
    view = memoryview(data)
    pos, width, height, pixels = 8, 0, 0, False
    while True:
        length, name = struct.unpack_from(">I4s", data, pos)
        body_end = pos + 8 + length
        if body_end + 4 > len(data):
            raise _Damaged
        (crc,) = struct.unpack_from(">I", data, body_end)
        if zlib.crc32(view[pos + 8 : body_end], zlib.crc32(name)) != crc:
            raise _Damaged
        if pos == 8:
            if name != b"IHDR" or length != 13:
                raise _Damaged
            width, height = struct.unpack_from(">II", data, pos + 8)
            if not (width and height):
                raise _Damaged
        pixels = pixels or name == b"IDAT"
        pos = body_end + 4
        if name == b"IEND":
            if not pixels:
                raise _Damaged
            return pos, width, height


# Start-of-frame markers (baseline, progressive, lossless...): they carry the size.
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg(data: bytes) -> tuple[int, int, int]:
    pos, width, height, scanned = 2, 0, 0, False
    while True:
        if data[pos] != 0xFF:
            raise _Damaged
        while data[pos] == 0xFF:  # fill bytes may precede a marker
            pos += 1
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # end of image
            if not (scanned and width and height):
                raise _Damaged
            return pos, width, height
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # no length
            continue
        if marker in (0x00, 0xD8):
            raise _Damaged
        (length,) = struct.unpack_from(">H", data, pos)
        if length < 2 or pos + length > len(data):
            raise _Damaged
        if marker in _SOF:
            height, width = struct.unpack_from(">HH", data, pos + 3)
        pos += length
        if marker == 0xDA:  # start of scan: entropy-coded data up to the next real marker
            pos = _scan_end(data, pos)
            scanned = True


def _scan_end(data: bytes, pos: int) -> int:
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            raise _Damaged
        following = data[pos + 1]
        # 0xFF 0x00 is a stuffed byte, 0xFF 0xD0-D7 a restart marker: both part of the scan.
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            pos += 2
        elif following == 0xFF:
            pos += 1
        else:
            return pos


def _gif(data: bytes) -> tuple[int, int, int]:
    width, height, flags = struct.unpack_from("<HHB", data, 6)
    pos = 13 + _colour_table(flags)
    frames = 0
    while True:
        block = data[pos]
        pos += 1
        if block == 0x3B:  # trailer
            if not frames:
                raise _Damaged
            return pos, width, height
        if block == 0x21:  # extension: a label, then sub-blocks
            pos = _sub_blocks(data, pos + 1)
        elif block == 0x2C:  # image: descriptor, colour table, LZW code size, sub-blocks
            flags = data[pos + 8]
            pos = _sub_blocks(data, pos + 9 + _colour_table(flags) + 1)
            frames += 1
        else:
            raise _Damaged


def _colour_table(flags: int) -> int:
    return 3 * (2 << (flags & 7)) if flags & 0x80 else 0


def _sub_blocks(data: bytes, pos: int) -> int:
    while True:
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos
        if pos > len(data):
            raise _Damaged


def _webp(data: bytes) -> tuple[int, int, int]:
    (riff_size,) = struct.unpack_from("<I", data, 4)
    end = 8 + riff_size
    if end > len(data) or riff_size < 12:
        raise _Damaged
    pos, width, height = 12, 0, 0
    while pos < end:
        name, size = struct.unpack_from("<4sI", data, pos)
        body = pos + 8
        if body + size > end:
            raise _Damaged
        if pos == 12:
            width, height = _webp_size(name, data[body : body + min(size, 10)])
        pos = body + size + (size & 1)
    if pos != end:
        raise _Damaged
    return end, width, height


def _webp_size(name: bytes, head: bytes) -> tuple[int, int]:
    if name == b"VP8X" and len(head) >= 10:
        return (int.from_bytes(head[4:7], "little") + 1, int.from_bytes(head[7:10], "little") + 1)
    if name == b"VP8L" and len(head) >= 5 and head[0] == 0x2F:
        bits = int.from_bytes(head[1:5], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if name == b"VP8 " and len(head) >= 10 and head[3:6] == b"\x9d\x01\x2a":
        width, height = struct.unpack_from("<HH", head, 6)
        return width & 0x3FFF, height & 0x3FFF
    raise _Damaged


_WALKERS: dict[str, Callable[[bytes], tuple[int, int, int]]] = {
    "png": _png,
    "jpeg": _jpeg,
    "gif": _gif,
    "webp": _webp,
}
