"""What every entry page shows of its history, in any app: the "last changed" line and
`?as_of=YYYY-MM-DD`, the entry as it stood at the end of that day."""

import functools

from .recent import latest_change
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


def last_change(type_name, entry):
    """The entry page's "last changed" line: its latest save, reviewed or not; one query."""
    return latest_change(entry_types.by_name(type_name), entry.pk)
