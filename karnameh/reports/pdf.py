"""PDF rendering for report cards and the province report: WeasyPrint over a Django template.

    render_pdf("reports/card_pdf.html", context)            # one PDF
    render_many(((html, images), ...), total=n)             # many, over the machine's cores

The system may run on a closed network, so nothing is ever fetched from outside: the url
fetcher below serves only ``data:`` URIs (the charts) and files under the static directories
(the vendored Vazirmatn fonts), and refuses everything else.

Templates extend ``reports/pdf_base.html``, which sets ``dir="rtl"``, ``lang="fa"``, A4, the
fonts, a running header with ``header_title`` (the province and the cycle) and Persian page
numbers (``counter(page, persian)``: WeasyPrint ships the CSS ``persian`` counter style).
Charts go in as PNG data URIs (``charts``): WeasyPrint draws an SVG chart's paths itself, which
costs more than half a second a card. Documents are rendered with a lean user-agent
stylesheet (``lean_ua_stylesheet``), so templates must not use footnotes (``float: footnote``).
"""

from __future__ import annotations

import atexit
import gc
import multiprocessing
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.http import HttpRequest
from django.template.loader import render_to_string

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
FONT_DIR = STATIC_DIR / "vendor" / "vazirmatn"


def font_path(weight: str = "Regular") -> Path:
    """The vendored Vazirmatn TTF (``Regular`` or ``Bold``); also used by ``charts``."""
    return FONT_DIR / f"Vazirmatn-{weight}.ttf"


def font_faces() -> str:
    """``@font-face`` rules for the vendored fonts (file:// URLs, served by the fetcher)."""
    return "\n".join(
        f"@font-face {{ font-family: Vazirmatn; font-weight: {weight}; "
        f"src: url({font_path(name).as_uri()}) format('truetype'); }}"
        for weight, name in (("normal", "Regular"), ("bold", "Bold"))
    )


def _static_roots() -> tuple[Path, ...]:
    from django.conf import settings

    roots = [STATIC_DIR.resolve()]
    roots += [Path(p).resolve() for p in getattr(settings, "STATICFILES_DIRS", [])]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return tuple(roots)


def _static_file(url: str, roots: Sequence[Path]) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme.lower() == "file":
        path = Path(unquote(parts.path)).resolve()
    elif not parts.scheme and not parts.netloc and parts.path.startswith("/static/"):
        # A static URL in a template ("/static/vendor/..."): the same file under a root.
        relative = unquote(parts.path).removeprefix("/static/")
        path = next(
            (r / relative for r in roots if (r / relative).resolve().is_file()),
            Path("/nonexistent"),
        ).resolve()
    else:
        return None
    if path.is_file() and any(path.is_relative_to(root) for root in roots):
        return path
    return None


INLINE = "inline:"
# An image given with the document: its bytes, or a picklable recipe that draws them (a
# ``functools.partial`` of a chart function), so charts are drawn in the worker processes.
Image = bytes | Callable[[], bytes]


def _fetcher(roots: Sequence[Path] | None = None, images: Mapping[str, Image] | None = None) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    allowed = tuple(roots) if roots is not None else _static_roots()
    given = dict(images or {})

    class StaticOnlyFetcher(URLFetcher):
        """``data:`` URIs and static files only; anything else (http, other files) fails,
        so a report never reaches the network nor reads outside the static files."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.lower().startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(INLINE) and url[len(INLINE) :] in given:
                # "inline:chart.png": an image handed over with the document, not fetched.
                image = given[url[len(INLINE) :]]
                data = image() if callable(image) else image
                return URLFetcherResponse(url, data, {"Content-Type": "image/png"}, 200)
            path = _static_file(url, allowed)
            if path is None:
                raise ValueError(f"refused to fetch {url!r}: reports fetch only static files")
            return URLFetcherResponse(url, path.read_bytes(), {}, 200)

    return StaticOnlyFetcher(allowed_protocols={"data", "file", "inline"})


def render_html(
    template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None
) -> str:
    return render_to_string(template_name, {"font_faces": font_faces(), **context}, request=request)


# WeasyPrint's user-agent stylesheet gives every element five pseudo-elements for footnotes
# and notes (their calls and markers) and styles each of them: 4% of a card's instructions
# (callgrind) and about 9% of the card job's time, for things no report uses. The lean sheet
# is the same without those five rules, so a report template must not use
# ``float: footnote`` (WeasyPrint fails on it).
_UNUSED_PSEUDO = re.compile(r"^::(?:footnote|note)-[a-z-]+ *\{[^}]*\} *$", re.MULTILINE)


@lru_cache(maxsize=1)
def lean_ua_stylesheet() -> Any:
    import weasyprint
    from weasyprint import CSS

    source = (Path(weasyprint.__file__).parent / "css" / "html5_ua.css").read_text("utf-8")
    return CSS(string=_UNUSED_PSEUDO.sub("", source))


@lru_cache(maxsize=1)
def _html_class() -> Any:
    from weasyprint import HTML

    class LeanHTML(HTML):
        """HTML with the lean user-agent stylesheet (WeasyPrint asks the document for it)."""

        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [lean_ua_stylesheet(), *super()._ua_stylesheets(forms)[1:]]

    return LeanHTML


def html_to_pdf(
    html: str, roots: Sequence[Path] | None = None, images: Mapping[str, Image] | None = None
) -> bytes:
    """One HTML document to PDF bytes; ``images`` are served to it as ``inline:<name>``.
    Needs no database, so it runs in worker processes."""
    fetcher = _fetcher(roots, images)
    document = _html_class()(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(font_config=_font_config()) or b""


_local = threading.local()


def _font_config() -> Any:
    """One font configuration per thread, kept: a new one rescans every font of the system
    (a good part of a card's time), and WeasyPrint registers an ``@font-face`` font in it
    only once. Per thread, because Pango's font maps are not shared between threads."""
    found = getattr(_local, "font_config", None)
    if found is None:
        from weasyprint.text.fonts import FontConfiguration

        found = _local.font_config = FontConfiguration()
        # Dropped before the interpreter tears its modules down: WeasyPrint's clean-up of it
        # needs them, and otherwise prints a traceback at every exit.
        atexit.register(_local.__dict__.pop, "font_config", None)
    return found


def render_pdf(
    template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None
) -> bytes:
    """Render a template (extending ``reports/pdf_base.html``) to PDF bytes.

    ``context`` may carry ``header_title`` (on every page's header, e.g. «ارزیابی عملکرد ۱۴۰۳
    استان اردبیل») and ``title`` (the document's title).
    """
    return html_to_pdf(render_html(template_name, context, request=request))


def workers() -> int:
    """Processes for ``render_many``: ``REPORTS_PDF_WORKERS`` in settings, else every core."""
    from django.conf import settings

    wanted = getattr(settings, "REPORTS_PDF_WORKERS", None) or os.cpu_count() or 1
    return max(1, int(wanted))


def _worker_start() -> None:
    """A PDF worker process: load WeasyPrint, then keep the garbage collector off what is
    loaded and let it run less often. Laying out a card makes hundreds of thousands of small
    objects, and the default collector walks every live one again and again (about 4% of a
    card's instructions, measured with callgrind). Only these worker processes do this."""
    import weasyprint  # noqa: F401

    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def render_many(
    documents: Iterable[tuple[str, Mapping[str, Image]]],
    *,
    total: int,
    processes: int | None = None,
) -> Iterator[bytes]:
    """PDFs of ``total`` documents, in order, as each is ready. A document is its HTML and
    its images (see ``html_to_pdf``); ``documents`` may be a generator that writes each HTML
    as it is asked for.

    WeasyPrint is single-threaded and CPU-bound (about a second for a card of a hundred
    gauges), so a hundred cards use every core: fresh processes ("spawn": a fork would share
    the parent's database connection) that only turn HTML into PDF. The processes start with
    the first document, so they start up and work while the rest are written.
    """
    count = min(processes or workers(), total)
    roots = _static_roots()
    if count <= 1 or total < 3:
        for html, images in documents:
            yield html_to_pdf(html, roots, images)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=count, mp_context=context, initializer=_worker_start
    ) as pool:
        futures = [pool.submit(html_to_pdf, html, roots, images) for html, images in documents]
        for future in futures:
            yield future.result()
