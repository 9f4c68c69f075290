"""Form widgets drawn in Python: the same HTML as Django's widget templates, faster.

Django draws each <input> and <select> through its widget templates, one
{% include %} per <option>: on a list page the filter form cost more than the
25 rows beside it. This renderer writes those few templates' output directly
(`input.html` and the templates that only include it, `select.html`,
`select_option.html`) and hands every other template, the admin's own widgets
included, to Django's template renderer. tests/test_form_renderer.py checks
that both give the same HTML for every widget the site's forms use.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

WIDGETS = "django/forms/widgets/"
# The templates that are `{% include "django/forms/widgets/input.html" %}` and nothing else.
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "search",
        "email",
        "url",
        "tel",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "color",
        "checkbox",
        "file",
    )
}


def attributes(attrs):
    """attrs.html: ` name="value"` for each, ` name` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            # |stringformat:'s' keeps a safe string safe: conditional_escape, as there.
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def input_html(widget):
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{attributes(widget["attrs"])}>'
    )


def option_html(option):
    return (
        f'<option value="{conditional_escape(str(option["value"]))}"'
        f"{attributes(option['attrs'])}>{conditional_escape(option['label'])}</option>"
    )


def select_html(widget):
    parts = [f'<select name="{conditional_escape(widget["name"])}"{attributes(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != f"{WIDGETS}select_option.html":
                return None  # a widget with options of its own: leave it to the templates
            # select_option.html ends with a line break, kept by the include.
            parts.append(f"\n  {option_html(option)}\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class WidgetRenderer(DjangoTemplates):
    """Django's renderer, with the commonest widget templates written in Python."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None:
            if template_name in INPUTS:
                return mark_safe(input_html(widget))  # every part escaped above
            if template_name == f"{WIDGETS}select.html":
                html = select_html(widget)
                if html is not None:
                    return mark_safe(html)  # every part escaped above
        return super().render(template_name, context, request=request)
