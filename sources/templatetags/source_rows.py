"""{% source_rows rows %}: the sources list's table rows, drawn by Python, as the
other lists' are (partnerships/templatetags/list_rows.py says why)."""

from django import template

from partnerships.templatetags.list_rows import label_of, link, rows_of, text
from partnerships.templatetags.precise_dates import precise_date
from sources.models import Source

register = template.Library()

source_kind = label_of(Source.Kind)


def source_row(source):
    # Names and dates as the documents state them may be Arabic: each isolated.
    author = (
        f' <span class="muted">by <bdi>{text(source.author)}</bdi></span>' if source.author else ""
    )
    publisher = (
        f'<td dir="auto">{text(source.publisher)}</td>'
        if source.publisher
        else "<td>not stated</td>"
    )
    return (
        f'<tr>\n  <th scope="row"><bdi>{link(source, source.title)}</bdi>{author}</th>\n'
        f"  <td>{source_kind(source.kind)}</td>\n"
        f"  {publisher}\n"
        f"  <td><bdi>{precise_date(source.published)}</bdi></td>\n"
        f"  <td>{text(source.get_language_display())}</td>\n"
        f'  <td class="num">{source.citation_count}</td>\n</tr>'
    )


register.simple_tag(rows_of(source_row), name="source_rows")
