"""{% source_rows rows %}: the sources list's table rows, drawn by Python, as the
other lists' are (partnerships/templatetags/list_rows.py says why)."""

from django import template
from django.utils.html import format_html

from partnerships.templatetags.list_rows import link, rows_of
from partnerships.templatetags.precise_dates import precise_date

register = template.Library()


def source_row(source):
    author = (
        format_html(' <span class="muted">by {}</span>', source.author) if source.author else ""
    )
    return format_html(
        '<tr>\n  <th scope="row">{}{}</th>\n  <td>{}</td>\n  <td>{}</td>\n  <td>{}</td>\n'
        '  <td>{}</td>\n  <td class="num">{}</td>\n</tr>',
        link(source, source.title),
        author,
        source.get_kind_display(),
        source.publisher or "not stated",
        precise_date(source.published),
        source.get_language_display(),
        source.citation_count,
    )


register.simple_tag(rows_of(source_row), name="source_rows")
