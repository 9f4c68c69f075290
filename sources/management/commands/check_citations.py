from django.core.management.base import BaseCommand, CommandError

from sources.models import Citation
from sources.text import quote_in_text


class Command(BaseCommand):
    help = "List every citation whose quote does not occur in its source; fail if there is one."

    def handle(self, *args, **options):
        checked = broken = 0
        for citation in Citation.objects.with_entries().iterator(chunk_size=500):
            checked += 1
            if quote_in_text(citation.quote, citation.source.full_text):
                continue
            broken += 1
            entry = citation.entry
            self.stdout.write(
                f"Citation {citation.pk} on {entry._meta.verbose_name} “{entry}”: "
                f"quote not found in source “{citation.source}” ({citation.source.slug}):\n"
                f"    {citation.quote[:200]}"
            )
        if broken:
            raise CommandError(f"{broken} of {checked} citations quote text not in their source.")
        self.stdout.write(self.style.SUCCESS(f"All {checked} citations found in their sources."))
