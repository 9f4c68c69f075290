from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from partnerships.loading import FixtureError, Loader


class Command(BaseCommand):
    help = (
        "Load the source documents and every entry drawn from them from fixtures/. "
        "Safe to run again: it only changes what the files changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            default=settings.BASE_DIR / "fixtures",
            help="The folder holding sources.toml, entries.toml and sources/ (default: fixtures/).",
        )

    def handle(self, *args, directory, **options):
        try:
            counts = Loader(directory).run()
        except FixtureError as exc:
            raise CommandError(f"Nothing was loaded: {exc}") from None
        for label in sorted({label for label, _ in counts}):
            created, updated, unchanged = (
                counts[(label, outcome)] for outcome in ("created", "updated", "unchanged")
            )
            self.stdout.write(
                f"{label}: {created} created, {updated} updated, {unchanged} unchanged"
            )
