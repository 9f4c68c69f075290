"""Page furniture: the lines a source's text took from the web page it was copied
from rather than from the document (comment counts, subscribe boxes, "you may
also like", sharing prompts, "see also" links, site menus).

The stored text keeps them, since it is verbatim and citations are checked
against it; the source page folds them away. Some are recognised by the
patterns below; an editor lists any others on the source (Source.furniture),
by the line's words rather than its number, so that amending the text elsewhere
does not move the mark onto another line.
"""

import re

from .text import normalize

# Whole lines, compared once normalize()d (quotes, dashes and spaces made
# uniform) and case-folded. Each is a line no document would say as its own.
DEFAULT_PATTERNS = re.compile(
    r"""
    \d[\d,.]*\s+comments?
    | no\s+comments(\s+yet)?
    | leave\s+a\s+(reply|comment)
    | discover\s+more\s+from\s+.+
    | subscribe(\s+(now|to\s+get\s+the\s+latest\s+posts.*))?
    | type\s+your\s+email.*
    | you\s+may\s+also\s+like:?
    | related(\s+(posts|articles|stories))?:?
    | share\s+this(\s+(article|post|story))?:?
    | (click|tap)\s+to\s+share.*
    | like\s+this:?
    | continue\s+reading.*
    | see\s+also(:?|\s{2,}.+)
    | .*\bshare\s+your\s+(insights|thoughts|views)\s+in\s+the\s+comments(\s+below)?[.!]?
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Characters: the longest line a default pattern is let to match.
DEFAULT_LONGEST = 200
# "See also  Title": normalize() would collapse the two spaces the pattern
# needs, so the line's own spacing is matched for it.
_SEE_ALSO = re.compile(r"see also\s{2,}\S.*", re.IGNORECASE)


def _key(line):
    return normalize(line).casefold()


def marked_lines(furniture):
    """The lines an editor marked (Source.furniture), as furniture_rule() compares them."""
    return frozenset(key for line in furniture.splitlines() if (key := _key(line)))


def furniture_rule(furniture=""):
    """A function telling whether a line of the text is furniture: a default pattern's,
    or one of the lines `furniture` (Source.furniture) lists."""
    marked = marked_lines(furniture)
    # Lines longer than any pattern's or marked line's are prose: not normalized at all
    # (a long text is hundreds of long lines, each looked at more than once).
    longest = max([DEFAULT_LONGEST, *(2 * len(key) for key in marked)])

    def is_furniture(line):
        stripped = line.strip()
        if not stripped or len(stripped) > longest:
            return False
        if _SEE_ALSO.fullmatch(stripped):
            return True
        key = _key(stripped)
        return key in marked or bool(DEFAULT_PATTERNS.fullmatch(key))

    return is_furniture


def stray_furniture(furniture, text):
    """The lines of `furniture` that are not lines of `text`, as the editor wrote them."""
    lines = {_key(line) for line in text.splitlines()}
    return [
        line.strip() for line in furniture.splitlines() if _key(line) and _key(line) not in lines
    ]
