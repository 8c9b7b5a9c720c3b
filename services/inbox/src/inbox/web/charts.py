"""Charts as SVG drawn on the server: no script, no third-party library, styled by the app's stylesheet
(presentation classes only, so the Content-Security-Policy needs no inline style). Each chart has a title
and a description for screen readers; the pages put the same figures in a table next to it."""

from hashlib import sha256

from markupsafe import Markup, escape

WIDTH = 640


def _svg(title: str, desc: str, height: int, body: list[str]) -> Markup:
    ident = "c" + sha256(f"{title}\n{desc}".encode()).hexdigest()[:10]
    head = (f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{ident}-t {ident}-d" '
            f'xmlns="http://www.w3.org/2000/svg"><title id="{ident}-t">{escape(title)}</title>'
            f'<desc id="{ident}-d">{escape(desc)}</desc>')
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 - every text above is escaped; the rest are numbers


def hbars(items: list[tuple[str, float]], *, title: str, unit: str = "", late: set[str] | None = None,
          target: float | None = None, maximum: float | None = None) -> Markup:
    """Horizontal bars, one per (label, value), largest scale first as given."""
    items = [(name if len(name) <= 30 else name[:29] + "…", value) for name, value in items]
    row, right = 26, 70
    left = min(250, max(90, 8 * max((len(n) for n, _ in items), default=0) + 16))
    height = max(1, len(items)) * row + 30
    top = max([v for _, v in items] + [maximum or 0, target or 0, 1])
    scale = (WIDTH - left - right) / top
    body = [f'<line class="axis" x1="{left}" y1="10" x2="{left}" y2="{height - 18}"/>']
    for i, (name, value) in enumerate(items):
        y = 12 + i * row
        width = max(0.0, value * scale)
        css = "bar-late" if late and name in late else "bar"
        text = f"{value:g}{unit}"
        body.append(f'<text x="{left - 8}" y="{y + 14}" text-anchor="end">{escape(name)}</text>'
                    f'<rect class="{css}" x="{left}" y="{y}" width="{width:.1f}" height="{row - 8}"/>'
                    f'<text x="{left + width + 6:.1f}" y="{y + 14}">{escape(text)}</text>')
    if target is not None:
        x = left + target * scale
        body.append(f'<line class="target" x1="{x:.1f}" y1="6" x2="{x:.1f}" y2="{height - 18}"/>'
                    f'<text x="{x:.1f}" y="{height - 4}" text-anchor="middle">target {target:g}{escape(unit)}</text>')
    desc = "; ".join(f"{n}: {v:g}{unit}" for n, v in items) or "no data"
    return _svg(title, desc, height, body)


def vbars(items: list[tuple[str, float]], *, title: str, every: int = 1) -> Markup:
    """Vertical bars (for example one per hour), labelling every `every`th."""
    height, bottom, left = 220, 30, 40
    top = max([v for _, v in items] + [1])
    band = (WIDTH - left - 10) / max(1, len(items))
    scale = (height - bottom - 20) / top
    body = [f'<line class="axis" x1="{left}" y1="{height - bottom}" x2="{WIDTH - 10}" y2="{height - bottom}"/>',
            f'<text x="{left - 6}" y="{height - bottom - top * scale + 4:.1f}" text-anchor="end">{top:g}</text>',
            f'<line class="grid" x1="{left}" y1="{height - bottom - top * scale:.1f}" x2="{WIDTH - 10}" '
            f'y2="{height - bottom - top * scale:.1f}"/>']
    for i, (name, value) in enumerate(items):
        x = left + i * band
        h = value * scale
        body.append(f'<rect class="bar" x="{x + 2:.1f}" y="{height - bottom - h:.1f}" width="{max(1.0, band - 4):.1f}" '
                    f'height="{h:.1f}"><title>{escape(name)}: {value:g}</title></rect>')
        if i % every == 0:
            body.append(f'<text x="{x + band / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle">{escape(name)}</text>')
    desc = "; ".join(f"{n}: {v:g}" for n, v in items if v) or "no data"
    return _svg(title, desc, height, body)


def lines(series: dict[str, list[float]], labels: list[str], *, title: str) -> Markup:
    """One line per series (class `line-<name>`: colour and dash pattern differ), over `labels`."""
    height, bottom, left = 240, 30, 40
    top = max([v for values in series.values() for v in values] + [1])
    step = (WIDTH - left - 40) / max(1, len(labels) - 1)
    scale = (height - bottom - 20) / top
    body = [f'<line class="axis" x1="{left}" y1="{height - bottom}" x2="{WIDTH - 10}" y2="{height - bottom}"/>',
            f'<line class="axis" x1="{left}" y1="10" x2="{left}" y2="{height - bottom}"/>',
            f'<text x="{left - 6}" y="{height - bottom - top * scale + 4:.1f}" text-anchor="end">{top:g}</text>',
            f'<text x="{left - 6}" y="{height - bottom + 4}" text-anchor="end">0</text>']
    every = max(1, len(labels) // 8)
    for i, name in enumerate(labels):
        if i % every == 0:
            body.append(f'<text x="{left + i * step:.1f}" y="{height - bottom + 16}" text-anchor="middle">{escape(name)}</text>')
    for name, values in series.items():
        points = " ".join(f"{left + i * step:.1f},{height - bottom - v * scale:.1f}" for i, v in enumerate(values))
        body.append(f'<polyline class="line-{escape(name)}" points="{points}"/>')
    desc = "; ".join(f"{name}: " + ", ".join(f"{labels[i]} {v:g}" for i, v in enumerate(values) if v)
                     for name, values in series.items()) or "no data"
    return _svg(title, desc, height, body)
