"""{% source_rows rows %}: the sources list's table rows, drawn by Python, as the
other lists' are (partnerships/templatetags/list_rows.py says why)."""

from html import escape

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from partnerships.templatetags.list_rows import label_of, link, rows_of, text
from partnerships.templatetags.precise_dates import precise_date
from sources.models import Source

register = template.Library()

source_kind = label_of(Source.Kind)


def source_row(source):
    # Names and dates as the documents state them may be Arabic: each isolated. A
    # source's title, author and publisher are its own, never translated; the title
    # says its language where it is not the page's.
    language = source.language
    lang = f' lang="{escape(language)}"' if language and language != get_language() else ""
    author = ""
    if source.author:
        # The pattern escaped as text is; the name put in it is HTML already.
        by = escape(_("by %(author)s")) % {"author": f"<bdi>{text(source.author)}</bdi>"}
        author = f' <span class="muted">{by}</span>'
    if source.publisher:
        publisher = f'<td dir="auto">{text(source.publisher)}</td>'
    else:
        publisher = "<td>" + escape(_("not stated")) + "</td>"
    return (
        f'<tr>\n  <th scope="row"><bdi{lang}>{link(source, source.title)}</bdi>{author}</th>\n'
        f"  <td>{source_kind(source.kind)}</td>\n"
        f"  {publisher}\n"
        f"  <td><bdi>{precise_date(source.published)}</bdi></td>\n"
        f"  <td>{text(source.get_language_display())}</td>\n"
        f'  <td class="num">{source.citation_count}</td>\n</tr>'
    )


register.simple_tag(rows_of(source_row), name="source_rows")
