"""Charts for report cards and the province report, drawn with matplotlib as SVG or PNG.

Persian text is drawn in the vendored Vazirmatn; matplotlib (≥ 3.10, with its text shaping)
joins and orders Persian letters itself, so arabic-reshaper / python-bidi are NOT used (they
scramble it). Numbers on the axes are written with Persian digits.

One figure is reused for every chart of a process and cleared between charts: creating a
figure costs more than drawing a bar chart, and 100 cards are drawn in one job.
"""

from __future__ import annotations

import base64
import io
import threading
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from karnameh.common.text import persian_digits
from karnameh.reports.pdf import font_path

FINAL_COLOUR = "#1f5f9e"
SELF_COLOUR = "#e0a030"
_lock = threading.Lock()


@lru_cache(maxsize=1)
def font_family() -> str:
    """Register the vendored Vazirmatn with matplotlib once; returns its family name."""
    for weight in ("Regular", "Bold"):
        font_manager.fontManager.addfont(str(font_path(weight)))
    return font_manager.FontProperties(fname=str(font_path("Regular"))).get_name()


@lru_cache(maxsize=1)
def _figure() -> Figure:
    # A bare Figure (not pyplot) is never registered globally, so nothing leaks between charts.
    return Figure(figsize=(7.2, 3.6), dpi=100)


def _fa_number(value: float, _pos: int = 0) -> str:
    text = f"{value:g}".replace(".", "٫")
    return persian_digits(text)


def _render(fig: Figure, fmt: str) -> bytes:
    buffer = io.BytesIO()
    # Fixed margins (see ``percent_bars``) instead of bbox_inches="tight", which draws the
    # figure twice.
    kwargs: dict[str, Any] = {"format": fmt, "dpi": 130}
    if fmt == "svg":
        # No date: the same chart gives the same bytes. (Text is drawn as paths, matplotlib's
        # default, so the SVG shows Vazirmatn wherever it is opened.)
        kwargs["metadata"] = {"Date": None}
    else:
        # Fast zlib level: the PNG goes into a PDF that is compressed anyway.
        kwargs["pil_kwargs"] = {"compress_level": 1}
    fig.savefig(buffer, **kwargs)
    return buffer.getvalue()


def percent_bars(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    fmt: str = "svg",
    title: str = "",
    colours: Sequence[str] = (FINAL_COLOUR, SELF_COLOUR),
) -> bytes:
    """Grouped horizontal bars, one group per label, one bar per series, values in % (0–100).

    ``series``: [(legend name, values)], e.g. [("نهایی", [80, 62]), ("خوداظهاری", [90, 70])];
    ``None`` values draw no bar. Labels read right to left, the first label on top.
    """
    family = font_family()
    with _lock:
        fig = _figure()
        fig.clear()
        count = max(len(labels), 1)
        height_in = max(1.8, 0.2 * count * max(len(series), 1) + 1.0)
        fig.set_size_inches(7.2, height_in)
        # Room on the right for the axis titles, below for the scale and the legend.
        fig.subplots_adjust(
            left=0.02, right=0.58, top=1 - 0.35 / height_in, bottom=0.75 / height_in
        )
        ax = fig.add_subplot(1, 1, 1)
        height = 0.8 / max(len(series), 1)
        for index, (name, values) in enumerate(series):
            positions = [i + (index - (len(series) - 1) / 2) * height for i in range(len(labels))]
            shown = [(p, v) for p, v in zip(positions, values, strict=False) if v is not None]
            ax.barh(
                [p for p, _ in shown],
                [float(v) for _, v in shown],
                height=height * 0.92,
                color=colours[index % len(colours)],
                label=name,
            )
        ax.set_yticks(range(len(labels)))
        ax.set_yticklabels(list(labels), fontfamily=family, fontsize=9)
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_formatter(FuncFormatter(_fa_number))
        for tick in ax.get_xticklabels():
            tick.set_fontfamily(family)
        # Right to left: the scale grows leftwards and labels sit on the right.
        ax.invert_xaxis()
        ax.yaxis.tick_right()
        ax.grid(axis="x", color="#ddd", linewidth=0.6)
        ax.set_axisbelow(True)
        for side in ("top", "left"):
            ax.spines[side].set_visible(False)
        if title:
            ax.set_title(title, fontfamily=family, fontsize=11)
        if len(series) > 1:
            ax.legend(
                prop={"family": family, "size": 8},
                loc="upper center",
                bbox_to_anchor=(0.5, -0.35 / (height_in - 1.1)),
                ncol=len(series),
                frameon=False,
            )
        data = _render(fig, fmt)
        fig.clear()
    return data


def data_uri(data: bytes, fmt: str = "svg") -> str:
    """A ``data:`` URI for an ``<img src>`` in a page or a PDF."""
    mime = "image/svg+xml" if fmt == "svg" else f"image/{fmt}"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def axis_bars(
    axes: Sequence[dict[str, Any]], final_label: str, self_label: str, fmt: str = "png"
) -> bytes:
    """The report card's chart: per axis, final and self score as % of the axis maximum.

    ``axes`` are ``Result.axes`` rows ({"title", "score", "max", "self"}).
    """
    labels = [str(a.get("title") or a.get("code") or "") for a in axes]
    finals = [percent(a.get("score"), a.get("max")) for a in axes]
    selves = [percent(a.get("self"), a.get("max")) for a in axes]
    return percent_bars(labels, [(final_label, finals), (self_label, selves)], fmt=fmt)


def axis_chart(
    axes: Sequence[dict[str, Any]], *, final_label: str, self_label: str, fmt: str = "svg"
) -> str:
    """``axis_bars`` as a data URI for an ``<img src>``."""
    return data_uri(axis_bars(axes, final_label, self_label, fmt), fmt)


def percent(value: Any, maximum: Any) -> float | None:
    """A score as a percentage of its maximum, one decimal; None where there is none."""
    if value is None or not maximum:
        return None
    return round(float(value) * 100 / float(maximum), 1)
