"""{% change_rows rows %} and {% revision_rows rows %}: the rows of recent changes and
of an entry's history, drawn by Python.

Each <td> carries its column's label (data-label), which a phone shows before the
cell when the rows stack as cards (static/css/site.css); {% history_heads "changes" %}
and {% history_heads "revisions" %} draw the same labels as the tables' headings.

The same markup as the templates' loops drew, without the template engine's
lookups and filters: the fixtures' 36 saves took 2.7 ms through the loop,
2.0 ms here (the rest is the saves' own addresses and actions). Every value is
escaped as the template escaped it, by format_html() or, in an entry's revision
rows, by text().
"""

import functools
from dataclasses import dataclass
from urllib.parse import quote

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, pgettext

from .list_rows import text
from .precise_dates import moment, moment_text

register = template.Library()

# Each table's column headings, in order: its rows' cells are labelled with them.
# The keys name the columns; `_words()` gives their headings in the page's language.
COLUMNS = {
    "changes": ("saved", "entry", "change", "editor", "summary", "review"),
    "revisions": ("from", "to", "saved", "editor", "summary", "what", "review"),
}


def _headings():
    return {
        "saved": pgettext("history column", "Saved"),
        "entry": pgettext("history column", "Entry"),
        "change": pgettext("history column", "Change"),
        "editor": pgettext("history column", "Editor"),
        "summary": pgettext("history column", "Edit summary"),
        "review": pgettext("history column", "Review"),
        "from": pgettext("history column", "From"),
        "to": pgettext("history column", "To"),
        "what": pgettext("history column", "What changed"),
    }


@dataclass(frozen=True)
class Words:
    """The fixed words of the rows, in one language, escaped and ready to write."""

    heads: dict  # {table: the <tr> of its headings}
    cells: dict  # {column key: ' data-label="…"'}
    change_row: str  # a change's row, for format_html()
    no_summary: str
    not_yet: str
    reviewed: str


@functools.lru_cache(maxsize=8)
def _words(language):
    """The rows' fixed words in `language`, worked out once per language: each page
    draws fifty rows with the same words."""
    headings = {key: escape(value) for key, value in _headings().items()}
    cells = {key: f' data-label="{value}"' for key, value in headings.items()}
    # On a phone the first of the two radio buttons is labelled for both.
    cells["from"] = ' data-label="{}"'.format(
        escape(pgettext("history column, on a phone", "Compare: from"))
    )
    heads = {
        table: "<tr>{}</tr>".format(
            "".join(f'<th scope="col">{headings[key]}</th>' for key in keys)
        )
        for table, keys in COLUMNS.items()
    }
    # The entry's name as the change log stored it: in English, so marked as such on
    # another language's page.
    lang = "" if language == settings.LANGUAGE_CODE else f' lang="{settings.LANGUAGE_CODE}"'
    change_row = (
        "<tr>\n"
        f'  <td{cells["saved"]}><a href="{{}}">{{}}</a></td>\n'
        f'  <th scope="row"><a href="{{}}" dir="auto"{lang}>{{}}</a>'
        ' <span class="muted">({})</span></th>\n'
        f"  <td{cells['change']}>{{}}</td>\n"
        f"  <td{cells['editor']}><bdi>{{}}</bdi></td>\n"
        f'  <td{cells["summary"]} dir="auto">{{}}</td>\n'
        f"  <td{cells['review']}>{{}}</td>\n"
        "</tr>"
    )
    no_summary = escape(gettext("no edit summary"))
    not_yet = escape(pgettext("review", "not yet"))
    reviewed = escape(pgettext("review", "reviewed"))
    return Words(
        heads=heads,
        cells=cells,
        change_row=change_row,
        no_summary=f'<span class="unknown">{no_summary}</span>',
        not_yet=f'<span class="unknown">{not_yet}</span>',
        reviewed=f'<span class="reviewed">{reviewed}</span>',
    )


def words():
    return _words(get_language() or settings.LANGUAGE_CODE)


@register.simple_tag
def history_heads(table):
    """The <tr> of `table`'s column headings."""
    return mark_safe(words().heads[table])  # escaped in _words()


@register.simple_tag(takes_context=True)
def change_rows(context, rows):
    """The <tr>s of recent changes; a reviewer gets a "Mark reviewed" button in each."""
    request = context["request"]
    can_review = request.user.has_perm("partnerships.add_reviewmark")
    review_form = _review_form(request) if can_review else None
    fixed = words()
    return mark_safe("\n".join(_change_row(change, review_form, fixed) for change in rows))


def _change_row(change, review_form, fixed):
    when = moment_text(change.date)
    action = change.action
    if change.detail:
        action = format_html(
            "{}",
            gettext("%(action)s: %(detail)s")
            % {"action": action, "detail": Truncator(change.detail).chars(80)},
        )
    if not change.created:
        link = gettext(
            '%(action)s · <a href="%(url)s">compare<span class="visually-hidden"> %(entry)s, '
            "%(date)s, with the revision before</span></a>"
        )
        action = mark_safe(
            link
            % {
                "action": conditional_escape(action),
                "url": escape(change.compare_url),
                "entry": escape(change.label),
                "date": escape(when),
            }
        )
    if change.username:
        editor = format_html(
            '<a href="?editor={}">{}</a>', quote(change.username, safe="/"), change.editor
        )
    else:
        editor = change.editor
    if change.reviewed:
        reviewer = change.review_mark.reviewer
        review = format_html(
            '<span class="reviewed">{}</span>',
            gettext("reviewed by %(reviewer)s")
            % {"reviewer": reviewer.get_full_name() or reviewer.get_username()},
        )
    elif review_form:
        review = review_form(change, when)
    else:
        review = mark_safe(fixed.not_yet)
    return format_html(
        fixed.change_row,
        change.revision_url,
        moment(change.date),
        change.history_url,
        change.label,
        change.type_noun,
        action,
        editor,
        change.summary or mark_safe(fixed.no_summary),
        review,
    )


def _review_form(request):
    token, back = get_token(request), request.get_full_path()
    button = gettext('Mark reviewed<span class="visually-hidden">: %(entry)s, %(date)s</span>')

    def form(change, when):
        return format_html(
            '<form method="post" action="{}" class="review-form inline">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="next" value="{}">'
            '<button type="submit">{}</button></form>',
            change.review_url,
            token,
            back,
            mark_safe(button % {"entry": escape(change.label), "date": escape(when)}),
        )

    return form


@register.simple_tag
def revision_rows(rows):
    """The <tr>s of an entry's history, the first two chosen for comparing."""
    fixed = words()
    sentences = {
        "compare": gettext(
            '<a href="%(url)s" class="compare-link">compare<span class="visually-hidden">'
            " revision %(number)s</span> with the one before</a>"
        ),
        "from": gettext("Compare from revision %(number)s"),
        "to": gettext("Compare to revision %(number)s"),
        "revision": gettext("Revision %(number)s, %(date)s"),
    }
    return mark_safe(
        "\n".join(_revision_row(row, i, fixed, sentences) for i, row in enumerate(rows))
    )


def _revision_row(row, index, fixed, sentences):
    # f-strings, each value escaped by text() as format_html() escaped it: 50 rows
    # took 1.54 ms through format_html() on generated data, 0.57 ms so.
    save = row.save
    token, number = text(save.token), save.number
    cells = fixed.cells
    what = text(row.what)
    if row.compare_url:
        link = sentences["compare"] % {"url": text(row.compare_url), "number": number}
        what = f"{what} {link}"
    chosen_from = " checked" if index == 1 else ""
    chosen_to = " checked" if index == 0 else ""
    review = fixed.reviewed if row.reviewed else fixed.not_yet
    summary = text(save.summary) if save.summary else fixed.no_summary
    compare_from = escape(sentences["from"] % {"number": number})
    compare_to = escape(sentences["to"] % {"number": number})
    revision = sentences["revision"] % {"number": number, "date": moment(save.date)}
    return (
        "<tr>\n"
        f'  <td{cells["from"]}><input type="radio" name="from" value="{token}"'
        f' id="from-{token}"{chosen_from}><label for="from-{token}" class="visually-hidden">'
        f"{compare_from}</label></td>\n"
        f'  <td{cells["to"]}><input type="radio" name="to" value="{token}"'
        f' id="to-{token}"{chosen_to}><label for="to-{token}" class="visually-hidden">'
        f"{compare_to}</label></td>\n"
        f'  <th scope="row"><a href="{text(row.url)}">{revision}</a></th>\n'
        f"  <td{cells['editor']}><bdi>{text(save.editor)}</bdi></td>\n"
        f'  <td{cells["summary"]} dir="auto">{summary}</td>\n'
        f"  <td{cells['what']}>{what}</td>\n"
        f"  <td{cells['review']}>{review}</td>\n"
        "</tr>"
    )


@register.filter
def isolated(name):
    """<bdi>name</bdi>: a name isolated from the words around it, its language marked
    where it is not the page's (an entry's English name on a French page, Localized)."""
    if getattr(name, "foreign", False):
        return format_html('<bdi lang="{}">{}</bdi>', name.lang, str(name))
    return format_html("<bdi>{}</bdi>", str(name))
