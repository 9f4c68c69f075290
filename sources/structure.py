"""The structure of a source's text, recognised for reading: headings, paragraphs,
lists, tables, page furniture.

The stored text is the document verbatim, as citations are checked against it,
so nothing here changes it: each recognised part is a span of offsets into the
(NFC) text, and whatever lies between spans (list bullets, "#" marks, a table's
spacing) is simply not shown. The rules are conservative, since a wrong guess
turns a sentence into a heading:

- paragraphs are separated by a blank line, or follow a line of 100 characters
  or more that ends a sentence (texts pasted one paragraph to a line); shorter
  line breaks stay line breaks;
- a heading is a markdown "#" line, a line that is the source's own title, or a
  lone short line that reads like a title (at most 90 characters, its first
  letter a capital, ending on a word, a figure, a quote or a bracket) with more text
  after it; a lone numbered line ending with a colon ("2. Facing the growing
  Russian role:") is a subheading;
- list items begin with a bullet or a number; deeper indentation nests them;
- a table is a block of lines in columns: markdown pipes, cells split by tabs
  or two or more spaces, or rows ending in the same number of figures under a
  header line with as many figures (the metrics table of a commentary);
- furniture is any part whose every line sources.furniture recognises.
"""

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from .furniture import furniture_rule
from .text import normalize

HEADING_LENGTH = 90  # characters: a longer line is a sentence, not a title
SPACED_CELL = 40  # characters: longer, it is prose with two spaces after a full stop
PARAGRAPH_LINE = 100  # characters: a line this long ending a sentence ends its paragraph

_LINE = re.compile(r"[^\n]*\n?")
_MARKDOWN_HEADING = re.compile(r"[ \t]*(#{1,6})[ \t]+(?=\S)")
_LIST_ITEM = re.compile(r"([ \t]*)(?:[•\-*–·▪◦‣●]|(\d{1,3})[.)])[ \t\u00a0]+(?=\S)")
_SENTENCE_END = '.!?:…"”’)'
_TITLE_END = "”’\"')"  # a title ends on a word, a figure, a quote or a bracket
_PIPE_RULE = re.compile(r"[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*")
_CELL_WORDS = re.compile(r"\S+(?: \S+)*")  # words apart by single spaces
_TOKEN = re.compile(r"\S+")
_FIGURE = re.compile(r"[(\-+]?[$€£¥]?[\-+]?\d[\d,.]*(?:%|[kKmMbB]n?)?\)?")


@dataclass(frozen=True)
class Line:
    start: int  # the first character after its indentation
    end: int  # after its last visible character
    indent: int
    text: str  # stripped


@dataclass
class Unit:
    """A recognised part of the text: a heading, a paragraph, a list item or a table."""

    kind: str  # "heading", "paragraph", "item" or "table"
    start: int
    end: int
    lines: list
    level: int = 0  # a heading's: 3 to 6, under the page's "Full text" heading
    indent: int = 0  # a list item's
    ordered: bool = False
    number: int = 1
    rows: list = field(default_factory=list)  # a table's: rows of (start, end) cells
    furniture: bool = False


def _lines(text):
    """The text's lines, blank ones as None."""
    for found in _LINE.finditer(text):
        raw = found.group().removesuffix("\n")
        stripped = raw.strip()
        if not stripped:
            yield None
            continue
        start = found.start() + (len(raw) - len(raw.lstrip()))
        end = found.start() + len(raw.rstrip())
        indent = len(raw) - len(raw.lstrip())
        yield Line(start, end, indent, stripped)


def _blocks(text):
    """Runs of lines between blank lines."""
    block = []
    for line in _lines(text):
        if line is None:
            if block:
                yield block
            block = []
        else:
            block.append(line)
    if block:
        yield block


@functools.lru_cache(maxsize=16)
def units(text, furniture="", title=""):
    """The recognised parts of `text` (NFC) in order, each marked furniture or not.
    Kept per process by the text, the marked furniture and the title, as the drawing
    of the text is (sources.templatetags.source_text)."""
    text = unicodedata.normalize("NFC", text)
    title_key = normalize(title).casefold()
    is_furniture = furniture_rule(furniture)
    found = [
        unit for block in _blocks(text) for unit in _units_of_block(block, title_key, is_furniture)
    ]
    for position, unit in enumerate(found):
        # A lone title-like line is a heading when more of the text follows it.
        if (
            unit.kind == "paragraph"
            and len(unit.lines) == 1
            and position + 1 < len(found)
            and _title_like(unit.lines[0].text, title_key)
        ):
            unit.kind, unit.level = "heading", 3
    for unit in found:
        unit.furniture = all(is_furniture(line.text) for line in unit.lines)
        if unit.furniture and unit.kind == "heading":
            unit.kind = "paragraph"
    return tuple(found)


def _title_like(line, title_key):
    if title_key and normalize(line).casefold() == title_key:
        return True
    if len(line) > HEADING_LENGTH or not (line[-1].isalnum() or line[-1] in _TITLE_END):
        return False
    first = next((char for char in line if char.isalpha()), "")
    return first.isupper()


def _units_of_block(block, title_key, is_furniture):
    table = _table(block)
    if table is not None:
        yield table
        return
    current = None
    for line in block:
        heading = _MARKDOWN_HEADING.match(line.text)
        item = _LIST_ITEM.match(line.text)
        if (
            heading
            or item
            or current is None
            # A line of furniture is a part of its own, even within a paragraph.
            or is_furniture(line.text) != is_furniture(current.lines[-1].text)
            or _starts_anew(current, line, title_key)
        ):
            if current is not None:
                yield current
            current = None
        if heading:
            level = min(2 + len(heading.group(1)), 6)
            yield Unit("heading", line.start + heading.end(), line.end, [line], level=level)
        elif item and len(block) == 1 and item.group(2) and _numbered_title(line.text):
            yield Unit("heading", line.start, line.end, [line], level=4)
        elif item:
            current = Unit(
                "item",
                line.start + item.end(),
                line.end,
                [line],
                indent=line.indent,
                ordered=bool(item.group(2)),
                number=int(item.group(2) or 1),
            )
        elif current is None:
            current = Unit("paragraph", line.start, line.end, [line])
        else:
            current.end = line.end
            current.lines.append(line)
    if current is not None:
        yield current


def _starts_anew(current, line, title_key):
    """Whether `line` begins a new part rather than continuing `current`."""
    previous = current.lines[-1]
    if current.kind == "item":
        return line.indent <= current.indent
    if len(previous.text) >= PARAGRAPH_LINE and previous.text[-1] in _SENTENCE_END:
        return True
    # A title above a paragraph, with no blank line between.
    return (
        len(current.lines) == 1
        and len(line.text) >= PARAGRAPH_LINE
        and _title_like(previous.text, title_key)
    )


def _numbered_title(line):
    return len(line) <= HEADING_LENGTH and line.endswith(":")


# -- tables ----------------------------------------------------------------


def _table(block):
    if len(block) < 3:
        return None
    rows = _pipe_rows(block) or _spaced_rows(block) or _figure_rows(block)
    if rows is None:
        return None
    return Unit("table", block[0].start, block[-1].end, list(block), rows=rows)


def _pipe_rows(block):
    if not all("|" in line.text for line in block) or not _PIPE_RULE.fullmatch(block[1].text):
        return None
    rows = []
    for line in (block[0], *block[2:]):
        cells, position = [], line.start
        parts = line.text.split("|")
        for index, part in enumerate(parts):
            edge = index in (0, len(parts) - 1) and not part.strip()
            if not edge:
                lead = len(part) - len(part.lstrip())
                cells.append((position + lead, position + lead + len(part.strip())))
            position += len(part) + 1
        rows.append(cells)
    return rows if _rectangular(rows) else None


def _spaced_rows(block):
    """Cells apart by a tab or two spaces or more, as many in every line."""
    if any("  " not in line.text and "\t" not in line.text for line in block):
        return None
    rows = []
    for line in block:
        cells = []
        for part in re.finditer(r"[^\t]+", line.text):
            for cell in _CELL_WORDS.finditer(part.group()):
                offset = line.start + part.start() + cell.start()
                cells.append((offset, offset + len(cell.group())))
        rows.append(cells)
    short = all(end - start <= SPACED_CELL for row in rows for start, end in row)
    return rows if short and _rectangular(rows) else None


def _figure_rows(block):
    """Rows of a label and figures, under a header with as many figures (a year, say):

        Key Metric 2023 Projected 2028
        Morocco Defense Spending (USD Billions) $3.6 $5.2

    The header's first figure heads the first column of figures; each later one
    takes the words before it ("Projected 2028"); the words before the first
    are the labels' header."""
    columns = None
    rows = []
    for line in block[1:]:
        tokens = [
            (line.start + t.start(), line.start + t.end()) for t in _TOKEN.finditer(line.text)
        ]
        figures = 0
        while figures < len(tokens) and _is_figure(line, tokens[-1 - figures]):
            figures += 1
        if figures == 0 or figures == len(tokens) or columns not in (None, figures):
            return None
        columns = figures
        label = tokens[:-figures]
        rows.append([(label[0][0], label[-1][1]), *tokens[-figures:]])
    header = block[0]
    tokens = [
        (header.start + t.start(), header.start + t.end()) for t in _TOKEN.finditer(header.text)
    ]
    at = [index for index, token in enumerate(tokens) if _is_figure(header, token)]
    if len(at) != columns or not at or at[-1] != len(tokens) - 1 or at[0] == 0:
        return None
    cells = [(tokens[0][0], tokens[at[0] - 1][1]), tokens[at[0]]]
    cells += [(tokens[before + 1][0], tokens[here][1]) for before, here in itertools.pairwise(at)]
    return [cells, *rows]


def _is_figure(line, token):
    start, end = token
    offset = start - line.start
    return bool(_FIGURE.fullmatch(line.text[offset : offset + end - start]))


def _rectangular(rows):
    return len({len(row) for row in rows}) == 1 and len(rows[0]) >= 2
