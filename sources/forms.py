"""The citation form of an entry's admin page: the facts its quote states, as boxes to tick."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy, pgettext

from partnerships import facts as fact_rules
from partnerships import footnotes

from .models import Citation


class CitationForm(forms.ModelForm):
    facts = forms.MultipleChoiceField(
        label=gettext_lazy("Facts it states"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Tick the facts of this entry the quote states, and no others; each shows this "
            "citation's footnote beside it on the entry's page. A party, participant, position "
            "or value can be cited once it is saved on the entry."
        ),
    )

    class Meta:
        model = Citation
        fields = ["source", "quote", "facts", "note", "stance"]

    def __init__(self, *args, entry_field=None, fact_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.entry_field = entry_field
        choices = list(fact_choices)
        # A key the entry no longer offers (a party since removed) stays visible, so
        # that saving the form does not drop it unseen.
        offered = {key for key, _ in choices}
        for key in fact_rules.split(self.instance.facts if self.instance.pk else ""):
            if key not in offered:
                label = fact_rules.label(entry_field, key)
                choices.append((key, _("%(fact)s (no longer linked)") % {"fact": label}))
        self.fields["facts"].choices = choices
        self.initial["facts"] = fact_rules.split(
            self.instance.facts if self.instance.pk else fact_rules.EXISTENCE
        )

    def clean_facts(self):
        return fact_rules.joined(self.entry_field, self.cleaned_data["facts"])


# The summaries whose footnote markers ("[2]") must name a citation of the entry: the
# English one and its translations (partnerships/translations.py); markers are
# the same numbers in every language.
MARKED_SUMMARIES = {
    "summary": ngettext_lazy(
        "The summary's marker %(markers)s points to no footnote",
        "The summary's markers %(markers)s point to no footnote",
        "wrong",
    ),
    "summary_fr": ngettext_lazy(
        "The French summary's marker %(markers)s points to no footnote",
        "The French summary's markers %(markers)s point to no footnote",
        "wrong",
    ),
    "summary_ar": ngettext_lazy(
        "The Arabic summary's marker %(markers)s points to no footnote",
        "The Arabic summary's markers %(markers)s point to no footnote",
        "wrong",
    ),
}


def unknown_markers_error(field, wrong, count):
    """Why the markers `wrong` of the summary `field` point nowhere, when the entry has
    `count` citations."""
    listed = pgettext("between items of a list", ", ").join(f"[{number}]" for number in wrong)
    problem = MARKED_SUMMARIES[field] % {"markers": listed, "wrong": len(wrong)}
    if count:
        has = ngettext(
            "this entry has %(count)s citation", "this entry has %(count)s citations", count
        ) % {"count": count}
    else:
        has = _("this entry has no citation")
    return _(
        "%(problem)s: %(has)s. A marker is the number of a citation below, in the order "
        "they are listed: [1] is the first."
    ) % {"problem": problem, "has": has}


class CitationFormSet(forms.BaseInlineFormSet):
    """An entry's citations, offering the facts of its type, and checking that the
    summary's footnote markers, and its translations', point at citations the entry
    will have."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry_field = self.fk.name
        self.fact_choices = _fact_choices(self.entry_field, self.instance)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        return {**kwargs, "entry_field": self.entry_field, "fact_choices": self.fact_choices}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            entry_field=self.entry_field,
            fact_choices=self.fact_choices,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form

    def clean(self):
        super().clean()
        deleted = set(self.deleted_forms) if self.can_delete else set()
        kept = [
            form
            for form in self.forms
            if form not in deleted and (form.instance.pk is not None or form.has_changed())
        ]
        errors = []
        for field in MARKED_SUMMARIES:
            summary = getattr(self.instance, field, "")
            if wrong := footnotes.unknown_markers(summary, len(kept)):
                errors.append(unknown_markers_error(field, wrong, len(kept)))
        if errors:
            raise ValidationError(errors)


def _fact_choices(entry_field, entry):
    choices = [(fact.key, fact.label) for fact in fact_rules.FACTS[entry_field]]
    if entry.pk is None:
        return choices
    for link in fact_rules.links_of(entry_field):
        rows = link.links_of(entry)
        if link.target:  # a partner or a person, by name
            name = f"{link.target}__name"
            linked = rows.order_by(name).values_list(link.column, name)
        else:  # the rows themselves: a person's positions, an indicator's values
            linked = [(row.pk, str(row)) for row in rows.named()]
        choices += [(link.key(pk), f"{link.label}: {text}") for pk, text in linked]
    return choices
