"""Migration operations of this project's own.

RelabelFields: new verbose names (labels) for many fields of a model at once. A
label is not in the database, but Django's AlterField re-renders the model and
every model related to it for each field: 250 of them (the labels given for the
admin in every language, with the history models') took 12 s to apply and 30 s
to unapply on SQLite, which every test database and migration test pays. This
re-renders each model once, and asks nothing of the database.
"""

from django.db.migrations.operations.base import Operation


class RelabelFields(Operation):
    """Replace the state of `fields` ([(name, field)]) of `model_name`; the fields
    differ from the old ones only in what the database does not hold."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, model_name, fields):
        self.model_name = model_name
        self.fields = fields

    @property
    def model_name_lower(self):
        return self.model_name.lower()

    def deconstruct(self):
        return (
            self.__class__.__qualname__,
            [],
            {"model_name": self.model_name, "fields": self.fields},
        )

    def state_forwards(self, app_label, state):
        model_key = app_label, self.model_name_lower
        fields = state.models[model_key].fields
        for name, field in self.fields:
            old = fields.pop(name)
            if state._relations is not None and old.is_relation:
                state.resolve_model_field_relations(model_key, name, old)
            fields[name] = field
            if state._relations is not None and field.is_relation:
                state.resolve_model_field_relations(model_key, name, field)
        state.reload_model(*model_key, delay=False)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return f"Relabel {len(self.fields)} fields of {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"relabel_{self.model_name_lower}"

    def references_model(self, name, app_label):
        return True  # conservative: the optimizer moves nothing across it
