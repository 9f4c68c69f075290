from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = "Partnerships"

    def ready(self):
        from config.page_cache import connect_signals

        from . import entry_types  # noqa: F401  (registers the entry types)

        # Any save anywhere makes every cached page stale (config/page_cache.py).
        connect_signals()
