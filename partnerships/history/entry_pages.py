"""What every entry page shows of its history, in any app: the "last changed" line and
`?as_of=YYYY-MM-DD`, the entry as it stood at the end of that day."""

import datetime
import functools
from dataclasses import dataclass

from ..compiled import Compiled
from .models import Change
from .names import display_name
from .registry import entry_types
from .views import as_of


def answers_as_of(type_name):
    """Makes an entry page answer ?as_of=YYYY-MM-DD with the entry as it then stood."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, slug):
            if request.GET.get("as_of", ""):
                return as_of(request, entry_types.by_name(type_name), slug)
            return view(request, slug)

        return wrapper

    return decorator


@dataclass(frozen=True)
class LastChange:
    """What the "last changed" line says of the entry's latest save."""

    date: datetime.datetime
    summary: str
    editor: str
    reviewed: bool


# What the "last changed" line shows of an entry's latest save, compiled once
# per entry type: LAST_CHANGE.first(type_name, entry=pk).
LAST_CHANGE = Compiled(
    lambda type_name, entry: (
        Change.objects.of_entry(entry_types.by_name(type_name), entry)
        .newest_first()
        .values_list(
            "date",
            "summary",
            "user__first_name",
            "user__last_name",
            "user__username",
            "review_mark__id",
        )[:1]
    ),
    entry=int,
)


def last_change(type_name, entry):
    """The entry's latest save, reviewed or not, or None: one query of the columns the
    line shows (the whole change with its editor and its reviewer took twice as long
    to make and compile, on every entry page)."""
    row = LAST_CHANGE.first(type_name, entry=entry.pk)
    if row is None:
        return None
    date, summary, first_name, last_name, username, review_mark = row
    return LastChange(
        date, summary, display_name(first_name, last_name, username), review_mark is not None
    )
