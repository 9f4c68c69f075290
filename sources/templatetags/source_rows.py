"""{% source_rows rows %}: the sources list's table rows, drawn by Python, as the
other lists' are (partnerships/templatetags/list_rows.py says why)."""

from django import template

from partnerships.templatetags.list_rows import label_of, link, rows_of, text
from partnerships.templatetags.precise_dates import precise_date
from sources.models import Source

register = template.Library()

source_kind = label_of(Source.Kind)


def source_row(source):
    author = f' <span class="muted">by {text(source.author)}</span>' if source.author else ""
    return (
        f'<tr>\n  <th scope="row">{link(source, source.title)}{author}</th>\n'
        f"  <td>{source_kind(source.kind)}</td>\n"
        f"  <td>{text(source.publisher or 'not stated')}</td>\n"
        f"  <td>{precise_date(source.published)}</td>\n"
        f"  <td>{text(source.get_language_display())}</td>\n"
        f'  <td class="num">{source.citation_count}</td>\n</tr>'
    )


register.simple_tag(rows_of(source_row), name="source_rows")
