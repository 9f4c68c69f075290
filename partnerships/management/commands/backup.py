from django.conf import settings
from django.core.management.base import BaseCommand

from partnerships.backups import backup, describe


class Command(BaseCommand):
    help = (
        "Back up the database DATABASE_URL names into backups/ (or --directory), "
        "as <name>-<UTC time>.dump (pg_dump's custom format) for PostgreSQL or "
        ".sqlite3 (SQLite's online backup) for SQLite. Prints the file's path."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            default=settings.BASE_DIR / "backups",
            help="Where to write the backup (default: backups/ in the project).",
        )

    def handle(self, *args, directory, **options):
        path = backup(directory)
        if options["verbosity"] > 1:
            self.stderr.write(f"Backed up the {describe()}.")
        self.stdout.write(str(path))
