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
        loader = Loader(directory)
        try:
            counts = loader.run()
        except FixtureError as exc:
            raise CommandError(f"Nothing was loaded: {exc}") from None
        if options["verbosity"] == 0:
            return
        outcomes = ("created", "updated", "unchanged", "kept as edited")
        for label in sorted({label for label, _ in counts}):
            summary = ", ".join(
                f"{counts[(label, outcome)]} {outcome}"
                for outcome in outcomes
                if counts[(label, outcome)] or outcome != "kept as edited"
            )
            self.stdout.write(f"{label}: {summary}")
        for where in loader.kept:
            self.stdout.write(
                self.style.WARNING(
                    f"Kept as edited in the admin, not overwritten from the fixtures: {where}"
                )
            )
