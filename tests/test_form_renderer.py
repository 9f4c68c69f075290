"""The widgets config.form_renderer writes in Python are Django's templates' own HTML."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from config.form_renderer import WidgetRenderer

TEMPLATES, PYTHON = DjangoTemplates(), WidgetRenderer()
AWKWARD = ['<script>alert("x")</script>', "a & b", "'quoted'", "", "\u00e9t\u00e9", 0, 12.5]


def both(widget, name, value, attrs=None):
    """The two renderings, or the two errors' types when Django's own widget refuses the value."""
    results = []
    for renderer in (TEMPLATES, PYTHON):
        try:
            results.append(widget.render(name, value, attrs, renderer=renderer))
        except TypeError as error:  # a list for a NullBooleanSelect, say
            results.append(type(error))
    return results


WIDGETS = [
    forms.TextInput(),
    forms.TextInput(attrs={"placeholder": 'e.g. "Israel"', "required": True, "hidden": False}),
    forms.TextInput(attrs={"data-x": None, "aria-describedby": "id_q_error"}),
    forms.NumberInput(attrs={"min": 1900, "max": 2100}),
    forms.EmailInput(),
    forms.URLInput(),
    forms.HiddenInput(),
    forms.PasswordInput(render_value=True),
    forms.CheckboxInput(),
    forms.DateInput(),
    forms.Select(choices=[("", "Any"), ("a", "A & B"), ("<b>", mark_safe("<b>bold</b>"))]),
    forms.Select(choices=[("Group <1>", [("1", "one"), ("2", "two")]), ("3", "three")]),
    forms.SelectMultiple(choices=[("1", "one"), ("2", "two")]),
    forms.NullBooleanSelect(),
]


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda widget: type(widget).__name__)
@pytest.mark.parametrize("value", [None, *AWKWARD, mark_safe("<i>safe</i>"), ["1", "2"], True])
def test_every_widget_is_drawn_as_the_templates_draw_it(widget, value):
    rendered, written = both(widget, "field", value, {"id": "id_field"})
    assert written == rendered


def test_a_widget_of_its_own_is_left_to_the_templates():
    radio = forms.RadioSelect(choices=[("1", "one")])
    rendered, written = both(radio, "field", "1")
    assert written == rendered


@pytest.mark.django_db
def test_the_public_filter_forms_and_an_admin_form_are_unchanged(superuser_client, settings):
    from .conftest import make_agreement, make_partner

    agreement = make_agreement(parties=[make_partner()])
    urls = [
        "/agreements/?kind=treaty&q=%3Cscript%3E&year_from=x",
        "/exercises/?domain=sea",
        "/equipment/?status=delivered&sort=-value",
        "/sources/",
        "/partners/?kind=company",
        "/changes/?type=agreement",
        f"/admin/partnerships/agreement/{agreement.pk}/change/",
        "/admin/partnerships/agreement/add/",
    ]
    pages = {}
    for renderer in (
        "django.forms.renderers.DjangoTemplates",
        "config.form_renderer.WidgetRenderer",
    ):
        settings.FORM_RENDERER = renderer
        responses = [superuser_client.get(url) for url in urls]
        assert [r.status_code for r in responses] == [400, *[200] * 7]
        pages[renderer] = [response.content for response in responses]
    with_templates, in_python = pages.values()
    for url, rendered, written in zip(urls, with_templates, in_python, strict=True):
        # The admin's forms carry a fresh CSRF token each time.
        rendered, written = (without_tokens(page) for page in (rendered, written))
        assert written == rendered, url


def without_tokens(page):
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", page)
