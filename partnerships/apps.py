from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = gettext_lazy("Partnerships")

    def ready(self):
        from config.page_cache import connect_signals

        from . import entry_types  # noqa: F401  (registers the entry types)

        # Any save anywhere makes every cached page stale (config/page_cache.py).
        connect_signals()
