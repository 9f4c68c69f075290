"""Generated data for benchmarks: entries and a long revision history, in bulk.

    manage.py generate_demo_data --revisions 150000

makes demo agreements (with a party each) and saves them over and over, as
editors would, until the history tables hold the number of revisions asked
for: most saves change an agreement's summary, some its party too, some only
the party; a third of them are marked reviewed. Every save is a row of the
change log with its revisions, as real saves are. Run it again with a larger
number to grow the same history. Never on a database with real content: the
entries it makes are named "Demo …" and it refuses a database that has other
agreements.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from partnerships.entry_types import AGREEMENT
from partnerships.history.models import Change, ReviewMark
from partnerships.models import Agreement, AgreementParty, Partner

BATCH = 5000
DEMO = "demo-"


class Command(BaseCommand):
    help = "Make demo entries and a revision history of the size asked for (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--revisions", type=int, default=150_000)
        parser.add_argument("--entries", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, revisions, entries, seed, **options):
        if revisions < 1 or entries < 1:
            raise CommandError("--revisions and --entries must be at least 1.")
        if Agreement.objects.exclude(slug__startswith=DEMO).exists():
            raise CommandError(
                "This database has real agreements: generate demo data in a database of its own."
            )
        self.random = random.Random(seed)
        with transaction.atomic():
            agreements, parties = self._entries(entries)
            users = self._users()
            made = self._history(agreements, parties, users, revisions)
        if connection.vendor == "postgresql":
            # As autovacuum would soon: the planner's statistics for the new rows.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        total = sum(model.history.count() for model in (Agreement, AgreementParty))
        self.stdout.write(
            f"{made} revisions written: the history holds {total} revisions in "
            f"{Change.objects.count()} saves, {ReviewMark.objects.count()} reviewed."
        )

    def _users(self):
        User = get_user_model()
        return [
            User.objects.get_or_create(username=f"demo-editor-{n}", defaults={"is_staff": True})[0]
            for n in range(1, 6)
        ]

    def _entries(self, count):
        partners = list(Partner.objects.filter(slug__startswith=DEMO))
        if not partners:
            partners = Partner.objects.bulk_create(
                Partner(name=f"Demo partner {n}", slug=f"{DEMO}partner-{n}", kind="country")
                for n in range(1, 21)
            )
        existing = Agreement.objects.filter(slug__startswith=DEMO).count()
        Agreement.objects.bulk_create(
            (
                Agreement(
                    title=f"Demo agreement {n}",
                    slug=f"{DEMO}agreement-{n}",
                    kind="cooperation",
                    summary="A demo agreement.",
                )
                for n in range(existing + 1, count + 1)
            ),
            batch_size=BATCH,
        )
        agreements = list(Agreement.objects.filter(slug__startswith=DEMO))
        linked = set(
            AgreementParty.objects.filter(agreement__in=agreements).values_list(
                "agreement_id", flat=True
            )
        )
        AgreementParty.objects.bulk_create(
            (
                AgreementParty(agreement=a, partner=self.random.choice(partners))
                for a in agreements
                if a.pk not in linked
            ),
            batch_size=BATCH,
        )
        parties = {
            p.agreement_id: p for p in AgreementParty.objects.filter(agreement__in=agreements)
        }
        return agreements, parties

    def _history(self, agreements, parties, users, wanted):
        """Saves until the two history tables hold `wanted` revisions; returns how many it wrote."""
        have = Agreement.history.count() + AgreementParty.history.count()
        made = 0
        now = timezone.now()
        # Entries without a revision yet are created first.
        created = set(Agreement.history.values_list("id", flat=True).distinct())
        plan = [(a, "created") for a in agreements if a.pk not in created]
        while have + made + sum(_size(kind) for _, kind in plan) < wanted:
            kind = self.random.choices(["entry", "both", "party"], weights=[7, 2, 1])[0]
            plan.append((self.random.choice(agreements), kind))
            if len(plan) >= BATCH:
                made += self._write(plan, parties, users, now)
                plan = []
        if plan:
            made += self._write(plan, parties, users, now)
        return made

    def _write(self, plan, parties, users, now):
        step = datetime.timedelta(seconds=7)
        latest = Change.objects.order_by("-date").values_list("date", flat=True).first() or (
            now - step * 300_000
        )
        changes = Change.objects.bulk_create(
            Change(
                entry_type=AGREEMENT.name,
                entry_id=agreement.pk,
                entry_label=agreement.title,
                entry_slug=agreement.slug,
                user=self.random.choice(users),
                date=latest + step * (number + 1),
                summary=f"Demo edit {number}",
                kind="created" if kind == "created" else "changed",
            )
            for number, (agreement, kind) in enumerate(plan)
        )
        own, rows = [], []
        for change, (agreement, kind) in zip(changes, plan, strict=True):
            base = {"history_date": change.date, "history_user": change.user}
            base |= {"history_change_reason": change.summary, "history_change": change}
            action = "+" if kind == "created" else "~"
            if kind != "party":
                own.append(_revision(Agreement, agreement, base, action, summary=change.summary))
            if kind in ("created", "both", "party"):
                rows.append(_revision(AgreementParty, parties[agreement.pk], base, action))
        own = Agreement.history.model.objects.bulk_create(own, batch_size=BATCH)
        rows = AgreementParty.history.model.objects.bulk_create(rows, batch_size=BATCH)
        written = {}
        for revision in [*own, *rows]:
            table = revision.instance_type._meta.model_name
            written.setdefault(revision.history_change_id, []).append(
                [table, revision.history_id, revision.history_type]
            )
        for change in changes:
            change.revisions = written[change.pk]
        Change.objects.bulk_update(changes, ["revisions"], batch_size=BATCH)
        ReviewMark.objects.bulk_create(
            (
                ReviewMark(change=change, reviewer=change.user, reviewed_at=change.date)
                for change in changes
                if self.random.random() < 1 / 3
            ),
            batch_size=BATCH,
        )
        return len(own) + len(rows)


def _size(kind):
    return 2 if kind in ("created", "both") else 1


def _revision(model, obj, base, action, **changed):
    history = model.history.model
    fields = {
        f.attname: getattr(obj, f.attname)
        for f in model._meta.fields
        if f.attname in {g.attname for g in history._meta.fields}
    }
    return history(**{**fields, **changed, **base}, history_type=action)
