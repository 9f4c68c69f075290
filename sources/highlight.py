"""A source's full text cut into blocks and pieces, cited passages marked.

Each citation's passage is found with text.locate(), so a quote matches the
document the same way the citation checker matched it; the blocks (headings,
paragraphs, lists, tables, folded page furniture) are sources.structure's.
A passage crossing blocks is marked in each. The template tag renders the
pieces; nothing here builds HTML.
"""

import bisect
import itertools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from .models import name_entries
from .structure import units
from .text import locator

# Markdown emphasis, shown as emphasis, its asterisks not shown.
STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
EMPHASIS = re.compile(r"(?<![*\w])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![*\w])")


class Mark(NamedTuple):
    """A cited passage as the source page draws it, and nothing else: a tuple of plain
    values, so that a drawing of the text can be kept by what it is made of
    (sources.templatetags.source_text)."""

    start: int
    end: int
    citation: int  # the citation's id, the passage's anchor
    number: int  # its footnote's number on its entry's page
    disputes: bool
    entry: str  # the citing entry's name, in the page's language where it has one
    entry_url: str  # its footnote on the entry's page
    quote: str  # as the citation gives it (the passage index shows its start)
    entry_lang: str = "en"  # the language `entry` is in


@dataclass
class Piece:
    text: str
    marked: bool = False
    starts: list = field(default_factory=list)  # passages that begin here: anchors
    ends: list = field(default_factory=list)  # passages that end here: links back
    style: str = ""  # "strong" or "em": markdown emphasis
    start: int = 0  # its place in the text


def cited_passages(text, citations):
    """(a tuple of the Marks of the passages found in `text`, in the citations' order;
    the citations whose quote it no longer contains). The citations come with their
    footnote numbers (`Citation.objects.numbered()`); each is given its `entry_name`
    (sources.models.name_entries), which the page names its entry by."""
    name_entries(citations)
    locate = locator(text)
    found, missing = [], []
    for citation in citations:
        span = locate(citation.quote)
        if span is None:
            missing.append(citation)
            continue
        number = citation.number
        name = citation.entry_name
        found.append(
            Mark(
                *span,
                citation.pk,
                number,
                citation.stance == "disputes",
                str(name),
                f"{citation.entry.get_absolute_url()}#cite-{number}",
                citation.quote,
                name.lang,
            )
        )
    return tuple(found), missing


def passages(marks):
    """The passages `marks` mark, each once, in the text's order: tuples of the marks
    of one place (start and end), in the citations' order. The "Cited passages" index
    lists each with all the entries citing it."""
    grouped = defaultdict(list)
    for mark in marks:
        grouped[mark.start, mark.end].append(mark)
    return tuple(tuple(grouped[place]) for place in sorted(grouped))


@dataclass
class ListBlock:
    ordered: bool
    start: int
    items: list = field(default_factory=list)  # of ListItem


@dataclass
class ListItem:
    pieces: list
    children: list = field(default_factory=list)  # of ListBlock


@dataclass
class Block:
    """One block of the text as the page shows it."""

    kind: str  # "heading", "paragraph", "list", "table" or "furniture"
    pieces: list = field(default_factory=list)  # a heading's or a paragraph's
    level: int = 0  # a heading's
    lists: list = field(default_factory=list)  # a list's: ListBlocks, the top level
    rows: list = field(default_factory=list)  # a table's: rows of cells of pieces
    blocks: list = field(default_factory=list)  # furniture's: the blocks folded away
    lines: int = 0  # furniture's: how many lines of the text it holds
    cited: bool = False  # furniture's: whether a passage is marked in it


def blocks(text, passages, furniture="", title=""):
    """The text as Blocks of pieces, each piece marked when a passage (anything with a
    start and an end, such as a Mark) covers it.

    One pass over the cuts: how many passages are open at each cut says whether
    the piece after it is marked, so the work grows with the passages and the
    cuts, not with their product (200 passages: 40,000 comparisons a page). A
    passage's anchor goes before the first piece it covers and its links back after
    the last, so a passage starting or ending on what is not shown (a bullet, a
    table's spacing, an asterisk) keeps both.
    """
    text = unicodedata.normalize("NFC", text)
    parts = units(text, furniture, title)
    cutter = _Cutter(text, passages)
    drawn = [(unit, _pieces_of(unit, text, cutter)) for unit in parts]
    _place_anchors(passages, [piece for _, pieces in drawn for piece in _flat(pieces)])
    result = []
    for is_furniture, group in itertools.groupby(drawn, key=lambda pair: pair[0].furniture):
        group = list(group)
        shown = _blocks_of(group)
        if not is_furniture:
            result.extend(shown)
            continue
        pieces = [piece for _, unit_pieces in group for piece in _flat(unit_pieces)]
        result.append(
            Block(
                "furniture",
                blocks=shown,
                lines=sum(len(unit.lines) for unit, _ in group),
                cited=any(p.marked or p.starts or p.ends for p in pieces),
            )
        )
    return result


class _Cutter:
    def __init__(self, text, passages):
        self.text = text
        starting, ending = defaultdict(list), defaultdict(list)
        for passage in passages:
            starting[passage.start].append(passage)
            ending[passage.end].append(passage)
        self.cuts = sorted({0, len(text), *starting, *ending})
        # How many passages cover the piece that begins at each cut.
        self.covering, open_passages = {}, 0
        for cut in self.cuts:
            open_passages += len(starting.get(cut, ())) - len(ending.get(cut, ()))
            self.covering[cut] = open_passages

    def pieces(self, start, end, style=""):
        cuts = self.cuts
        inner = cuts[bisect.bisect_right(cuts, start) : bisect.bisect_left(cuts, end)]
        return [
            Piece(
                self.text[left:right],
                marked=self.covering[cuts[bisect.bisect_right(cuts, left) - 1]] > 0,
                style=style,
                start=left,
            )
            for left, right in itertools.pairwise([start, *inner, end])
        ]


def _pieces_of(unit, text, cutter):
    """A unit's pieces; a table's, as rows of cells of pieces."""
    if unit.kind == "table":
        return [[_span_pieces(text, cell, cutter) for cell in row] for row in unit.rows]
    return _span_pieces(text, (unit.start, unit.end), cutter)


def _span_pieces(text, span, cutter):
    """The pieces of text[start:end], its emphasis asterisks left out."""
    start, end = span
    hidden, styled = [], []
    for pattern, style, width in ((STRONG, "strong", 2), (EMPHASIS, "em", 1)):
        for found in pattern.finditer(text, start, end):
            inside = (found.start() + width, found.end() - width)
            if any(a < found.end() and found.start() < b for a, b in hidden):
                continue  # within or across another's asterisks
            hidden += [(found.start(), inside[0]), (inside[1], found.end())]
            styled.append((*inside, style))
    if not hidden:
        return cutter.pieces(start, end)
    bounds = sorted({start, end, *(b for pair in hidden for b in pair)})
    pieces = []
    for left, right in itertools.pairwise(bounds):
        if any(a <= left and right <= b for a, b in hidden):
            continue
        style = next((s for a, b, s in styled if a <= left and right <= b), "")
        pieces += cutter.pieces(left, right, style)
    return pieces


def _flat(pieces):
    """The pieces of a unit, a table's cell by cell, in the text's order."""
    for piece in pieces:
        if isinstance(piece, list):
            yield from _flat(piece)
        else:
            yield piece


def _place_anchors(passages, pieces):
    """Each passage's anchor on the first piece it covers, its links on the last."""
    starts = [piece.start for piece in pieces]
    ends = [piece.start + len(piece.text) for piece in pieces]
    for passage in passages:
        first = bisect.bisect_right(ends, passage.start)
        last = bisect.bisect_left(starts, passage.end) - 1
        if first >= len(pieces):
            continue
        last = max(last, first)  # nothing of it shown: both on the piece after it
        pieces[first].starts.append(passage)
        pieces[last].ends.append(passage)


def _blocks_of(group):
    """Blocks of consecutive units: list items gathered into (nested) lists."""
    result, items = [], []
    for unit, pieces in group:
        if unit.kind == "item":
            items.append((unit, pieces))
            continue
        if items:
            result.append(Block("list", lists=_nested(items)))
            items = []
        if unit.kind == "table":
            result.append(Block("table", rows=pieces))
        elif unit.kind == "heading":
            result.append(Block("heading", pieces=pieces, level=unit.level))
        else:
            result.append(Block("paragraph", pieces=pieces))
    if items:
        result.append(Block("list", lists=_nested(items)))
    return result


def _nested(items):
    """List items as lists, an item indented deeper than the one before it in a list
    inside that one, a numbered run and a bulleted one at one depth as two lists."""
    top, open_lists = [], []  # open_lists: (indent, ListBlock), outermost first
    for unit, pieces in items:
        while open_lists and unit.indent < open_lists[-1][0]:
            open_lists.pop()
        if (
            open_lists
            and unit.indent == open_lists[-1][0]
            and (open_lists[-1][1].ordered == unit.ordered)
        ):
            current = open_lists[-1][1]
        else:
            if open_lists and unit.indent == open_lists[-1][0]:
                open_lists.pop()
            current = ListBlock(unit.ordered, unit.number)
            (open_lists[-1][1].items[-1].children if open_lists else top).append(current)
            open_lists.append((unit.indent, current))
        current.items.append(ListItem(pieces))
    return top
