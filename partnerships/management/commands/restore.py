from django.core.management.base import BaseCommand, CommandError

from config.page_cache import content_changed
from partnerships.backups import describe, restore


class Command(BaseCommand):
    help = (
        "Replace the contents of the database DATABASE_URL names with a backup "
        "that 'manage.py backup' wrote. Asks first, unless --no-input."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="The backup: a .dump for PostgreSQL, a .sqlite3 for SQLite."
        )
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, file, interactive, **options):
        target = describe()
        if interactive:
            answer = input(
                f"This replaces everything in the {target} with {file}.\n"
                "Type 'yes' to continue, or anything else to stop: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled; nothing was changed.")
        restore(file)
        # The restore wrote past the models' signals: no page cached before it is true now.
        content_changed()
        self.stdout.write(f"Restored {file} into the {target}.")
