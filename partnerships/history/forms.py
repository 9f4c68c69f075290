"""The history pages' inputs: recent changes' filters, an as-of date, a review note.

Forms rather than a FilterSet: the recent-changes filters become the change
log's `Filters`, shared with the feed. Each invalid value gets a message
beside its field and a 400; none reaches the database.
"""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from ..lists.filters import FIRST_YEAR, LAST_YEAR, TextInput, describe_errors
from .recent import Filters, local_day_bounds
from .registry import entry_types

DATE_FORMAT = "%Y-%m-%d"


DATE_MESSAGE = gettext_lazy("Enter a date as year-month-day, such as 2026-03-03.")


def day_field(label, **kwargs):
    """A calendar day typed as YYYY-MM-DD, between FIRST_YEAR and LAST_YEAR."""
    return forms.DateField(
        label=label,
        input_formats=[DATE_FORMAT],
        error_messages={"invalid": DATE_MESSAGE},
        widget=TextInput(
            attrs={
                # The letters of a date's parts, in the page's language ("AAAA-MM-JJ").
                "placeholder": pgettext_lazy("date format", "YYYY-MM-DD"),
                "inputmode": "numeric",
                "maxlength": 10,
            }
        ),
        **kwargs,
    )


def text_field(label, max_length, too_long, **kwargs):
    """Optional text of at most `max_length` characters, never with a NUL."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        validators=[ProhibitNullCharactersValidator()],
        error_messages={"max_length": too_long},
        **kwargs,
    )


def check_year(day):
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise forms.ValidationError(
            _("Give a date between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return day


class ChangesForm(forms.Form):
    """Recent changes' filters: ?type=&editor=&from=&to=&reviewed=."""

    REVIEWED = [
        ("", gettext_lazy("Reviewed or not")),
        ("yes", gettext_lazy("Reviewed")),
        ("no", gettext_lazy("Not yet reviewed")),
    ]

    type = forms.ChoiceField(label=pgettext_lazy("entry type", "Type"), required=False)
    editor = text_field(
        gettext_lazy("Editor (username)"),
        150,
        gettext_lazy("A username has at most 150 characters."),
        widget=TextInput,
    )
    reviewed = forms.ChoiceField(
        label=pgettext_lazy("filter", "Reviewed"),
        choices=REVIEWED,
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("Choose reviewed (yes) or not yet reviewed (no).")
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        types = list(entry_types)
        self.fields["type"].choices = [
            ("", _("Every type")),
            *((t.name, t.title) for t in types),
        ]
        # Words of the site's addresses (/agreements/), never translated.
        self.fields["type"].error_messages["invalid_choice"] = _("Choose %(types)s.") % {
            "types": _or([t.path for t in types])
        }
        # The address says ?from=…&to=…; "from" cannot be a class attribute's name.
        self.fields["from"] = day_field(_("Changed from"), required=False)
        self.fields["to"] = day_field(_("Changed until"), required=False)
        self.order_fields(["type", "editor", "from", "to", "reviewed"])
        if self.is_bound:
            describe_errors(self)

    def clean_editor(self):
        username = self.cleaned_data["editor"].strip()
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("No one with this username has edited the wiki."))
        return user

    def clean_from(self):
        return check_year(self.cleaned_data["from"])

    def clean_to(self):
        return check_year(self.cleaned_data["to"])

    def clean(self):
        cleaned_data = super().clean()
        since, until = cleaned_data.get("from"), cleaned_data.get("to")
        if since and until and until < since:
            self.add_error("to", _("This date comes before the one changes are shown from."))
        return cleaned_data

    def filters(self):
        """The valid form's values as recent.Filters."""
        data = self.cleaned_data
        since = local_day_bounds(data["from"])[0] if data.get("from") else None
        before = local_day_bounds(data["to"])[1] if data.get("to") else None
        return Filters(
            type=entry_types.by_name(data["type"]),
            editor=data["editor"],
            since=since,
            before=before,
            reviewed={"yes": True, "no": False}.get(data["reviewed"]),
        )

    @property
    def filtered(self):
        return self.is_valid() and any(
            value not in (None, "") for value in self.cleaned_data.values()
        )


class AsOfForm(forms.Form):
    """An entry page's ?as_of=YYYY-MM-DD."""

    as_of = day_field(gettext_lazy("As of"))

    def clean_as_of(self):
        return check_year(self.cleaned_data["as_of"])

    def end_of_day(self):
        """The last moment of the day asked for, in the site's time zone."""
        return local_day_bounds(self.cleaned_data["as_of"])[1] - datetime.timedelta(microseconds=1)


class ReviewForm(forms.Form):
    note = text_field(
        gettext_lazy("Note (optional)"), 500, gettext_lazy("Keep the note under 500 characters.")
    )


def _or(words):
    """ "partner, agreement or source", in the page's language."""
    if len(words) < 2:
        return "".join(words)
    return _("%(items)s or %(last)s") % {
        "items": pgettext("between items of a list", ", ").join(words[:-1]),
        "last": words[-1],
    }
