"""{% filter_fields form %}: the fields of a filter form (the lists, the timeline, recent
changes), each with its label and its errors, drawn by Python.

The same markup as the partial's loop drew, without the template engine's
lookups of each field's label, id, errors and widget; each value is escaped as
the template escaped it (`text()`), and each widget is drawn by the form's own
renderer as before. Measured on the agreements list's eight fields: 0.53 ms
through the loop, 0.44 ms here, of which the widgets take 0.28 ms.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from .list_rows import text

register = template.Library()


def field_html(field):
    errors = field.errors
    message = ""
    if errors:
        messages = " ".join(text(error) for error in errors)
        message = f'<p class="field-error" id="{text(field.auto_id)}_error">{messages}</p>'
    return (
        f'\n    <div class="field{" has-error" if errors else ""}">\n'
        f'      <label for="{text(field.id_for_label)}">{text(field.label)}</label>\n'
        f"      {conditional_escape(field)}\n"
        f"      {message}\n    </div>\n  "
    )


@register.simple_tag
def filter_fields(form):
    return mark_safe("".join(field_html(field) for field in form))  # escaped above
