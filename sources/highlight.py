"""A source's full text cut into paragraphs and pieces, cited passages marked.

Each citation's passage is found with text.locate(), so a quote matches the
document the same way the citation checker matched it. The template renders
the pieces; nothing here builds HTML.
"""

import bisect
import itertools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from .text import locator

PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


class Mark(NamedTuple):
    """A cited passage as the source page draws it, and nothing else: a tuple of plain
    values, so that a drawing of the text can be kept by what it is made of
    (sources.templatetags.source_text)."""

    start: int
    end: int
    citation: int  # the citation's id, the passage's anchor
    number: int  # its footnote's number on its entry's page
    disputes: bool
    entry: str  # the citing entry's name
    entry_url: str  # its footnote on the entry's page
    quote: str  # as the citation gives it (the passage index shows its start)


@dataclass
class Piece:
    text: str
    marked: bool = False
    starts: list = field(default_factory=list)  # passages that begin here: anchors
    ends: list = field(default_factory=list)  # passages that end here: links back


def cited_passages(text, citations):
    """(a tuple of the Marks of the passages found in `text`, in the citations' order;
    the citations whose quote it no longer contains). The citations come with their
    footnote numbers (`Citation.objects.numbered()`)."""
    locate = locator(text)
    found, missing = [], []
    for citation in citations:
        span = locate(citation.quote)
        if span is None:
            missing.append(citation)
            continue
        number = citation.number
        entry = citation.entry
        found.append(
            Mark(
                *span,
                citation.pk,
                number,
                citation.stance == "disputes",
                str(entry),
                f"{entry.get_absolute_url()}#cite-{number}",
                citation.quote,
            )
        )
    return tuple(found), missing


def paragraphs(text, passages):
    """The text as paragraphs of pieces, each piece marked when a passage (anything
    with a start and an end, such as a Mark) covers it.

    One pass over the cuts: how many passages are open at each cut says whether
    the piece after it is marked, so the work grows with the passages and the
    cuts, not with their product (200 passages: 40,000 comparisons a page).
    """
    text = unicodedata.normalize("NFC", text)
    starting, ending = defaultdict(list), defaultdict(list)
    for passage in passages:
        starting[passage.start].append(passage)
        ending[passage.end].append(passage)
    cuts = sorted({0, len(text), *starting, *ending})
    # How many passages cover the piece that begins at each cut.
    covering, open_passages = {}, 0
    for cut in cuts:
        open_passages += len(starting.get(cut, ())) - len(ending.get(cut, ()))
        covering[cut] = open_passages
    result = []
    for start, end in _paragraph_spans(text):
        inner = cuts[bisect.bisect_right(cuts, start) : bisect.bisect_left(cuts, end)]
        bounds = [start, *inner, end]
        pieces = []
        for left, right in itertools.pairwise(bounds):
            pieces.append(
                Piece(
                    text[left:right],
                    marked=covering[_at_or_before(cuts, left)] > 0,
                    starts=list(starting.get(left, ())),
                    ends=list(ending.get(right, ())),
                )
            )
        result.append(pieces)
    return result


def _at_or_before(cuts, position):
    """The last cut at or before `position` (a paragraph may begin between two cuts)."""
    return cuts[bisect.bisect_right(cuts, position) - 1]


def _paragraph_spans(text):
    position = 0
    for separator in PARAGRAPH_BREAK.finditer(text):
        yield from _stripped(text, position, separator.start())
        position = separator.end()
    yield from _stripped(text, position, len(text))


def _stripped(text, start, end):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end
