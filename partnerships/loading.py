"""Loading the site's content from fixtures/: the sources and every entry drawn from them.

Unlike `loaddata`, every object goes through `full_clean()` (so a quote that
is not in its source stops the load) and through the history machinery (so
each entry starts with a revision). Each entry, with its relation rows and
citations, is loaded as one save of the change log. Objects are matched by slug, relation rows
by their two ends, a person's positions by their title and body, an indicator's values by
their period and basis, and citations by entry, source and quote: loading again changes
only what the files changed, and records no revision for the rest.

A citation's link facts name what they link by the files' own names: a partner or a person
by slug ("party:israel", "person:todd-wasmund"), a person's position or an indicator's
value by the local key the entry gives it ("position:nato-secretary-general", "value:2023").

An entry's French and Arabic texts are keys beside the English ones (`name_fr`,
`aliases_ar`, `summary_fr`, …; see partnerships/translations.py), and a country
partner's `country_code` names it in French and Arabic from the Unicode CLDR.

Editors' work always wins: an object whose latest revision was not made by
this loader (someone changed it in the admin) is left as it is and reported,
and nothing editors added is ever deleted.
"""

import datetime
import re
import tomllib
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from sources.models import Citation, Source

from . import facts as fact_rules
from . import footnotes
from .dates import DatePrecision
from .history.saves import recording
from .models import (
    Agreement,
    AgreementParty,
    Engagement,
    EngagementPartner,
    EngagementPerson,
    Exercise,
    ExerciseParticipant,
    Indicator,
    IndicatorValue,
    Partner,
    Person,
    Position,
    Procurement,
    Role,
)
from .translations import TRANSLATED, translation_field_names

LOADER_REASON = "Loaded from fixtures/"
ENTRIES_REASON = f"{LOADER_REASON}entries.toml"
SOURCES_REASON = f"{LOADER_REASON}sources.toml"
_PRECISE_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# A month the source names without a year, as ISO 8601:2000 writes it: "--02".
_MONTH_NO_YEAR = re.compile(r"^--(\d{2})$")


class FixtureError(Exception):
    pass


def parse_precise_date(text, where):
    """'2024-04-12' → day, '2023-12' → month, '2021' → year: (date, precision, month);
    '--02' → February, year not stated: (None, MONTH_NO_YEAR, 2)."""
    no_year = _MONTH_NO_YEAR.match(str(text))
    if no_year:
        month = int(no_year.group(1))
        if not 1 <= month <= 12:
            raise FixtureError(f"{where}: {text!r} names no month (--01 to --12).")
        return None, DatePrecision.MONTH_NO_YEAR, month
    match = _PRECISE_DATE.match(str(text))
    if not match:
        raise FixtureError(
            f"{where}: {text!r} is not a date like 2024-04-12, 2023-12, 2021 or --02 "
            "(a month whose year the source does not state)."
        )
    year, month, day = match.groups()
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    try:
        value = datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise FixtureError(f"{where}: {text!r} is not a real date ({exc}).") from None
    return value, precision, None


class Loader:
    def __init__(self, directory):
        self.directory = Path(directory)
        self.counts = Counter()
        # Objects the files would change but an editor has changed since.
        self.kept = []
        self.partners = {}
        self.sources = {}
        self.agreements = {}
        self.people = {}

    def _read(self, name):
        path = self.directory / name
        try:
            with path.open("rb") as handle:
                return tomllib.load(handle)
        except FileNotFoundError:
            raise FixtureError(f"{path} is missing.") from None
        except tomllib.TOMLDecodeError as exc:
            raise FixtureError(f"{path} is not valid TOML: {exc}") from None

    def run(self):
        sources = self._read("sources.toml")
        entries = self._read("entries.toml")
        # Countries first, so companies can name their home country.
        partners = sorted(entries.get("partners", []), key=lambda r: "parent" in r)
        work = [
            *((self.load_source, record, SOURCES_REASON) for record in sources.get("sources", [])),
            *((self.load_partner, record, ENTRIES_REASON) for record in partners),
            *((self.load_agreement, r, ENTRIES_REASON) for r in entries.get("agreements", [])),
            *((self.load_exercise, r, ENTRIES_REASON) for r in entries.get("exercises", [])),
            *((self.load_procurement, r, ENTRIES_REASON) for r in entries.get("procurements", [])),
            # People before engagements, which name them.
            *((self.load_person, r, ENTRIES_REASON) for r in entries.get("people", [])),
            *((self.load_engagement, r, ENTRIES_REASON) for r in entries.get("engagements", [])),
            *((self.load_indicator, r, ENTRIES_REASON) for r in entries.get("indicators", [])),
        ]
        with transaction.atomic():
            for load, record, reason in work:
                # One entry with its parties, participants and citations: one save.
                with recording(summary=reason):
                    load(record)
        return self.counts

    # -- helpers ---------------------------------------------------------

    def _upsert(self, model, lookup, values, where, reason):
        obj = model.objects.filter(**lookup).first()
        created = obj is None
        if created:
            obj = model(**lookup)
        changed = created or any(getattr(obj, name) != value for name, value in values.items())
        label = model._meta.verbose_name_plural
        if changed and not created and _edited_since_loaded(obj):
            self.kept.append(f"{where} ({obj})")
            self.counts[(label, "kept as edited")] += 1
            return obj
        for name, value in values.items():
            setattr(obj, name, value)
        if changed:
            try:
                obj.full_clean()
            except ValidationError as exc:
                raise FixtureError(f"{where}: {_describe(exc)}") from None
            obj._change_reason = reason
            obj.save()
        self.counts[(label, "created" if created else "updated" if changed else "unchanged")] += 1
        return obj

    @staticmethod
    def _fields(record, where, allowed, required=()):
        unknown = set(record) - set(allowed) - set(required)
        if unknown:
            raise FixtureError(f"{where}: unknown keys {sorted(unknown)}.")
        missing = [key for key in required if not record.get(key)]
        if missing:
            raise FixtureError(f"{where}: missing {missing}.")

    @staticmethod
    def _dates(record, where, prefixes):
        values = {}
        for prefix in prefixes:
            value, precision, month = (None, "", None)
            if record.get(prefix):
                value, precision, month = parse_precise_date(record[prefix], f"{where} {prefix}")
            values[prefix] = value
            values[f"{prefix}_precision"] = precision
            values[f"{prefix}_month"] = month
            values[f"{prefix}_approximate"] = bool(record.get(f"{prefix}_approximate", False))
        return values

    @staticmethod
    def _value(record):
        amount = record.get("value_amount")
        return {
            "value_amount": Decimal(str(amount)) if amount is not None else None,
            "value_currency": record.get("value_currency", ""),
        }

    @staticmethod
    def _translations(model, record):
        """The entry's French and Arabic texts as the files give them (`name_fr`,
        `aliases_ar`, `summary_fr`, …); empty where they give none."""
        values = {}
        for field in model.TRANSLATED_FIELDS:
            for code in TRANSLATED:
                key = f"{field}_{code}"
                if field == "aliases":
                    values[key] = "\n".join(record.get(key, []))
                elif field == "summary":
                    values[key] = record.get(key, "").strip()
                else:
                    values[key] = record.get(key, "")
        return values

    def _lookup(self, table, slug, where, kind):
        try:
            return table[slug]
        except KeyError:
            raise FixtureError(f"{where}: no {kind} with slug {slug!r} in the fixtures.") from None

    def _citations(self, entry, entry_field, record, where, local=None):
        """Load the entry's citations. `local` maps the local keys of the entry's own link
        rows ({"position": {key: Position}}, {"value": {key: IndicatorValue}})."""
        citations = record.get("citations", [])
        if not citations:
            raise FixtureError(f"{where}: every entry needs at least one citation.")
        for number, citation in enumerate(citations, start=1):
            here = f"{where} citation {number}"
            self._fields(citation, here, ["stance", "note"], required=["source", "quote", "facts"])
            source = self._lookup(self.sources, citation["source"], here, "source")
            keys = [
                self._fact_key(key, here, entry_field, local or {}) for key in citation["facts"]
            ]
            self._upsert(
                Citation,
                {entry_field: entry, "source": source, "quote": citation["quote"]},
                {
                    "facts": fact_rules.joined(entry_field, keys),
                    "note": citation.get("note", ""),
                    "stance": citation.get("stance", Citation.Stance.SUPPORTS),
                },
                here,
                ENTRIES_REASON,
            )
        count = entry.citations.count()
        for field in ("summary", *translation_field_names(["summary"])):
            if wrong := footnotes.unknown_markers(getattr(entry, field, ""), count):
                raise FixtureError(
                    f"{where}: {field} {footnotes.unknown_markers_message(wrong, count)}"
                )

    def _fact_key(self, key, where, entry_field, local):
        """A fact as the files name it: "date"; a link to a partner or a person by slug
        ("party:israel", "person:todd-wasmund"); a link to one of the entry's own rows by
        its local key ("position:nato-secretary-general", "value:2023")."""
        prefix, colon, name = str(key).partition(":")
        if not colon:
            return key  # a field: the citation's validation says if it is not one
        links = fact_rules.links_of(entry_field)
        link = next((link for link in links if link.prefix == prefix), None)
        if link is None:
            known = ", ".join(f'"{link.prefix}:…"' for link in links) or "none"
            raise FixtureError(
                f"{where}: {key!r} is not a fact of a {entry_field} (its link facts: {known})."
            )
        if link.named == "partner":
            return link.key(self._lookup(self.partners, name, where, "partner").pk)
        if link.named == "person":
            return link.key(self._lookup(self.people, name, where, "person").pk)
        rows = local.get(prefix, {})
        if name not in rows:
            listed = ", ".join(repr(k) for k in rows) or "none"
            raise FixtureError(
                f"{where}: {key!r} names no {link.noun} of this entry; the {link.noun} keys "
                f"it gives are: {listed}."
            )
        return link.key(rows[name].pk)

    @staticmethod
    def _local_key(row, where, seen):
        key = str(row.get("key", ""))
        if not key or ":" in key or key != key.strip():
            raise FixtureError(f"{where}: give a key, without spaces or colons, to cite it by.")
        if key in seen:
            raise FixtureError(f"{where}: the key {key!r} is used twice in this entry.")
        return key

    # -- records ---------------------------------------------------------

    def load_source(self, record):
        where = f"sources.toml source {record.get('slug')!r}"
        self._fields(
            record,
            where,
            [
                "publisher",
                "author",
                "url",
                "publication_date",
                "publication_date_approximate",
                "reliability_note",
                "furniture",
            ],
            required=["slug", "title", "kind", "language"],
        )
        text_path = self.directory / "sources" / f"{record['slug']}.txt"
        try:
            full_text = text_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise FixtureError(f"{where}: its text {text_path} is missing.") from None
        values = {
            "title": record["title"],
            "kind": record["kind"],
            "language": record["language"],
            "publisher": record.get("publisher", ""),
            "author": record.get("author", ""),
            "url": record.get("url", ""),
            "reliability_note": record.get("reliability_note", "").strip(),
            # Lines of the original web page that are not the article (a menu, a
            # subscribe box): shown folded away; each must be a line of the text.
            "furniture": "\n".join(record.get("furniture", [])),
            "full_text": full_text,
            **self._dates(record, where, ["publication_date"]),
        }
        self.sources[record["slug"]] = self._upsert(
            Source, {"slug": record["slug"]}, values, where, SOURCES_REASON
        )

    def load_partner(self, record):
        where = f"entries.toml partner {record.get('slug')!r}"
        self._fields(
            record,
            where,
            [
                "short_name",
                "aliases",
                "membership",
                "summary",
                "parent",
                "country_code",
                "citations",
                *translation_field_names(Partner.TRANSLATED_FIELDS),
            ],
            required=["slug", "name", "kind"],
        )
        parent = record.get("parent")
        values = {
            "name": record["name"],
            "kind": record["kind"],
            "short_name": record.get("short_name", ""),
            "membership": record.get("membership", ""),
            "aliases": "\n".join(record.get("aliases", [])),
            "summary": record.get("summary", "").strip(),
            "country_code": record.get("country_code", ""),
            **self._translations(Partner, record),
            "parent_id": self._lookup(self.partners, parent, where, "partner").pk
            if parent
            else None,
        }
        partner = self._upsert(Partner, {"slug": record["slug"]}, values, where, ENTRIES_REASON)
        self.partners[record["slug"]] = partner
        self._citations(partner, "partner", record, where)

    def load_agreement(self, record):
        where = f"entries.toml agreement {record.get('slug')!r}"
        dates = ["date", "start_date", "end_date"]
        self._fields(
            record,
            where,
            [
                "status",
                "summary",
                "value_amount",
                "value_currency",
                "citations",
                *dates,
                *(f"{d}_approximate" for d in dates),
                *translation_field_names(Agreement.TRANSLATED_FIELDS),
            ],
            required=["slug", "title", "kind", "parties"],
        )
        values = {
            "title": record["title"],
            "kind": record["kind"],
            "status": record.get("status", Agreement.Status.REPORTED),
            "summary": record.get("summary", "").strip(),
            **self._translations(Agreement, record),
            **self._dates(record, where, dates),
            **self._value(record),
        }
        agreement = self._upsert(
            Agreement, {"slug": record["slug"]}, values, where, ENTRIES_REASON
        )
        self.agreements[record["slug"]] = agreement
        for slug in record["parties"]:
            self._upsert(
                AgreementParty,
                {
                    "agreement": agreement,
                    "partner": self._lookup(self.partners, slug, where, "partner"),
                },
                {},
                f"{where} party {slug!r}",
                ENTRIES_REASON,
            )
        self._citations(agreement, "agreement", record, where)

    def load_exercise(self, record):
        where = f"entries.toml exercise {record.get('slug')!r}"
        dates = ["start_date", "end_date"]
        self._fields(
            record,
            where,
            [
                "series",
                "location",
                "domains",
                "participants",
                "summary",
                "citations",
                *dates,
                *(f"{d}_approximate" for d in dates),
                *translation_field_names(Exercise.TRANSLATED_FIELDS),
            ],
            required=["slug", "name"],
        )
        values = {
            "name": record["name"],
            "series": record.get("series", ""),
            "location": record.get("location", ""),
            "domains": record.get("domains", []),
            "summary": record.get("summary", "").strip(),
            **self._translations(Exercise, record),
            **self._dates(record, where, dates),
        }
        exercise = self._upsert(Exercise, {"slug": record["slug"]}, values, where, ENTRIES_REASON)
        for participant in record.get("participants", []):
            slug = participant["partner"]
            self._upsert(
                ExerciseParticipant,
                {
                    "exercise": exercise,
                    "partner": self._lookup(self.partners, slug, where, "partner"),
                },
                {"role": participant.get("role", ExerciseParticipant.Role.PARTICIPANT)},
                f"{where} participant {slug!r}",
                ENTRIES_REASON,
            )
        self._citations(exercise, "exercise", record, where)

    def load_procurement(self, record):
        where = f"entries.toml procurement {record.get('slug')!r}"
        dates = ["order_date", "delivery_date"]
        self._fields(
            record,
            where,
            [
                "manufacturer",
                "agreement",
                "quantity",
                "status",
                "summary",
                "value_amount",
                "value_currency",
                "citations",
                *dates,
                *(f"{d}_approximate" for d in dates),
                *translation_field_names(Procurement.TRANSLATED_FIELDS),
            ],
            required=["slug", "system", "category", "supplier"],
        )
        manufacturer, agreement = record.get("manufacturer"), record.get("agreement")
        values = {
            "system": record["system"],
            "category": record["category"],
            "status": record.get("status", Procurement.Status.REPORTED),
            "quantity": record.get("quantity"),
            "summary": record.get("summary", "").strip(),
            "supplier_id": self._lookup(self.partners, record["supplier"], where, "partner").pk,
            "manufacturer_id": (
                self._lookup(self.partners, manufacturer, where, "partner").pk
                if manufacturer
                else None
            ),
            "agreement_id": (
                self._lookup(self.agreements, agreement, where, "agreement").pk
                if agreement
                else None
            ),
            **self._translations(Procurement, record),
            **self._dates(record, where, dates),
            **self._value(record),
        }
        procurement = self._upsert(
            Procurement,
            {"slug": record["slug"]},
            values,
            where,
            ENTRIES_REASON,
        )
        self._citations(procurement, "procurement", record, where)

    def load_person(self, record):
        where = f"entries.toml person {record.get('slug')!r}"
        self._fields(
            record,
            where,
            [
                "summary",
                "positions",
                "citations",
                *translation_field_names(Person.TRANSLATED_FIELDS),
            ],
            required=["slug", "name"],
        )
        person = self._upsert(
            Person,
            {"slug": record["slug"]},
            {
                "name": record["name"],
                "summary": record.get("summary", "").strip(),
                **self._translations(Person, record),
            },
            where,
            ENTRIES_REASON,
        )
        self.people[record["slug"]] = person
        positions = {}
        dates = ["start_date", "end_date"]
        for number, position in enumerate(record.get("positions", []), start=1):
            here = f"{where} position {position.get('key', number)!r}"
            self._fields(
                position,
                here,
                ["partner", "body", *dates, *(f"{d}_approximate" for d in dates)],
                required=["key", "title"],
            )
            key = self._local_key(position, here, positions)
            partner = position.get("partner")
            # A position is the title held in a body: its dates are what may change.
            positions[key] = self._upsert(
                Position,
                {
                    "person": person,
                    "title": position["title"],
                    "partner": self._lookup(self.partners, partner, here, "partner")
                    if partner
                    else None,
                    "body": position.get("body", ""),
                },
                self._dates(position, here, dates),
                here,
                ENTRIES_REASON,
            )
        self._citations(person, "person", record, where, {"position": positions})

    def load_engagement(self, record):
        where = f"entries.toml engagement {record.get('slug')!r}"
        dates = ["date", "end_date"]
        self._fields(
            record,
            where,
            [
                "place",
                "hedge",
                "summary",
                "partners",
                "people",
                "citations",
                *dates,
                *(f"{d}_approximate" for d in dates),
                *translation_field_names(Engagement.TRANSLATED_FIELDS),
            ],
            required=["slug", "title", "kind"],
        )
        values = {
            "title": record["title"],
            "kind": record["kind"],
            "place": record.get("place", ""),
            "hedge": record.get("hedge", ""),
            "summary": record.get("summary", "").strip(),
            **self._translations(Engagement, record),
            **self._dates(record, where, dates),
        }
        engagement = self._upsert(
            Engagement, {"slug": record["slug"]}, values, where, ENTRIES_REASON
        )
        for model, field, table in [
            (EngagementPartner, "partner", self.partners),
            (EngagementPerson, "person", self.people),
        ]:
            plural = "partners" if field == "partner" else "people"
            for link in record.get(plural, []):
                here = f"{where} {field} {link.get(field)!r}"
                self._fields(link, here, ["role"], required=[field])
                self._upsert(
                    model,
                    {
                        "engagement": engagement,
                        field: self._lookup(table, link[field], here, field),
                    },
                    {"role": link.get("role", Role.UNSTATED)},
                    here,
                    ENTRIES_REASON,
                )
        self._citations(engagement, "engagement", record, where)

    def load_indicator(self, record):
        where = f"entries.toml indicator {record.get('slug')!r}"
        self._fields(
            record,
            where,
            [
                "partner",
                "measure",
                "unit",
                "currency",
                "summary",
                "values",
                "citations",
                *translation_field_names(Indicator.TRANSLATED_FIELDS),
            ],
            required=["slug", "name", "subject"],
        )
        partner = record.get("partner")
        values = {
            "name": record["name"],
            "subject": record["subject"],
            "partner_id": self._lookup(self.partners, partner, where, "partner").pk
            if partner
            else None,
            "measure": record.get("measure", Indicator.Measure.AMOUNT),
            "unit": record.get("unit", ""),
            "currency": record.get("currency", ""),
            "summary": record.get("summary", "").strip(),
            **self._translations(Indicator, record),
        }
        indicator = self._upsert(
            Indicator, {"slug": record["slug"]}, values, where, ENTRIES_REASON
        )
        figures = {}
        for number, figure in enumerate(record.get("values", []), start=1):
            here = f"{where} value {figure.get('key', number)!r}"
            self._fields(
                figure,
                here,
                ["period", "period_approximate", "basis", "as_stated"],
                required=["key", "value"],
            )
            key = self._local_key(figure, here, figures)
            period = self._dates(figure, here, ["period"])
            basis = figure.get("basis", IndicatorValue.Basis.REPORTED)
            # A value is one period's figure of one basis: the figure is what may change.
            figures[key] = self._upsert(
                IndicatorValue,
                {
                    "indicator": indicator,
                    "period": period["period"],
                    "period_precision": period["period_precision"],
                    "period_month": period["period_month"],
                    "basis": basis,
                },
                {
                    "value": self._decimal(figure["value"], here),
                    "as_stated": figure.get("as_stated", ""),
                    "period_approximate": period["period_approximate"],
                },
                here,
                ENTRIES_REASON,
            )
        self._citations(indicator, "indicator", record, where, {"value": figures})

    @staticmethod
    def _decimal(text, where):
        """A figure written as a string ("3.6"), never a TOML float, which is not exact."""
        if isinstance(text, bool) or not isinstance(text, (str, int)):
            raise FixtureError(f'{where}: write the value as a string, e.g. value = "3.6".')
        try:
            value = Decimal(str(text).strip())
        except InvalidOperation:
            raise FixtureError(f"{where}: {text!r} is not a number.") from None
        if not value.is_finite():
            raise FixtureError(f"{where}: {text!r} is not a number.")
        return value


def _edited_since_loaded(obj):
    latest = obj.history.order_by("-history_date", "-pk").first()
    if latest is None:
        return False
    by_loader = latest.history_user_id is None and (latest.history_change_reason or "").startswith(
        LOADER_REASON
    )
    return not by_loader


def _describe(error):
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
