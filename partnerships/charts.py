"""A small server-side SVG line chart of one dated series (an indicator's figures).

Written here rather than with a charting library: matplotlib and pygal write
inline `style` (attributes and <style> elements), which the site's CSP refuses,
and leather, which does not, fixes a pixel size and colours as attributes and has
no title/desc, per-point marker shapes or dashed segments. The markup carries
classes only; every colour, stroke and font is in the `chart-` block at the end
of static/css/site.css. The page shows a table of every value beside the chart.

Layout works in a 340 x 230 viewBox with 13-unit text: the chart's CSS scales it
to its container, so text stays about 12 px on a 360 px phone.

The words are in the page's language, and on a right-to-left page (Arabic) the
chart is mirrored: time runs from right to left and the value axis is on the
right. Every picture of the site does so the same way, through `Direction`: it is
laid out left to right, each x mirrored as it is written, and the <svg> says its
`direction`, so that a text's logical anchor (`text-anchor: start`, which the CSS
and the default give) points where the mirrored layout needs it.
"""

import itertools
import re
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import get_language_bidi, ngettext, pgettext, pgettext_lazy
from django.utils.translation import gettext as _

from .numbers import format_number

WIDTH, HEIGHT = 340, 230
CHAR = 13 * 0.6  # a generous average character width at the CSS's 13-unit font
LEGEND_Y, UNIT_Y = 16, 38  # text baselines of the legend and the unit label
PLOT_TOP, PLOT_BOTTOM = 64, HEIGHT - 32
PLOT_RIGHT = WIDTH - 4
MARKER = 4.5  # a circle's radius; a diamond's half-diagonal is a little more

# The bases in the legend's order, with the words the legend uses, and those a point's
# tooltip and the desc use after its value.
BASES = {
    "reported": pgettext_lazy("a figure's basis, in a chart's legend", "Reported"),
    "estimate": pgettext_lazy("a figure's basis, in a chart's legend", "Estimate"),
    "projection": pgettext_lazy("a figure's basis, in a chart's legend", "Projection"),
}
BASES_AFTER_A_VALUE = {
    "reported": pgettext_lazy("a figure's basis, after the figure in a chart", "reported"),
    "estimate": pgettext_lazy("a figure's basis, after the figure in a chart", "estimate"),
    "projection": pgettext_lazy("a figure's basis, after the figure in a chart", "projection"),
}
# Large amounts read as "2.5 bn" on the ticks and labels, so the axis stays narrow.
SCALES = [
    (Decimal(10) ** 12, pgettext_lazy("a trillion, after a number on a chart", "tn")),
    (Decimal(10) ** 9, pgettext_lazy("a billion, after a number on a chart", "bn")),
    (Decimal(10) ** 6, pgettext_lazy("a million, after a number on a chart", "m")),
]
# Unicode's isolates (FSI … PDI): a name drawn on a right-to-left picture keeps its own
# direction, as <bdi> keeps it in HTML, so "Naval Group (France)" does not end "(".
ISOLATE, END_ISOLATE = "\u2068", "\u2069"
# A left-to-right mark before a minus, so that "-4" is not drawn "4-" right to left.
LRM = "\u200e"
CHART_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
# Characters XML 1.0 forbids: a hostile title must not make the SVG ill-formed.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


@dataclass(frozen=True)
class Point:
    label: str  # how the period reads: "2023", "March 2024"
    position: float  # where on the time axis: a fractional year, e.g. 2023.0, 2024.17
    value: Decimal | float
    basis: str  # "reported" | "estimate" | "projection"
    display: str  # the value as the table shows it: "3.6 billion USD"


def series_chart(points, *, title, description, unit_label, chart_id) -> SafeString:
    """The <svg> of the series, or an empty string when there are no points.

    Raises ValueError for a chart_id that is not a plain HTML id, a basis
    outside BASES, or a value that is not a finite number."""
    points = sorted(points, key=lambda p: p.position)  # stable: ties keep their order
    if not points:
        return SafeString("")
    if not CHART_ID.match(chart_id):
        raise ValueError(f"chart_id must be a plain HTML id, not {chart_id!r}")
    for point in points:
        if point.basis not in BASES:
            raise ValueError(f"unknown basis {point.basis!r}; expected one of {list(BASES)}")
    values = [_decimal(p.value) for p in points]
    direction = Direction(WIDTH)

    ticks = _ticks(min(min(values), 0), max(max(values), 0))
    scale = _scale(max(abs(ticks[0]), abs(ticks[-1])))
    tick_texts = [direction.number(_number(t, scale, exact=True)) for t in ticks]
    value_texts = [direction.number(_number(v, scale)) for v in values]
    plot_left = max(24, max(_width(t) for t in tick_texts) + 10)

    def y(value):
        share = float((value - ticks[0]) / (ticks[-1] - ticks[0]))
        return PLOT_BOTTOM - share * (PLOT_BOTTOM - PLOT_TOP)

    x = _x_scale(points, value_texts, plot_left)
    xs = [x(p.position) for p in points]
    ys = [y(v) for v in values]
    # Markers shrink where the periods crowd, so that 50 of them stay apart.
    gaps = [b - a for a, b in itertools.pairwise(xs) if b > a]
    radius = max(2.0, min(MARKER, min(gaps, default=MARKER * 3) / 2 - 0.5))
    ids = f"{chart_id}-title {chart_id}-desc"
    parts = [
        format_html('<title id="{}-title">{}</title>', chart_id, svg_text(title)),
        format_html(
            '<desc id="{}-desc">{}</desc>',
            chart_id,
            svg_text(_summary(description, points, values)),
        ),
        _legend(points, direction),
        format_html(
            '<text class="chart-unit" x="{}" y="{}">{}</text>',
            coordinate(direction.x(4)),
            UNIT_Y,
            svg_text(unit_label),
        ),
        _y_axis(ticks, tick_texts, y, plot_left, direction),
        _x_axis(points, xs, direction),
        _lines(points, xs, ys, direction),
        *(
            _marker(p, direction.x(px), py, radius)
            for p, px, py in zip(points, xs, ys, strict=True)
        ),
        _value_labels(points, value_texts, xs, ys, plot_left, radius, direction),
    ]
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {}" '
        'direction="{}" role="img" aria-labelledby="{}">{}</svg>',
        WIDTH,
        HEIGHT,
        direction.name,
        ids,
        mark_safe("".join(parts)),  # every part was built by format_html
    )


@dataclass(frozen=True)
class Direction:
    """Where a picture laid out left to right is drawn on the page's direction: on a
    right-to-left page, mirrored (x is `width - x`), its <svg> saying `direction="rtl"`
    so that each text's logical anchor (start, end) is mirrored with it."""

    width: float
    rtl: bool = field(default_factory=get_language_bidi)

    @property
    def name(self):
        return "rtl" if self.rtl else "ltr"

    def x(self, x):
        return self.width - x if self.rtl else x

    def left(self, x, width):
        """The left edge of a box laid out from `x` to `x + width`."""
        return self.width - x - width if self.rtl else x

    def text(self, text):
        """A name or label from the data, isolated on a right-to-left picture."""
        text = svg_text(text)
        return f"{ISOLATE}{text}{END_ISOLATE}" if self.rtl and text else text

    def number(self, text):
        return f"{LRM}{text}" if self.rtl and text.startswith("-") else text


def _decimal(value):
    number = value if isinstance(value, Decimal) else Decimal(repr(value))
    if not number.is_finite():
        raise ValueError(f"a chart value must be a finite number, not {value!r}")
    return number + 0  # turns -0 into 0 and keeps the value's decimal places


def _ticks(low, high):
    """Round ticks from at or below `low` to at or above `high`, about five of them."""
    if low == high:  # only zeros
        high = Decimal(1)
    rough = (high - low) / 4
    base = Decimal(1).scaleb(rough.adjusted())
    step = next(base * m for m in (1, 2, Decimal("2.5"), 5, 10) if base * m >= rough)
    first = int((low / step).to_integral_value(ROUND_FLOOR))
    last = int((high / step).to_integral_value(ROUND_CEILING))
    return [step * k for k in range(first, last + 1)]


def _scale(largest):
    return next(((size, word) for size, word in SCALES if largest >= size), None)


def _number(value, scale, exact=False):
    """A value as the chart writes it: grouped digits, large amounts as "2.51 bn"."""
    if scale is None or value == 0:
        # Without the zeros a database's fixed places add: 3.6000 reads "3.6".
        return format_number(value)
    size, word = scale
    scaled = value / size
    places = max(0, 2 - scaled.adjusted())  # three significant digits
    rounded = scaled if exact else scaled.quantize(Decimal(1).scaleb(-places))
    return pgettext("a number and its scale on a chart: 2.5 bn", "%(number)s %(scale)s") % {
        "number": format_number(rounded),
        "scale": word,
    }


def _width(text):
    return len(text) * CHAR


def in_words(items):
    """ "a, b and c" in the page's language; HTML when every item is (links)."""
    items = list(items)
    if len(items) < 2:
        return items[0] if items else ""
    separator = pgettext("between names in a list", ", ")
    pattern = pgettext("a list of names: the last after the others", "%(items)s and %(last)s")
    if all(isinstance(item, SafeData) for item in items):
        separator, pattern = conditional_escape(separator), conditional_escape(pattern)
        return mark_safe(pattern % {"items": separator.join(items[:-1]), "last": items[-1]})
    return pattern % {"items": separator.join(map(str, items[:-1])), "last": str(items[-1])}


def svg_text(text):
    return NOT_XML.sub("", str(text))


def coordinate(number):
    """A coordinate, to a tenth of a unit."""
    return f"{number:.1f}".removesuffix(".0")


def _x_scale(points, value_texts, plot_left):
    """Map a position to x, leaving room at both ends for the labels centred there."""
    first, last = points[0], points[-1]
    inset_left = max(
        12, _width(value_texts[0]) / 2 + 2, _width(svg_text(first.label)) / 2 - plot_left + 2
    )
    inset_right = max(12, _width(value_texts[-1]) / 2 + 2, _width(svg_text(last.label)) / 2 + 2)
    room = PLOT_RIGHT - plot_left
    left = plot_left + min(inset_left, room / 4)
    right = PLOT_RIGHT - min(inset_right, room / 4)
    span = last.position - first.position
    if span <= 0:  # one position only
        return lambda position: (left + right) / 2
    return lambda position: left + (position - first.position) / span * (right - left)


def _legend(points, direction):
    present = {p.basis for p in points}
    items, x = [], 4
    for basis, word in BASES.items():
        if basis not in present:
            continue
        word = str(word)
        line_class = "chart-line chart-line-projection" if basis == "projection" else "chart-line"
        items.append(
            format_html(
                '<line class="{}" x1="{}" y1="{}" x2="{}" y2="{}"/>{}'
                '<text class="chart-legend-text" x="{}" y="{}">{}</text>',
                line_class,
                coordinate(direction.x(x)),
                LEGEND_Y - 4,
                coordinate(direction.x(x + 22)),
                LEGEND_Y - 4,
                _shape(basis, direction.x(x + 11), LEGEND_Y - 4),
                coordinate(direction.x(x + 28)),
                LEGEND_Y,
                word,
            )
        )
        x += 28 + _width(word) + 14
    return format_html('<g class="chart-legend">{}</g>', mark_safe("".join(items)))


def _y_axis(ticks, tick_texts, y, plot_left, direction):
    parts = []
    for tick, text in zip(ticks, tick_texts, strict=True):
        line_class = "chart-axis" if tick == 0 else "chart-grid"
        parts.append(
            format_html(
                '<line class="{}" x1="{}" y1="{}" x2="{}" y2="{}"/>'
                '<text class="chart-tick" x="{}" y="{}">{}</text>',
                line_class,
                coordinate(direction.x(plot_left)),
                coordinate(y(tick)),
                coordinate(direction.x(PLOT_RIGHT)),
                coordinate(y(tick)),
                coordinate(direction.x(plot_left - 6)),
                coordinate(y(tick) + 4.5),
                text,
            )
        )
    return format_html('<g class="chart-y-axis">{}</g>', mark_safe("".join(parts)))


def _x_axis(points, xs, direction):
    """A tick at each period and its label wherever it fits, the first and last first."""
    periods = {}  # position -> (x, label); points sharing a position share a label
    for point, px in zip(points, xs, strict=True):
        periods.setdefault(point.position, (px, svg_text(point.label)))
    columns = list(periods.values())
    order = [columns[0], columns[-1], *columns[1:-1]] if len(columns) > 1 else columns
    taken, labels = [], []
    for px, label in order:
        half = _width(label) / 2
        box = (px - half - 3, px + half + 3)
        if all(box[1] <= a or box[0] >= b for a, b in taken):
            taken.append(box)
            labels.append(
                format_html(
                    '<text class="chart-period" x="{}" y="{}">{}</text>',
                    coordinate(direction.x(px)),
                    PLOT_BOTTOM + 20,
                    label,
                )
            )
    marks = [
        format_html(
            '<line class="chart-axis" x1="{}" y1="{}" x2="{}" y2="{}"/>',
            coordinate(direction.x(px)),
            PLOT_BOTTOM,
            coordinate(direction.x(px)),
            PLOT_BOTTOM + 5,
        )
        for px, _label in columns
    ]
    return format_html(
        '<g class="chart-x-axis">{}{}</g>', mark_safe("".join(marks)), mark_safe("".join(labels))
    )


def _lines(points, xs, ys, direction):
    """The series as polylines: the segment leading to a projection is dashed."""
    runs = []  # [dashed, [(x, y), ...]]
    for i in range(1, len(points)):
        dashed = points[i].basis == "projection"
        if not runs or runs[-1][0] != dashed:
            runs.append([dashed, [(xs[i - 1], ys[i - 1])]])
        runs[-1][1].append((xs[i], ys[i]))
    return mark_safe(
        "".join(
            format_html(
                '<polyline class="{}" points="{}"/>',
                "chart-line chart-line-projection" if dashed else "chart-line",
                " ".join(f"{coordinate(direction.x(px))},{coordinate(py)}" for px, py in coords),
            )
            for dashed, coords in runs
        )
    )


def _shape(basis, x, y, radius=MARKER, hint=""):
    """A filled circle (reported), a hollow circle (estimate) or a hollow diamond
    (projection): the basis reads from the shape, not the colour alone."""
    tip = format_html("<title>{}</title>", hint) if hint else ""
    if basis == "projection":
        r = radius * 4 / 3  # a diamond as wide as the circle looks as large
        return format_html(
            '<path class="chart-point chart-point-projection" '
            'd="M{} {}l{} {} {} {} {} {}z">{}</path>',
            coordinate(x),
            coordinate(y - r),
            coordinate(r),
            coordinate(r),
            coordinate(-r),
            coordinate(r),
            coordinate(-r),
            coordinate(-r),
            tip,
        )
    return format_html(
        '<circle class="chart-point chart-point-{}" cx="{}" cy="{}" r="{}">{}</circle>',
        basis,
        coordinate(x),
        coordinate(y),
        coordinate(radius),
        tip,
    )


def _marker(point, x, y, radius):
    # A tooltip for the labels that did not fit; the table beside has them all.
    hint = pgettext("a point's tooltip on a chart", "%(period)s: %(value)s (%(basis)s)") % {
        "period": svg_text(point.label),
        "value": svg_text(point.display),
        "basis": BASES_AFTER_A_VALUE[point.basis],
    }
    return _shape(point.basis, x, y, radius, hint)


def _value_labels(points, value_texts, xs, ys, plot_left, radius, direction):
    """Each value above its marker, else below it, wherever it covers no marker
    and no other label: the last, the first, the highest and the lowest get
    their place first. The table beside the chart has every value."""
    n = len(points)
    by_value = sorted(range(n), key=lambda i: ys[i])
    order = list(dict.fromkeys([n - 1, 0, by_value[0], by_value[-1], *range(n)]))
    reach = radius * 4 / 3 + 1  # a diamond's half-diagonal, and a little air
    taken = [
        (px - reach, py - reach, px + reach, py + reach) for px, py in zip(xs, ys, strict=True)
    ]
    labels = []
    for i in order:
        half = _width(value_texts[i]) / 2
        for baseline in (ys[i] - reach - 4, ys[i] + reach + 13):
            box = (xs[i] - half - 2, baseline - 11, xs[i] + half + 2, baseline + 3)
            inside = (
                box[0] >= plot_left - 4
                and box[2] <= WIDTH
                and box[1] >= UNIT_Y + 4
                and box[3] <= PLOT_BOTTOM
            )
            if inside and not any(_overlap(box, other) for other in taken):
                taken.append(box)
                labels.append(
                    format_html(
                        '<text class="chart-value chart-value-{}" x="{}" y="{}">{}</text>',
                        points[i].basis,
                        coordinate(direction.x(xs[i])),
                        coordinate(baseline),
                        value_texts[i],
                    )
                )
                break
    return format_html('<g class="chart-values">{}</g>', mark_safe("".join(labels)))


def _overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _summary(description, points, values):
    """The caller's description, then the series in words for the <desc>."""

    def said(point):
        return pgettext(
            "a figure in a chart's description", "%(value)s in %(period)s (%(basis)s)"
        ) % {
            "value": svg_text(point.display),
            "period": svg_text(point.label),
            "basis": BASES_AFTER_A_VALUE[point.basis],
        }

    first, last = points[0], points[-1]
    if len(points) == 1:
        words = pgettext("a sentence and its full stop", "%(sentence)s.") % {
            "sentence": said(first)
        }
    else:
        words = ngettext(
            "%(count)s value, from %(first)s to %(last)s",
            "%(count)s values, from %(first)s to %(last)s",
            len(points),
        ) % {"count": format_number(len(points)), "first": said(first), "last": said(last)}
        low = min(range(len(points)), key=values.__getitem__)
        high = max(range(len(points)), key=values.__getitem__)
        if values[low] != values[high]:
            if 0 < low < len(points) - 1:
                words += _("; lowest %(value)s") % {"value": said(points[low])}
            if 0 < high < len(points) - 1:
                words += _("; highest %(value)s") % {"value": said(points[high])}
        words = pgettext("a sentence and its full stop", "%(sentence)s.") % {"sentence": words}
    return f"{svg_text(description).strip()} {words}".strip()
