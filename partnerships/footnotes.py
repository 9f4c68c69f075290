"""An entry page's footnotes: which of its citations state or dispute each fact.

Citations are numbered on their entry's page in the order they were added (their
ids), as FootnoteNumber numbers them on source pages. Each fact in the fact box
carries the markers of the citations that state it, "citation needed" when it has
a value no citation states, and its dispute beside it; the summary's sentences
carry the markers editors place in them as "[2]", the footnote's number.

Their words are in the page's language; a quote never is translated: it is the
source's own words, marked with the source's language where that is not the page's.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape

from django.utils.html import linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import facts as fact_rules
from .links import site_link
from .translations import page_language

# "[2]" in a summary: the footnote numbered 2 on the entry's page.
MARKER = re.compile(r"\[([0-9]{1,4})\]")


def markers_in(text):
    return [int(number) for number in MARKER.findall(text or "")]


def unknown_markers(text, count):
    """The markers of `text` that point to no footnote, when the entry has `count`."""
    return sorted({number for number in markers_in(text) if not 1 <= number <= count})


def unknown_markers_message(wrong, count):
    listed = ", ".join(f"[{number}]" for number in wrong)
    has = f"{count} citation{'s' if count != 1 else ''}" if count else "no citation"
    return (
        f"marker{'s' if len(wrong) > 1 else ''} {listed} point{'' if len(wrong) > 1 else 's'} "
        f"to no footnote: this entry has {has}. A marker is the number of a citation "
        "below, in the order they are listed: [1] is the first."
    )


@dataclass
class Note:
    number: int
    citation: object
    keys: tuple
    labels: tuple = ()  # the facts it states or disputes, as readers see them named
    anchored: bool = field(default=False)

    @property
    def disputes(self):
        return self.citation.stance == "disputes"

    @property
    def quote_language(self):
        """The quote's language where it is not the page's (`quote_language`), else ""."""
        return quote_language(self.citation)


class FactNotes:
    """The footnotes of one entry's page. `citations` are in footnote order; `partners`
    names the partners its link facts may name ({partner id: name}), `linked` anything
    else they name ({("person", id): name}, as fact_rules.label() reads it)."""

    def __init__(self, entry_field, entry, citations, partners=None, *, linked=None):
        self.entry_field = entry_field
        self.entry = entry
        self.partners = {("partner", pk): name for pk, name in (partners or {}).items()}
        self.partners.update(linked or {})
        self.facts = fact_rules.facts_of(entry_field)
        self.notes = []
        for number, citation in enumerate(citations, start=1):
            keys = tuple(citation.fact_keys)
            labels = tuple(fact_rules.label(entry_field, key, self.partners) for key in keys)
            self.notes.append(Note(number, citation, keys, labels))
        self._stating = defaultdict(list)
        self._disputing = defaultdict(list)
        for note in self.notes:
            for key in note.keys:
                (self._disputing if note.disputes else self._stating)[key].append(note)

    def __iter__(self):
        return iter(self.notes)

    def __len__(self):
        return len(self.notes)

    def stating(self, key):
        return self._stating.get(key, [])

    def disputing(self, key):
        return self._disputing.get(key, [])

    def has_value(self, key):
        fact = self.facts.get(key)
        # A link's fact is shown only for a link the entry has.
        return fact.value_of(self.entry) if fact else True

    def needs_citation(self, key):
        return self.has_value(key) and not self.stating(key)

    @property
    def attested(self):
        """Whether any citation speaks to the entry's existence, for or against."""
        return bool(self.stating(fact_rules.EXISTENCE) or self.disputing(fact_rules.EXISTENCE))

    @property
    def disputed_labels(self):
        """The disputed facts, as readers see them named, in the page's order."""
        keys = dict.fromkeys(k for note in self.notes if note.disputes for k in note.keys)
        return [fact_rules.label(self.entry_field, key, self.partners) for key in keys]

    def link_key(self, number, prefix=None):
        """The key of a link fact: of the type's first kind of link ("party:12"), or of the
        one `prefix` names ("person:3")."""
        links = fact_rules.links_of(self.entry_field)
        link = next((link for link in links if link.prefix == prefix), links[0])
        return link.key(number)

    # -- HTML ------------------------------------------------------------

    def marker(self, note):
        """<sup>[n]</sup> linking to the footnote; the first marker of each is the one the
        footnote links back to."""
        anchor = "" if note.anchored else f' id="ref-{note.number}"'
        note.anchored = True
        if note.disputes:
            label = _("Disputing source %(number)s") % {"number": note.number}
        else:
            label = _("Source %(number)s") % {"number": note.number}
        return (
            f'<sup class="ref"><a href="#cite-{note.number}"{anchor} '
            f'aria-label="{escape(label)}">[{note.number}]</a></sup>'
        )

    def fact(self, key):
        """The markers of the citations stating `key`, "citation needed" where none does
        and it has a value, and its dispute, to follow its value."""
        html = "".join(self.marker(note) for note in self.stating(key))
        if not html and self.has_value(key):
            needed = escape(_("citation needed"))
            html = (
                f'<sup class="citation-needed"><a href="{site_link("quality")}'
                f'#uncited">[{needed}]</a></sup>'
            )
        return mark_safe(html + self.dispute(key))

    def dispute(self, key):
        """A fact's dispute, with the disputing quotes and those it contradicts; the
        quotes in their sources' words and language (`quoted`)."""
        disputing = self.disputing(key)
        if not disputing:
            return ""
        against = self.stating(key)
        said = " ".join(f"{quoted(n.citation)}{self.marker(n)}" for n in disputing)
        disputed = escape(pgettext("a fact a source contradicts", "Disputed:"))
        text = (
            f'<span class="fact-dispute"><strong class="dispute-label">{disputed}</strong> {said}'
        )
        if against:
            held = " ".join(f"{quoted(n.citation)}{self.marker(n)}" for n in against)
            # Translators: before the quotes that state what a disputing source contradicts.
            against_label = escape(pgettext("quotes a dispute contradicts", "Against:"))
            text += f" {against_label} {held}"
        return text + "</span>"

    def summary(self, text):
        """The summary as paragraphs, its "[n]" markers linked to their footnotes."""
        html = linebreaks(escape(text))

        def linked(match):
            number = int(match.group(1))
            if 1 <= number <= len(self.notes):
                return self.marker(self.notes[number - 1])
            return match.group(0)

        return mark_safe(MARKER.sub(linked, html))


def quote_language(citation):
    """The language of a citation's quote, its source's, when it is not the page's: what
    its element's lang says (a quote is never translated), else ""."""
    language = getattr(citation.source, "language", "")
    return language if language and language != page_language() else ""


def quoted(citation):
    """<q> around a citation's quote; where it is not in the page's language, marked with
    its own and isolated (dir="auto"), so that its punctuation stays with its words."""
    language = quote_language(citation)
    marked = f' lang="{escape(language)}" dir="auto"' if language else ""
    return f"<q{marked}>{escape(citation.quote)}</q>"
