"""{% source_text text marks furniture title %}: a source's full text in its own
structure (sources.structure: headings, paragraphs, lists, tables, page furniture
folded away), its cited passages marked;
{% passage_index passages %}: the list of those passages, each once.

The same markup the template's loops drew, written in one function: a long
source is hundreds of pieces, and the loops' variable lookups, filters and
localization made the text the largest part of the page's cost (the longest
fixture source: 4.9 ms through the loops, 1.2 ms here; its passage index 1.5
and 0.8 ms). Every piece of text is escaped here, as the template escaped it.

The text's drawing depends on nothing but the text, its marks (each passage's
place, anchor, footnote and citing entry: sources.highlight.Mark), the lines an
editor marked as furniture and the title,
so each process keeps the last few drawings by exactly those: a drawing is
found again only for the same text with the same marks, never after either
changed, and the page still reads both afresh each time. Cutting and drawing
the longest fixture source (35,000 characters) took 1.25 ms; finding it again
(hashing a text read afresh), 0.03 ms.
"""

import functools
import html
import re

from django import template
from django.template.defaultfilters import truncatewords
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import normalize_newlines

from ..highlight import blocks

register = template.Library()

DISPUTES_LABEL = mark_safe('<strong class="dispute-label">disputes</strong> ')  # a constant


@register.simple_tag
def source_text(text, marks, furniture="", title=""):
    """`text` in headings, paragraphs, lists and tables, its page furniture folded
    away, the passages `marks` (a tuple of Marks) place marked in it."""
    return _drawn(text, marks, furniture, title)


# Drawings kept per process: a few long texts (50,000 characters drawn are about
# 60 KB), as the same source pages are asked for again and again.
@functools.lru_cache(maxsize=16)
def _drawn(text, marks, furniture, title):
    return mark_safe("\n".join(_block(block) for block in blocks(text, marks, furniture, title)))


# Right-to-left letters (Hebrew, Arabic and their presentation forms): a block holding
# any takes its direction from its first strong letter (dir="auto").
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def _block(block):
    if block.kind == "furniture":
        lines = f"{block.lines} line{'s' if block.lines != 1 else ''}"
        inner = "\n".join(_block(shown) for shown in block.blocks)
        # Open when a cited passage is in it, so that its anchor is seen.
        return (
            f'<details class="furniture"{" open" if block.cited else ""}>'
            f"<summary>Page furniture of the original web page ({lines})</summary>\n"
            f"{inner}\n</details>"
        )
    if block.kind == "list":
        return "\n".join(_list(shown) for shown in block.lists)
    if block.kind == "table":
        return _table(block.rows)
    tag = f"h{block.level}" if block.kind == "heading" else "p"
    return f"<{tag}{_direction(block.pieces)}>{_pieces(block.pieces)}</{tag}>"


@register.filter
def direction(value):
    """dir="auto" for a text holding right-to-left letters, so that it takes the
    direction of its first strong letter; nothing for any other text."""
    return mark_safe(' dir="auto"') if _RTL.search(str(value)) else ""


def _direction(pieces):
    return ' dir="auto"' if any(_RTL.search(piece.text) for piece in pieces) else ""


def _list(shown):
    tag = "ol" if shown.ordered else "ul"
    start = f' start="{shown.start}"' if shown.ordered and shown.start != 1 else ""
    items = "".join(
        f"<li>{_pieces(item.pieces)}{''.join(_list(child) for child in item.children)}</li>"
        for item in shown.items
    )
    # The list's direction, not its items' (dir="auto" would not look into an item
    # of its own), so that right-to-left bullets sit in the room the list leaves them.
    direction = _direction([piece for item in shown.items for piece in item.pieces])
    return f"<{tag}{start}{direction}>{items}</{tag}>"


def _table(rows):
    header, *body = rows
    head = "".join(f'<th scope="col"{_direction(c)}>{_pieces(c)}</th>' for c in header)
    lines = []
    for label, *cells in body:
        row = "".join(f"<td{_direction(c)}>{_pieces(c)}</td>" for c in cells)
        lines.append(f'<tr><th scope="row"{_direction(label)}>{_pieces(label)}</th>{row}</tr>')
    return (
        f'<div class="source-table"><table>\n<thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{chr(10).join(lines)}\n</tbody>\n</table></div>"
    )


def _pieces(pieces):
    parts = []
    for piece in pieces:
        parts.extend(
            f'<span class="anchor" id="citation-{mark.citation}"></span>' for mark in piece.starts
        )
        # As |linebreaksbr: escaped, each line break a <br>.
        text = html.escape(normalize_newlines(piece.text)).replace("\n", "<br>")
        if piece.marked:
            text = f"<mark>{text}</mark>"
        if piece.style:
            text = f"<{piece.style}>{text}</{piece.style}>"
        parts.append(text)
        parts.extend(_cited_by(mark) for mark in piece.ends)
    return "".join(parts)


def _cited_by(mark):
    return format_html(
        '<a class="{}" href="{}">{}<bdi>{}</bdi>, note {}</a>',
        "cited-by dispute" if mark.disputes else "cited-by",
        mark.entry_url,
        "disputes " if mark.disputes else "cited by ",
        mark.entry,
        mark.number,
    )


@register.simple_tag
def passage_index(passages):
    """The <li>s of "Cited passages": each passage once (`passages`, from
    sources.highlight.passages(), in the text's order), its quote's start linking to
    it, then every entry citing it with its note number. Kept by the passages, as
    the text's drawing is: a hundred quotes cut to their first words took 3.5 ms."""
    return _index(passages)


@functools.lru_cache(maxsize=16)
def _index(passages):
    return format_html_join(
        "",
        '<li><a href="#citation-{}">“<bdi>{}</bdi>”</a> — {}</li>',
        (
            (
                marks[0].citation,
                truncatewords(marks[0].quote, 12),
                mark_safe("; ".join(_citing(mark) for mark in marks)),  # each escaped
            )
            for marks in passages
        ),
    )


def _citing(mark):
    return format_html(
        '{}<a href="{}"><bdi>{}</bdi></a>, note {}',
        DISPUTES_LABEL if mark.disputes else "",
        mark.entry_url,
        mark.entry,
        mark.number,
    )
