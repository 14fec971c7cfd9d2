#!/usr/bin/env python3
"""Log-log plot of `bench/run --scale`'s figures against corpus size: an SVG written with the
standard library, turned into a PNG by rsvg-convert (Debian's librsvg2-bin) or, without it, by
headless Chromium; with neither, only the SVG is written.

Four panels, x the corpus size in files: full index time (with a line proportional to the
number of files through one measured point, to read linear growth against), peak RSS of the full
index and of a re-index (with the 500 MB target), re-index time (nothing changed, one file
changed; same linear line) and whole-process search latency (p50, p95). Each point is labelled
with its value.

    bench/plot_scale.py bench/data/scale-20261201-120000.json [OUT]   # redraw: OUT.svg and OUT.png

OUT defaults to docs/scale. `bench/run --scale` calls write(). stdlib only.
"""

import json
import math
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent

WIDTH, HEIGHT = 1000, 790
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
BLUE, ORANGE, GREEN, RED, GREY = "#1f5fa8", "#e07b00", "#2a9d3a", "#c62828", "#777777"

# (title, y label, [(key, legend, colour, marker)], the series a linear line goes through or
# None, a horizontal limit (value, legend) or None)
PANELS = [
    ("Full index from empty", "seconds",
     [("full_s", "full index", BLUE, "circle")], "full_s", None),
    ("Peak RSS", "MB",
     [("rss_mb", "full index", BLUE, "circle"), ("reindex_rss_mb", "re-index", GREEN, "square")],
     None, (500, "target 500 MB")),
    ("Re-index", "seconds",
     [("nochange_s", "nothing changed", GREEN, "square"),
      ("changed1_s", "one file changed", ORANGE, "circle")], "nochange_s", None),
    ("Search, whole process", "milliseconds",
     [("p50_ms", "p50", BLUE, "circle"), ("p95_ms", "p95", RED, "square")], None, None),
]


# ----------------------------------------------------------------------------- log axes

def nice(v, up):
    """The nearest of 1, 2, 5 times a power of ten at or above v (up) or at or below it."""
    e = math.floor(math.log10(v))
    steps = [m * 10.0 ** k for k in (e - 1, e, e + 1) for m in (1, 2, 5)]
    return min(s for s in steps if s >= v * (1 - 1e-9)) if up else max(s for s in steps if s <= v * (1 + 1e-9))


def log_range(values, pad=1.6, min_ratio=4.0):
    """An axis range holding values with room for a label above and below, at least min_ratio
    wide, on 1-2-5 bounds."""
    lo, hi = min(values) / pad, max(values) * pad
    if hi / lo < min_ratio:
        grow = math.sqrt(min_ratio / (hi / lo))
        lo, hi = lo / grow, hi * grow
    return nice(lo, False), nice(hi, True)


def log_ticks(lo, hi):
    """(labelled ticks, unlabelled ticks) in [lo, hi]: powers of ten over more than three
    decades, 1-2-5 over about one to three, more of 1 to 9 times a power of ten below that."""
    span = math.log10(hi / lo)
    labelled = ((1,) if span > 3 else (1, 2, 5) if span >= 0.9 else (1, 2, 3, 5) if span >= 0.5
                else tuple(range(1, 10)))
    major, minor = [], []
    for e in range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1):
        for m in range(1, 10):
            v = m * 10.0 ** e
            if lo * (1 - 1e-9) <= v <= hi * (1 + 1e-9):
                (major if m in labelled else minor).append(v)
    return major, minor


def tick_label(v, files=False):
    if files:
        for div, suffix in ((1e6, "M"), (1e3, "k")):
            if v >= div:
                return f"{v / div:g}{suffix}"
    return f"{v:,g}"


def value_label(v):
    return f"{v:,.0f}" if v >= 100 else f"{v:.3g}"


# ----------------------------------------------------------------------------- drawing

class Svg:
    def __init__(self):
        self.parts = []

    def add(self, s):
        self.parts.append(s)

    def text(self, x, y, s, size=12, anchor="middle", colour="#222", weight="normal", rotate=None):
        tr = f' transform="rotate({rotate} {x:.1f} {y:.1f})"' if rotate is not None else ""
        self.add(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
                 f'fill="{colour}" font-weight="{weight}"{tr}>{escape(s)}</text>')

    def line(self, x1, y1, x2, y2, colour, width=1.0, dash=None, extra=""):
        d = f' stroke-dasharray="{dash}"' if dash else ""
        self.add(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" '
                 f'stroke-width="{width}"{d}{extra}/>')

    def marker(self, x, y, kind, colour):
        if kind == "square":
            self.add(f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}" '
                     'stroke="white" stroke-width="1"/>')
        else:
            self.add(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}" stroke="white" '
                     'stroke-width="1"/>')


def panel(svg, x0, y0, w, h, spec, sizes, results, clip_id):
    title, ylabel, series, linear_key, limit = spec
    px0, px1, py0, py1 = x0 + 78, x0 + w - 16, y0 + 34, y0 + h - 86
    svg.text(x0 + w / 2, y0 + 20, title, size=15, weight="bold")

    points = {}
    for key, *_ in series:
        pts = [(n, results[n][key]) for n in sizes if isinstance(results[n].get(key), (int, float))
               and results[n][key] > 0]
        points[key] = pts
    ys = [v for pts in points.values() for _, v in pts] + ([limit[0]] if limit else [])
    if not any(points.values()):
        svg.text((px0 + px1) / 2, (py0 + py1) / 2, "no figures", size=13, colour=GREY)
        return
    xlo, xhi = log_range(sizes, pad=1.6, min_ratio=10)
    ylo, yhi = log_range(ys)

    def X(v):
        return px0 + (px1 - px0) * math.log10(v / xlo) / math.log10(xhi / xlo)

    def Y(v):
        return py1 - (py1 - py0) * math.log10(v / ylo) / math.log10(yhi / ylo)

    # grid, ticks, labels
    xmaj, xmin = log_ticks(xlo, xhi)
    ymaj, ymin = log_ticks(ylo, yhi)
    for v in xmin:
        svg.line(X(v), py0, X(v), py1, "#eeeeee")
    for v in ymin:
        svg.line(px0, Y(v), px1, Y(v), "#eeeeee")
    for v in xmaj:
        svg.line(X(v), py0, X(v), py1, "#d6d6d6")
        svg.line(X(v), py1, X(v), py1 + 5, "#444")
        svg.text(X(v), py1 + 19, tick_label(v, files=True))
    for v in ymaj:
        svg.line(px0, Y(v), px1, Y(v), "#d6d6d6")
        svg.line(px0 - 5, Y(v), px0, Y(v), "#444")
        svg.text(px0 - 8, Y(v) + 4, tick_label(v), anchor="end")
    svg.add(f'<rect x="{px0:.1f}" y="{py0:.1f}" width="{px1 - px0:.1f}" height="{py1 - py0:.1f}" '
            'fill="none" stroke="#444"/>')
    svg.text((px0 + px1) / 2, py1 + 40, "corpus size (files)", size=13)
    svg.text(x0 + 18, (py0 + py1) / 2, ylabel, size=13, rotate=-90)

    # reference lines, clipped to the plot area
    svg.add(f'<clipPath id="{clip_id}"><rect x="{px0:.1f}" y="{py0:.1f}" width="{px1 - px0:.1f}" '
            f'height="{py1 - py0:.1f}"/></clipPath>')
    legend = [(name, colour, None, kind) for key, name, colour, kind in series if points[key]]
    if linear_key and points.get(linear_key):
        pts = points[linear_key]
        an, av = next(((n, v) for n, v in pts if n == 100_000), pts[0])
        svg.line(X(xlo), Y(av * xlo / an), X(xhi), Y(av * xhi / an), GREY, 1.3, "6 4",
                 f' clip-path="url(#{clip_id})"')
        legend.append((f"∝ files (through {tick_label(an, files=True)})", GREY, "6 4", None))
    if limit:
        svg.line(px0, Y(limit[0]), px1, Y(limit[0]), RED, 1.3, "3 3")
        legend.append((limit[1], RED, "3 3", None))

    # series: lines, markers, values (the highest series at a size above its point, others below)
    for key, _, colour, kind in series:
        pts = points[key]
        if len(pts) > 1:
            d = " ".join(f"{X(n):.1f},{Y(v):.1f}" for n, v in pts)
            svg.add(f'<polyline points="{d}" fill="none" stroke="{colour}" stroke-width="2.2"/>')
        for n, v in pts:
            svg.marker(X(n), Y(v), kind, colour)
            top = max(v2 for pts2 in points.values() for n2, v2 in pts2 if n2 == n)
            above = v >= top
            if Y(v) - py0 < 22 or py1 - Y(v) < 24:  # no room on that side: the other one
                above = Y(v) - py0 >= 22
            svg.text(X(n), Y(v) + (-10 if above else 18), value_label(v), size=11, colour=colour)

    # legend under the axis label, in rows as wide as the plot
    lx, ly = px0, py1 + 62
    for name, colour, dash, kind in legend:
        width = 32 + 7.4 * len(name)
        if lx > px0 and lx + width > px1:
            lx, ly = px0, ly + 18
        svg.line(lx, ly, lx + 26, ly, colour, 2.2 if dash is None else 1.3, dash)
        if kind:
            svg.marker(lx + 13, ly, kind, colour)
        svg.text(lx + 32, ly + 4, name, anchor="start")
        lx += width + 22


def render(results, subtitle=""):
    """The figure as SVG text. results: {files: {figure: value}} (keys may be strings, as in the
    JSON bench/run writes)."""
    results = {int(n): r for n, r in results.items()}
    sizes = sorted(n for n, r in results.items() if isinstance(r.get("full_s"), (int, float)))
    svg = Svg()
    svg.add(f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT}">')
    svg.add('<rect width="100%" height="100%" fill="white"/>')
    svg.text(WIDTH / 2, 28, "cerca against corpus size (log–log)", size=19, weight="bold")
    if subtitle:
        svg.text(WIDTH / 2, 48, subtitle if len(subtitle) <= 150 else subtitle[:149] + "…",
                 size=12, colour="#555")
    if not sizes:
        svg.text(WIDTH / 2, HEIGHT / 2, "no size was measured", size=15, colour=GREY)
    else:
        w, h = (WIDTH - 30) / 2, (HEIGHT - 62) / 2
        for i, spec in enumerate(PANELS):
            panel(svg, 10 + (i % 2) * (w + 10), 58 + (i // 2) * h, w, h, spec, sizes, results,
                  f"clip{i}")
    svg.add("</svg>")
    return "\n".join(svg.parts) + "\n"


def to_png(svg_path, png_path, scale=1.5):
    """SVG → PNG with rsvg-convert, else headless Chromium. Returns the tool used or None."""
    if shutil.which("rsvg-convert"):
        p = subprocess.run(["rsvg-convert", "-z", str(scale), "-b", "white", "-o", str(png_path),
                            str(svg_path)], capture_output=True, text=True)
        if p.returncode == 0:
            return "rsvg-convert"
        print(f"[plot] rsvg-convert failed: {p.stderr.strip()[-300:]}", file=sys.stderr)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium:
        with tempfile.TemporaryDirectory(prefix="plot-scale-chromium-") as profile:
            p = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                                "--hide-scrollbars", f"--user-data-dir={profile}",
                                f"--force-device-scale-factor={scale}",
                                f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={png_path}",
                                Path(svg_path).resolve().as_uri()],
                               capture_output=True, text=True, timeout=120)
        if p.returncode == 0 and Path(png_path).exists():
            return "chromium"
        print(f"[plot] chromium failed: {p.stderr.strip()[-300:]}", file=sys.stderr)
    print("[plot] no SVG converter (apt-get install librsvg2-bin): only the SVG is written",
          file=sys.stderr)
    return None


def write(results, out, subtitle=""):
    """Writes OUT.svg and, when a converter is there, OUT.png. Returns the PNG's path, else the
    SVG's."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    svg, png = out.with_suffix(".svg"), out.with_suffix(".png")
    svg.write_text(render(results, subtitle), encoding="utf-8")
    tool = to_png(svg, png)
    print(f"[plot] wrote {svg}" + (f" and {png} ({tool})" if tool else ""), file=sys.stderr)
    return png if tool else svg


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    raw = json.loads(Path(sys.argv[1]).read_text())
    ctx = raw.get("context", {})
    subtitle = f"{ctx.get('date', '')}, cerca {ctx.get('versions', {}).get('cerca', '?')}"
    write(raw["results"], sys.argv[2] if len(sys.argv) == 3 else ROOT / "docs" / "scale", subtitle)


if __name__ == "__main__":
    main()
