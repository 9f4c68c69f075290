"""How history names people, moments and related objects."""

import functools

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..templatetags.precise_dates import moment_text

# Saves without a user are the fixture loader's: every other save comes from a
# signed-in editor. In a sentence about one revision ("Reverted to revision #3
# … by …") an unnamed user is called what it is.
FIXTURE_LOADER = gettext_lazy("the fixture loader")
UNKNOWN_USER = gettext_lazy("an unknown user")


def display_name(first_name, last_name, username, nobody=FIXTURE_LOADER):
    """A person's full name, else their username; `nobody` when there is no user.

    From the columns alone, so that a query can read them beside a revision.
    """
    if username is None:
        return str(nobody)
    return f"{first_name or ''} {last_name or ''}".strip() or username


def editor_name(user, nobody=FIXTURE_LOADER):
    if user is None:
        return nobody
    return display_name(user.first_name, user.last_name, user.get_username())


def moment(value):
    """'12 March 2026, 14:05' in the site's time zone and the page's language, as the
    |moment filter writes it."""
    return moment_text(value)


def day(value):
    """'12 March 2026' in the site's time zone and the page's language."""
    return moment_text(value, "day")


@functools.cache
def history_of(model):
    """The model's simple-history manager (`Model.history`), made once per model.

    simple-history's descriptor makes a new manager class at every access
    (`Manager.from_queryset()`, which inspects every method of the queryset
    class): 65 µs each, up to nine times a history page. A manager of
    the class, with no instance, keeps no state of its own, so one serves all.
    """
    return getattr(model, model._meta.simple_history_manager_attribute)


def object_name(obj):
    """How history names a live object: an entry by its name in the page's language
    where it has one (entry.localized), anything else as it names itself."""
    text = str(obj)
    from .registry import entry_types

    entry_type = entry_types.for_model(type(obj))
    field = entry_type.label_field if entry_type else None
    if field in getattr(obj, "TRANSLATED_FIELDS", ()) and text == getattr(obj, field):
        return obj.localized[field]  # a Localized text, which knows its language
    return text


class Names:
    """Display names of related objects, batched and cached.

    `load()` costs one query per model for the objects that exist and one more
    for those that do not, named from their history as "… (deleted)".
    """

    def __init__(self):
        self._names = {}

    def load(self, model, ids):
        wanted = {pk for pk in ids if pk is not None and (model, pk) not in self._names}
        if not wanted:
            return
        found = model._default_manager.all()
        if hasattr(found, "named"):  # with the rows its names read (a position's partner)
            found = found.named()
        for pk, obj in found.in_bulk(wanted).items():
            self._names[(model, pk)] = object_name(obj)
        missing = {pk for pk in wanted if (model, pk) not in self._names}
        if missing and hasattr(model._meta, "simple_history_manager_attribute"):
            id_name = model._meta.pk.attname
            records = history_of(model).filter(**{f"{id_name}__in": missing})
            records = list(records.order_by("history_date", "history_id"))
            name = self._namer(model, records)
            for record in records:
                self._names[(model, getattr(record, id_name))] = _("%(name)s (deleted)") % {
                    "name": name(record)
                }
        for pk in missing:
            unknown = _("(unknown %(type)s)") % {"type": model._meta.verbose_name}
            self._names.setdefault((model, pk), unknown)

    def _namer(self, model, records):
        """How to name a deleted row from its revision: as history names its rows where
        it names them itself (a position: "Secretary General, NATO"), what they
        refer to loaded first; else as the row names itself."""
        from .registry import load_references, row_namer

        relation = row_namer(model)
        if relation is None:
            return lambda record: record.instance
        load_references(model, records, self, exclude=(relation.fk,))
        return lambda record: relation.name_row(record, self)

    def get(self, model, pk):
        self.load(model, [pk])
        return self._names[(model, pk)]
