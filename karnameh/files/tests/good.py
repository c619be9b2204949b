"""The good corpus: every kind we accept, under the names Persian offices give files.

Some are built to sit close to a refusal and must still pass: a PDF that opens at a page and
links to a website, a JPEG carrying XMP metadata and a phone's motion-photo video, a DOCX with
a spreadsheet embedded in it, archives nested two deep.
"""

from collections.abc import Callable
from dataclasses import dataclass

from . import corpus as c


@dataclass(frozen=True)
class Good:
    label: str
    name: str
    make: Callable[[], bytes]
    kind: str
    # The name kept and offered on download, when it is not the name given.
    kept: str = ""

    @property
    def shown(self) -> str:
        return self.kept or self.name


_XMP = (
    b"http://ns.adobe.com/xap/1.0/\x00<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>"
    b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf"
    b"-syntax-ns#'><dc:title>Report</dc:title></rdf:RDF></x:xmpmeta><?xpacket end='w'?>"
)


def _quiet_pdf() -> bytes:
    """Opens at page one, links to a website, names a font /JS in its (skipped) page content."""
    return c.pdf(
        catalog=b"/OpenAction[3 0 R/Fit]",
        extra=(
            b"<</Type/Annot/Subtype/Link/A<</S/URI/URI(https://example.org/)>>>>",
            c.stream(b"", b"BT /JS 12 Tf (x) Tj ET"),
            c.object_stream(b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"),
        ),
    )


def _updated_pdf() -> bytes:
    """A PDF saved twice: an incremental update after the first %%EOF."""
    return (
        c.pdf() + b"1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\ntrailer\n<</Size 4>>\n%%EOF\n"
    )


GOOD = [
    Good("PDF", "گزارش‌های عملکرد ۱۴۰۳.pdf", c.pdf, "pdf"),
    Good("PDF with links and an opening page", "بخشنامهٔ شماره ۱۲ (نهایی).pdf", _quiet_pdf, "pdf"),
    Good("PDF saved twice", "Annual Report 2024 final.pdf", _updated_pdf, "pdf"),
    Good("PDF under Arabic letter forms", "كيفيت خدمات.pdf", c.pdf, "pdf", "کیفیت خدمات.pdf"),
    Good(
        "PNG with a text chunk",
        "نمودار پیشرفت.png",
        lambda: c.png(chunks=(c.png_text(b"Software", b"GIMP 2.10"),)),
        "png",
    ),
    Good(
        "JPEG with XMP metadata",
        "عکس جلسه ۱۴۰۳٫۰۵٫۱۲.JPG",
        lambda: c.jpeg(segments=(c.jpeg_segment(0xE1, _XMP),)),
        "jpeg",
    ),
    Good(
        "JPEG motion photo (video after its end)",
        "PXL_20240501_MP.jpg",
        lambda: c.jpeg() + b"\x00\x00\x00\x18ftypmp42" + c.noise(4096),
        "jpeg",
    ),
    Good("GIF", "نشان سازمان.gif", c.gif, "gif"),
    Good("WebP", "تصویر.webp", c.webp, "webp"),
    Good("DOCX", "صورت‌جلسهٔ شورا.docx", c.docx, "docx"),
    Good(
        "DOCX with an embedded spreadsheet",
        "گزارش با جدول.docx",
        lambda: c.docx(extra={"word/embeddings/Microsoft_Excel_Worksheet.xlsx": c.xlsx()}),
        "docx",
    ),
    Good("XLSX", "جدول اطلاعاتی نماگر ۲.۴.xlsx", c.xlsx, "xlsx"),
    Good("PPTX", "کارگاه آموزشی.pptx", c.pptx, "pptx"),
    Good("DOC", "نامهٔ اداری.doc", lambda: c.ole("WordDocument", "\x05SummaryInformation"), "doc"),
    Good("XLS", "آمار ۱۴۰۲.xls", lambda: c.ole("Workbook", data_sectors=2), "xls"),
    Good("PPT", "ارائه.ppt", lambda: c.ole("PowerPoint Document", "Current User"), "ppt"),
    Good("ODT", "متن.odt", lambda: c.odf("application/vnd.oasis.opendocument.text"), "odt"),
    Good("ODS", "جدول.ods", lambda: c.odf("application/vnd.oasis.opendocument.spreadsheet"), "ods"),
    Good(
        "ZIP of Persian-named files, a DOCX and a ZIP",
        "مستندات پیوست.zip",
        lambda: c.zip_of(
            {
                "الف/گزارش.pdf": c.pdf(),
                "ب/صورت‌جلسه.docx": c.docx(),
                "پیوست‌ها.zip": c.nested_zip(1, c.pdf()),
            }
        ),
        "zip",
    ),
    Good("ZIP nested two deep", "بایگانی ۱۴۰۲.zip", lambda: c.nested_zip(3, c.pdf()), "zip"),
]
