"""The indicator chart: a well-formed, accessible SVG styled by classes only."""

import math
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from partnerships.charts import HEIGHT, WIDTH, Point, series_chart

SVG = "{http://www.w3.org/2000/svg}"
VNU_JAR = Path(__file__).resolve().parents[1] / "node_modules/vnu-jar/build/dist/vnu.jar"


def point(year, value, basis="reported", label=None, display=None):
    return Point(
        label=label or str(int(year)),
        position=float(year),
        value=value,
        basis=basis,
        display=display or f"{value} billion USD",
    )


MOROCCO = [point(2023, Decimal("3.6")), point(2028, Decimal("5.2"), "projection")]


def chart(points=MOROCCO, **kwargs):
    kwargs = {
        "title": "Defense spending, Morocco, USD billion",
        "description": "Morocco's defense budget.",
        "unit_label": "USD billion",
        "chart_id": "spending",
        **kwargs,
    }
    return series_chart(points, **kwargs)


def parse(markup):
    return ET.fromstring(str(markup))  # raises unless it is well-formed XML


def find_all(svg, tag, css_class=None):
    found = svg.iter(f"{SVG}{tag}")
    return [e for e in found if css_class is None or css_class in e.get("class", "").split()]


def texts(svg, css_class):
    return [e.text for e in find_all(svg, "text", css_class)]


def test_it_is_an_svg_named_by_its_title_and_desc():
    svg = parse(chart())

    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.get("class") == "chart"
    assert svg.get("viewBox") == f"0 0 {WIDTH} {HEIGHT}"
    assert svg.get("width") is None and svg.get("height") is None
    title, desc = svg[0], svg[1]
    assert (title.tag, title.get("id")) == (f"{SVG}title", "spending-title")
    assert (desc.tag, desc.get("id")) == (f"{SVG}desc", "spending-desc")
    assert svg.get("aria-labelledby") == "spending-title spending-desc"
    assert title.text == "Defense spending, Morocco, USD billion"


def test_it_summarises_the_series_in_words():
    desc = parse(chart()).find(f"{SVG}desc").text

    assert desc == (
        "Morocco's defense budget. 2 values, from 3.6 billion USD in 2023 (reported) "
        "to 5.2 billion USD in 2028 (projection)."
    )


def test_it_names_the_extremes_between_the_ends():
    points = [point(2020, 3), point(2021, 9), point(2022, 1), point(2023, 4)]

    desc = parse(chart(points, description="")).find(f"{SVG}desc").text

    assert desc == (
        "4 values, from 3 billion USD in 2020 (reported) to 4 billion USD in 2023 (reported); "
        "lowest 1 billion USD in 2022 (reported); highest 9 billion USD in 2021 (reported)."
    )


def test_it_escapes_hostile_text():
    hostile = "<script>alert(\"x\")</script> & 'quotes'"
    points = [point(2023, 1, label=hostile, display=hostile)]

    markup = str(chart(points, title=hostile, description=hostile, unit_label=hostile))
    svg = parse(markup)

    assert "<script" not in markup
    assert not find_all(svg, "script")
    assert svg.find(f"{SVG}title").text == hostile
    assert hostile in svg.find(f"{SVG}desc").text
    assert texts(svg, "chart-unit") == [hostile]
    assert texts(svg, "chart-period") == [hostile]


def test_it_drops_characters_xml_forbids():
    svg = parse(chart(title="Spending\x00\x07\x1b", unit_label="USD\x0c"))

    assert svg.find(f"{SVG}title").text == "Spending"
    assert texts(svg, "chart-unit") == ["USD"]


def test_it_sets_projections_apart_by_shape_and_dashes():
    points = [
        point(2021, 3),
        point(2022, Decimal("3.4"), "estimate"),
        point(2023, Decimal("3.6")),
        point(2025, Decimal("4.4"), "projection"),
        point(2028, Decimal("5.2"), "projection"),
    ]
    svg = parse(chart(points))
    series = [e for e in svg if e.tag != f"{SVG}g"]  # the legend is in a <g>

    reported = [e for e in series if "chart-point-reported" in e.get("class", "")]
    estimates = [e for e in series if "chart-point-estimate" in e.get("class", "")]
    projections = [e for e in series if "chart-point-projection" in e.get("class", "")]
    assert [e.tag for e in reported] == [f"{SVG}circle"] * 2
    assert [e.tag for e in estimates] == [f"{SVG}circle"]
    assert [e.tag for e in projections] == [f"{SVG}path"] * 2
    assert all("chart-point-projection" not in e.get("class") for e in reported + estimates)
    assert [e.find(f"{SVG}title").text for e in projections] == [
        "2025: 4.4 billion USD (projection)",
        "2028: 5.2 billion USD (projection)",
    ]

    lines = [e for e in series if e.tag == f"{SVG}polyline"]
    assert [e.get("class") for e in lines] == ["chart-line", "chart-line chart-line-projection"]
    solid, dashed = (e.get("points").split() for e in lines)
    assert len(solid) == 3  # 2021 to 2023
    assert len(dashed) == 3 and dashed[0] == solid[-1]  # from 2023 on to 2028


def test_it_legends_the_bases_present_only():
    legend = find_all(parse(chart()), "g", "chart-legend")[0]

    assert texts(legend, "chart-legend-text") == ["Reported", "Projection"]
    assert find_all(legend, "circle", "chart-point-reported")
    assert find_all(legend, "path", "chart-point-projection")
    assert find_all(legend, "line", "chart-line-projection")
    assert not find_all(legend, "circle", "chart-point-estimate")


def test_it_legends_all_three_bases_in_one_order():
    points = [point(2028, 5, "projection"), point(2022, 3, "estimate"), point(2021, 2)]

    legend = find_all(parse(chart(points)), "g", "chart-legend")[0]

    assert texts(legend, "chart-legend-text") == ["Reported", "Estimate", "Projection"]


def test_it_has_no_inline_style_or_script():
    points = [point(2020 + i, i, ["reported", "estimate", "projection"][i % 3]) for i in range(9)]

    svg = parse(chart(points))

    for element in svg.iter():
        assert "style" not in element.attrib, element.tag
        assert element.tag not in {f"{SVG}style", f"{SVG}script", f"{SVG}foreignObject"}
        assert not any(name.startswith("on") for name in element.attrib)


def test_it_returns_nothing_for_no_points():
    assert chart([]) == ""
    assert chart(iter([])) == ""


def test_it_draws_one_point_in_the_middle():
    svg = parse(chart([point(2024.17, Decimal("12"), "estimate", label="March 2024")]))

    (marker,) = find_all(svg, "circle", "chart-point-estimate")[1:]  # after the legend's
    assert not find_all(svg, "polyline")
    assert texts(svg, "chart-period") == ["March 2024"]
    assert texts(svg, "chart-value") == ["12"]
    assert 100 < float(marker.get("cx")) < WIDTH - 100


def test_it_starts_the_axis_at_zero_with_round_ticks():
    assert texts(parse(chart()), "chart-tick") == ["0", "2", "4", "6"]
    points = [point(2020, Decimal("0.13")), point(2021, Decimal("0.61"))]
    assert texts(parse(chart(points)), "chart-tick") == ["0", "0.2", "0.4", "0.6", "0.8"]


def test_it_copes_with_equal_values():
    points = [point(year, 7.0) for year in range(2018, 2024)]

    svg = parse(chart(points))

    assert texts(svg, "chart-tick") == ["0", "2", "4", "6", "8"]
    markers = find_all(svg, "circle", "chart-point-reported")[1:]
    assert len(markers) == 6 and len({m.get("cy") for m in markers}) == 1
    assert "7" in texts(svg, "chart-value")  # 7.0 without the zero a database adds


def test_it_copes_with_zeros():
    svg = parse(chart([point(2020, 0), point(2021, Decimal("0.00"))]))

    assert texts(svg, "chart-tick") == ["0", "0.25", "0.5", "0.75", "1"]
    assert texts(svg, "chart-value") == ["0", "0"]  # the last is placed first


def test_it_writes_large_amounts_compactly():
    points = [point(2020, Decimal("2512345678")), point(2030, Decimal("10400000000"))]

    svg = parse(chart(points, unit_label="USD"))

    assert texts(svg, "chart-tick") == ["0", "5 bn", "10 bn", "15 bn"]
    assert sorted(texts(svg, "chart-value")) == ["10.4 bn", "2.51 bn"]


def test_it_groups_the_digits_of_amounts_below_a_million():
    svg = parse(chart([point(2020, Decimal("95000")), point(2021, Decimal("12500.5"))]))

    assert texts(svg, "chart-tick")[-1] == "100,000"
    assert "12,500.5" in texts(svg, "chart-value")


def test_it_extends_the_axis_below_zero_for_negative_values():
    svg = parse(chart([point(2020, -3), point(2021, 5)]))

    ticks = texts(svg, "chart-tick")
    assert ticks[0] == "-4" and "0" in ticks and ticks[-1] == "6"
    assert len(find_all(svg, "line", "chart-axis")) >= 1


def test_it_draws_points_sharing_a_position():
    points = [
        point(2023, Decimal("3.6")),
        point(2023, Decimal("3.7"), "estimate"),
        point(2024, Decimal("4")),
    ]

    svg = parse(chart(points))

    reported = find_all(svg, "circle", "chart-point-reported")[1:]
    (estimate,) = find_all(svg, "circle", "chart-point-estimate")[1:]
    assert reported[0].get("cx") == estimate.get("cx")
    assert texts(svg, "chart-period") == ["2023", "2024"]
    assert sorted(texts(svg, "chart-value")) == ["3.6", "3.7", "4"]


def test_it_puts_points_in_time_order():
    svg = parse(chart([point(2028, 5, "projection"), point(2023, 3)]))

    (line,) = find_all(svg, "polyline")
    assert "chart-line-projection" in line.get("class")
    start, end = (float(xy.split(",")[0]) for xy in line.get("points").split())
    assert start < end
    assert "from 3 billion USD in 2023" in svg.find(f"{SVG}desc").text


def test_it_keeps_50_points_inside_the_view():
    points = [
        point(1975 + i, Decimal(i * i) / 10, "reported" if i < 40 else "projection")
        for i in range(50)
    ]

    markup = chart(points)
    svg = parse(markup)

    assert len(find_all(svg, "circle", "chart-point-reported")) == 1 + 40
    assert len(find_all(svg, "path", "chart-point-projection")) == 1 + 10
    assert 2 <= len(texts(svg, "chart-period")) < 50  # thinned to what fits
    assert "240.1" in texts(svg, "chart-value")  # the last value is always labelled
    for x, y in coordinates(svg):
        assert 0 <= x <= WIDTH and 0 <= y <= HEIGHT
    assert len(markup) < 20_000


def test_it_keeps_long_labels_inside_the_view():
    months = ["January", "February", "March", "April", "May", "June", "July", "August"]
    points = [point(2024 + i / 12, i + 1, label=f"{m} 2024") for i, m in enumerate(months)]

    svg = parse(chart(points))

    for text in find_all(svg, "text", "chart-period"):
        half = len(text.text) * 13 * 0.3
        x = float(text.get("x"))
        assert x - half >= 0 and x + half <= WIDTH
    assert texts(svg, "chart-period")[:2] == ["January 2024", "August 2024"]


def test_it_takes_floats_and_decimals_alike():
    as_float = parse(chart([point(2020, 3.6), point(2021, 0.1 + 0.2)]))

    assert sorted(texts(as_float, "chart-value")) == ["0.30000000000000004", "3.6"]


@pytest.mark.parametrize(
    "kwargs, points",
    [
        ({"chart_id": "two words"}, MOROCCO),
        ({"chart_id": '"><x'}, MOROCCO),
        ({"chart_id": ""}, MOROCCO),
        ({}, [point(2020, 1, "guess")]),
        ({}, [point(2020, float("nan"))]),
        ({}, [point(2020, Decimal("Infinity"))]),
    ],
)
def test_it_refuses_what_it_cannot_draw(kwargs, points):
    with pytest.raises(ValueError):
        chart(points, **kwargs)


def coordinates(svg):
    for element in svg.iter():
        for x_name, y_name in (("x", "y"), ("cx", "cy"), ("x1", "y1"), ("x2", "y2")):
            if x_name in element.attrib:
                yield float(element.get(x_name)), float(element.get(y_name))
        if "points" in element.attrib:
            for pair in element.get("points").split():
                yield tuple(float(n) for n in pair.split(","))
        if element.tag == f"{SVG}path":
            numbers = [float(n) for n in re.findall(r"-?[\d.]+", element.get("d"))]
            yield numbers[0], numbers[1]  # the diamond's top
            assert all(math.isfinite(n) for n in numbers)


def test_it_passes_the_nu_html_checker(tmp_path):
    """The charts of every edge case in one HTML page, as the site embeds them."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        pytest.skip("the Nu Html Checker needs Java and 'npm ci --ignore-scripts'")
    cases = [
        MOROCCO,
        [point(2024.17, 12, "estimate", label="March 2024")],
        [point(2020, 0), point(2021, 0)],
        [point(2023, 3), point(2023, 4, "estimate"), point(2024, 5, "projection")],
        [point(1975 + i, i, "reported") for i in range(50)],
    ]
    charts = "".join(
        str(chart(points, title="<script>", chart_id=f"chart-{i}"))
        for i, points in enumerate(cases)
    )
    page = tmp_path / "chart.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Chart</title>'
        f"</head><body><main><h1>Chart</h1>{charts}</main></body></html>",
        encoding="utf-8",
    )

    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--also-check-svg", str(page)],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
