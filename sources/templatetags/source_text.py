"""{% source_text text marks furniture title language %}: a source's full text in its
own structure (sources.structure: headings, paragraphs, lists, tables, page furniture
folded away), its cited passages marked;
{% passage_index passages language %}: the list of those passages, each once;
{% in_language language text %}: the lang and dir attributes of the source's title
or text, in the source's language (`language`) on a page in another.

The same markup the template's loops drew, written in one function: a long
source is hundreds of pieces, and the loops' variable lookups, filters and
localization made the text the largest part of the page's cost (the longest
fixture source: 4.9 ms through the loops, 1.2 ms here; its passage index 1.5
and 0.8 ms). Every piece of text is escaped here, as the template escaped it.

The text's drawing depends on nothing but the text, its marks (each passage's
place, anchor, footnote and citing entry: sources.highlight.Mark), the lines an
editor marked as furniture, the title, and the page's language (whose words name
the furniture and the citing entries) with the text's, so each process keeps the
last few drawings by exactly those: a drawing is found again only for the same
text with the same marks, never after either changed, and the page still reads both afresh each time. Cutting and drawing
the longest fixture source (35,000 characters) took 1.25 ms; finding it again
(hashing a text read afresh), 0.03 ms.
"""

import functools
import html
import re
from typing import NamedTuple

from django import template
from django.conf import settings
from django.template.defaultfilters import truncatewords
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import normalize_newlines
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _

from partnerships.numbers import format_number
from partnerships.translations import DEFAULT

from ..highlight import blocks

register = template.Library()


def _page_language():
    return get_language() or DEFAULT


def _right_to_left(language):
    return language.split("-")[0] in settings.LANGUAGES_BIDI


def language_attributes(language, page=None):
    """' lang="ar" dir="rtl"': what marks a part in `language` on a page in `page`
    (the page's language by default): its language where it is not the page's, and
    its direction where that is not the page's. Nothing for the page's language."""
    page = page or _page_language()
    if not language or language == page:
        return ""
    attributes = f' lang="{escape(language)}"'
    if _right_to_left(language) != _right_to_left(page):
        attributes += f' dir="{"rtl" if _right_to_left(language) else "ltr"}"'
    return attributes


@register.simple_tag
def in_language(language, text=None):
    """The attributes of the source's title (`text`) or of its text (no `text`), in the
    source's `language`: language_attributes(), but dir="auto" for a `text` holding
    right-to-left letters, which takes the direction of its first strong letter."""
    if text is None or not _RTL.search(str(text)):
        return mark_safe(language_attributes(language))
    page = _page_language()
    lang = f' lang="{escape(language)}"' if language and language != page else ""
    return mark_safe(f'{lang} dir="auto"')


class _Page(NamedTuple):
    """What the words a drawing adds to the text depend on."""

    language: str  # the page's
    # The attributes of those words, in the page's language within the text's.
    attributes: str


def _sentence(message, **parts):
    """A translated `message` with its placeholders filled with `parts`, each escaped
    unless it is markup already."""
    return mark_safe(
        escape(message) % {name: conditional_escape(part) for name, part in parts.items()}
    )


def _isolated(text, language, page):
    """`text` in <bdi>, marked with its `language` where it is not the `page`'s."""
    lang = f' lang="{escape(language)}"' if language and language != page else ""
    return format_html("<bdi{}>{}</bdi>", mark_safe(lang), text)


@register.filter
def isolated(text, language=None):
    """`text` isolated in <bdi>, marked with its language where it is not the page's:
    `language`, or the one a Localized text knows (an entry's English name on a
    French page)."""
    return _isolated(str(text), language or getattr(text, "lang", None), _page_language())


@register.filter
def number(value):
    """A count as the page's language writes it (partnerships.numbers)."""
    return format_number(value)


def _entry_name(mark, page):
    """The citing entry's name, isolated (see `isolated`)."""
    return _isolated(mark.entry, mark.entry_lang, page.language)


@register.simple_tag
def source_text(text, marks, furniture="", title="", language=""):
    """`text` in headings, paragraphs, lists and tables, its page furniture folded
    away, the passages `marks` (a tuple of Marks) place marked in it; `language`, the
    text's (Source.language)."""
    page = _page_language()
    return _drawn(text, marks, furniture, title, _Page(page, language_attributes(page, language)))


# Drawings kept per process: a few long texts (50,000 characters drawn are about
# 60 KB), as the same source pages are asked for again and again.
@functools.lru_cache(maxsize=16)
def _drawn(text, marks, furniture, title, page):
    return mark_safe(
        "\n".join(_block(block, page) for block in blocks(text, marks, furniture, title))
    )


# Right-to-left letters (Hebrew, Arabic and their presentation forms): a block holding
# any takes its direction from its first strong letter (dir="auto").
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def _block(block, page):
    if block.kind == "furniture":
        summary = ngettext(
            "Page furniture of the original web page (%(count)s line)",
            "Page furniture of the original web page (%(count)s lines)",
            block.lines,
        ) % {"count": format_number(block.lines)}
        inner = "\n".join(_block(shown, page) for shown in block.blocks)
        # Open when a cited passage is in it, so that its anchor is seen.
        return (
            f'<details class="furniture"{" open" if block.cited else ""}>'
            f"<summary{page.attributes}>{escape(summary)}</summary>\n"
            f"{inner}\n</details>"
        )
    if block.kind == "list":
        return "\n".join(_list(shown, page) for shown in block.lists)
    if block.kind == "table":
        return _table(block.rows, page)
    tag = f"h{block.level}" if block.kind == "heading" else "p"
    return f"<{tag}{_direction(block.pieces)}>{_pieces(block.pieces, page)}</{tag}>"


def _direction(pieces):
    return ' dir="auto"' if any(_RTL.search(piece.text) for piece in pieces) else ""


def _list(shown, page):
    tag = "ol" if shown.ordered else "ul"
    start = f' start="{shown.start}"' if shown.ordered and shown.start != 1 else ""
    items = "".join(
        f"<li>{_pieces(item.pieces, page)}"
        f"{''.join(_list(child, page) for child in item.children)}</li>"
        for item in shown.items
    )
    # The list's direction, not its items' (dir="auto" would not look into an item
    # of its own), so that right-to-left bullets sit in the room the list leaves them.
    direction = _direction([piece for item in shown.items for piece in item.pieces])
    return f"<{tag}{start}{direction}>{items}</{tag}>"


def _table(rows, page):
    header, *body = rows
    head = "".join(f'<th scope="col"{_direction(c)}>{_pieces(c, page)}</th>' for c in header)
    lines = []
    for label, *cells in body:
        row = "".join(f"<td{_direction(c)}>{_pieces(c, page)}</td>" for c in cells)
        lines.append(
            f'<tr><th scope="row"{_direction(label)}>{_pieces(label, page)}</th>{row}</tr>'
        )
    return (
        f'<div class="source-table"><table>\n<thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{chr(10).join(lines)}\n</tbody>\n</table></div>"
    )


def _pieces(pieces, page):
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
        parts.extend(_cited_by(mark, page) for mark in piece.ends)
    return "".join(parts)


def _cited_by(mark, page):
    if mark.disputes:
        words = pgettext("a cited passage", "disputes %(entry)s, note %(number)s")
    else:
        words = _("cited by %(entry)s, note %(number)s")
    return format_html(
        '<a class="{}"{} href="{}">{}</a>',
        "cited-by dispute" if mark.disputes else "cited-by",
        mark_safe(page.attributes),
        mark.entry_url,
        _sentence(words, entry=_entry_name(mark, page), number=format_number(mark.number)),
    )


@register.simple_tag
def passage_index(passages, language=""):
    """The <li>s of "Cited passages": each passage once (`passages`, from
    sources.highlight.passages(), in the text's order), its quote's start linking to
    it, then every entry citing it with its note number; `language`, the quotes'
    (Source.language). Kept by the passages, as the text's drawing is: a hundred
    quotes cut to their first words took 3.5 ms."""
    page = _page_language()
    return _index(passages, _Page(page, language_attributes(page, language)), language)


@functools.lru_cache(maxsize=16)
def _index(passages, page, language):
    between = pgettext("between clauses", "; ")
    return format_html_join(
        "",
        '<li><a href="#citation-{}">{}</a> — {}</li>',
        (
            (
                marks[0].citation,
                _sentence(
                    pgettext("quoted text", "“%(text)s”"),
                    text=_isolated(truncatewords(marks[0].quote, 12), language, page.language),
                ),
                mark_safe(between.join(_citing(mark, page) for mark in marks)),  # each escaped
            )
            for marks in passages
        ),
    )


def _citing(mark, page):
    link = format_html('<a href="{}">{}</a>', mark.entry_url, _entry_name(mark, page))
    said = _sentence(
        _("%(entry)s, note %(number)s"), entry=link, number=format_number(mark.number)
    )
    if not mark.disputes:
        return said
    label = pgettext("a cited passage", "disputes")
    return format_html('<strong class="dispute-label">{}</strong> {}', label, said)
