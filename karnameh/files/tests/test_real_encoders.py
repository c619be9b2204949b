"""Files written by real encoders pass the checks: the structure walkers and the searches for
hidden markup must not refuse what cameras, editors and PDF writers produce.

Pillow, WeasyPrint and matplotlib are already the project's own dependencies; their output
stands in for the files people send (progressive and CMYK JPEGs with EXIF, palette and
RGBA PNGs, animated GIFs, lossy, lossless and animated WebPs, Persian PDFs with links).
"""

import io
from collections.abc import Callable

import matplotlib
import pytest
from PIL import Image

from karnameh.files.checks import sniff

matplotlib.use("Agg")


def _image(fmt: str, mode: str = "RGB", size: tuple[int, int] = (320, 240), **options) -> bytes:
    picture = Image.effect_noise(size, 60).convert(mode)
    buffer = io.BytesIO()
    picture.save(buffer, fmt, **options)
    return buffer.getvalue()


def _animation(fmt: str) -> bytes:
    frames = [Image.new("RGB", (64, 64), (n * 40, 0, 0)) for n in range(5)]
    buffer = io.BytesIO()
    frames[0].save(buffer, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def _exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Canon"
    exif[0x0132] = "2024:05:01 10:00:00"
    return exif.tobytes()


def _weasyprint() -> bytes:
    import weasyprint

    page = (
        "<html lang='fa' dir='rtl'><head><meta charset='utf-8'><title>گزارش</title></head>"
        "<body><h1>گزارش عملکرد ۱۴۰۳</h1><p><a href='https://example.org'>پیوند</a></p>"
        "<table><tr><td>نماگر</td><td>۱۲</td></tr></table></body></html>"
    )
    return weasyprint.HTML(string=page).write_pdf()


def _chart(fmt: str) -> bytes:
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots()
    axes.plot([1, 3, 2])
    axes.set_title("نمودار")
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt)
    plt.close(figure)
    return buffer.getvalue()


ENCODED: dict[str, tuple[Callable[[], bytes], str]] = {
    "Pillow PNG (RGB)": (lambda: _image("PNG"), "png"),
    "Pillow PNG (RGBA, optimised)": (lambda: _image("PNG", "RGBA", optimize=True), "png"),
    "Pillow PNG (palette)": (lambda: _image("PNG", "P"), "png"),
    "Pillow JPEG (baseline)": (lambda: _image("JPEG", quality=90), "jpeg"),
    "Pillow JPEG (progressive)": (lambda: _image("JPEG", progressive=True), "jpeg"),
    "Pillow JPEG (EXIF)": (lambda: _image("JPEG", exif=_exif()), "jpeg"),
    "Pillow JPEG (CMYK)": (lambda: _image("JPEG", "CMYK"), "jpeg"),
    "Pillow JPEG (restart markers)": (lambda: _image("JPEG", restart_marker_blocks=4), "jpeg"),
    "Pillow GIF": (lambda: _image("GIF", "P"), "gif"),
    "Pillow GIF (animated)": (lambda: _animation("GIF"), "gif"),
    "Pillow WebP (lossy)": (lambda: _image("WEBP", quality=80), "webp"),
    "Pillow WebP (lossless, RGBA)": (lambda: _image("WEBP", "RGBA", lossless=True), "webp"),
    "Pillow WebP (EXIF)": (lambda: _image("WEBP", exif=_exif()), "webp"),
    "Pillow WebP (animated)": (lambda: _animation("WEBP"), "webp"),
    "WeasyPrint PDF (Persian, with a link)": (_weasyprint, "pdf"),
    "matplotlib PDF": (lambda: _chart("pdf"), "pdf"),
    "matplotlib PNG": (lambda: _chart("png"), "png"),
    "matplotlib JPEG": (lambda: _chart("jpg"), "jpeg"),
}


@pytest.mark.parametrize(("make", "kind"), ENCODED.values(), ids=ENCODED.keys())
def test_what_real_encoders_write_is_accepted_as_its_kind(make, kind):
    # given
    data = make()
    # when / then
    assert sniff(io.BytesIO(data)) == kind
