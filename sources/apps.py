from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = gettext_lazy("Sources and citations")

    def ready(self):
        from . import entry_types  # noqa: F401  (registers the source entry type)
