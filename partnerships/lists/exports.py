"""CSV and JSON exports of a filtered list: every row, with its citations, streamed.

Both formats open with when the export was made, from which address and with
which filters, so a saved file says what it is. Each list gives its rows as
dicts (partnerships.exports, sources.exports).

The rows are the data as stored, in English on every page (names, choices,
dates as stated), so that a file reads the same whichever language it was
downloaded in. A JSON file is an API, all English; a CSV file says its opening
line and its header row in the page's language, its columns in the same order.

An export is written while it is sent: the rows are read a chunk at a time
(EXPORT_CHUNK rows, or the list's own ListKind.export_chunk), each chunk's
relations (citations, parties, participants…) prefetched together, so a worker
holds one chunk however long the list, and the queries are a COUNT, the rows'
own and the list's prefetches once per chunk.
"""

import csv
import json

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import ngettext, pgettext

FORMATS = ("csv", "json")
SITE_NAME = "Morocco defense partnerships wiki"
# Cells a spreadsheet would run as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Rows read, and their relations prefetched, at a time: what a worker holds at once
# (a list may ask for fewer, see ListKind.export_chunk). Under SQLite's 32,766
# parameters, which a chunk's prefetch `IN (…)` must fit in.
EXPORT_CHUNK = 1000
# Text sent in pieces of about this many characters rather than a write per row.
SEND_SIZE = 64 * 1024


def export_response(
    request, fmt, name, queryset, export_row, filters, chunk_size=EXPORT_CHUNK, headers=None
):
    """Every item of `queryset` as a row of `export_row`, streamed as `fmt`.

    `filters` are the cleaned filter values; `queryset` must bake in the prefetching
    of what `export_row` reads, which then happens for each `chunk_size` rows.
    `headers` are the CSV's headers of the rows' keys in the page's language.
    """
    made = timezone.now().replace(microsecond=0)
    head = {
        "exported": f"Exported from the {SITE_NAME} on {made.isoformat()}",
        "exported_at": made.isoformat(),
        "address": request.build_absolute_uri(),
        "filters": {
            key: str(value) for key, value in filters.items() if value not in (None, "", [])
        },
        # Counted first, so the file can say how many rows follow before it sends them.
        "count": queryset.count(),
    }
    rows = _rows(request, queryset.iterator(chunk_size=chunk_size), export_row)
    if fmt == "json":
        pieces, content_type = _json_pieces(head, name, rows), "application/json"
    else:
        # Said now, in the page's language: the file is written once the view has returned.
        opening = _csv_opening(head, name)
        labels = {key: str(label) for key, label in (headers or {}).items()}
        pieces, content_type = _csv_pieces(opening, labels, rows), "text/csv; charset=utf-8"
    response = StreamingHttpResponse(_batched(pieces), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}-{made:%Y-%m-%d}.{fmt}"'
    return response


def _rows(request, items, export_row):
    for item in items:
        with translation.override(settings.LANGUAGE_CODE):  # the data as stored
            row = export_row(item)
        # A prefetched row points back at its item (a citation's .agreement is the
        # agreement): a cycle that only the collector's rare full sweeps would free,
        # so memory would grow with the export. Broken, each chunk is freed once written.
        vars(item).pop("_prefetched_objects_cache", None)
        row["url"] = request.build_absolute_uri(row["url"])
        yield row


def _json_pieces(head, name, rows):
    """One JSON document, as JsonResponse with indent=2 would write it, row by row."""
    opening = json.dumps(head, ensure_ascii=False, indent=2)
    # Reopen the object the header closed ("\n}") to add the array of rows.
    yield f"{opening[:-2]},\n  {json.dumps(name)}: ["
    empty = True
    for row in rows:
        # JSON escapes every newline inside a string: each "\n" here is indentation.
        text = json.dumps(row, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        yield ("\n    " if empty else ",\n    ") + text
        empty = False
    yield "]\n}\n" if empty else "\n  ]\n}\n"


class _Echo:
    """A file for csv.writer that hands each written line back instead of keeping it."""

    def write(self, line):
        return line


def _csv_opening(head, name):
    """The CSV's first line, a comment saying what the file is, in the page's language.
    The filters are said as the address says them ("partner=Israel")."""
    filter_text = "; ".join(f"{key}={value}" for key, value in head["filters"].items())
    count = head["count"]
    # Translators: %(name)s is the export's name as its file is named, in English
    # ("agreements", "equipment", "people").
    said = ngettext(
        "Exported from the Morocco defense partnerships wiki on %(made)s; %(count)s %(name)s; "
        "filters: %(filters)s; %(address)s",
        "Exported from the Morocco defense partnerships wiki on %(made)s; %(count)s %(name)s; "
        "filters: %(filters)s; %(address)s",
        count,
    )
    return "# " + said % {
        "made": head["exported_at"],
        "count": count,
        "name": name,
        "filters": filter_text or pgettext("no filters", "none"),
        "address": head["address"],
    }


def _csv_pieces(opening, labels, rows):
    writer = csv.writer(_Echo())
    yield writer.writerow([opening])
    for number, row in enumerate(rows):
        if not number:
            yield writer.writerow([labels.get(key, key) for key in row])
        yield writer.writerow([_cell(value) for value in row.values()])


def _batched(pieces):
    """`pieces` joined into texts of about SEND_SIZE characters."""
    batch, size = [], 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece)
        if size >= SEND_SIZE:
            yield "".join(batch)
            batch, size = [], 0
    if batch:
        yield "".join(batch)


def _cell(value):
    if isinstance(value, list):
        value = " | ".join(_item_text(item) for item in value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    if text.startswith(FORMULA_PREFIXES) and not _is_number(text):
        return "'" + text
    return text


def _item_text(item):
    if not isinstance(item, dict):
        return str(item)
    if "quote" in item:
        return _citation_text(item)
    # A row of another kind (an indicator's value): its non-empty fields, named.
    return "; ".join(f"{key}: {value}" for key, value in item.items() if value not in ("", None))


def _citation_text(citation):
    where = citation.get("source") or citation.get("entry")
    stance = " (disputes)" if citation["stance"] == "disputes" else ""
    text = f"{where}{stance}: “{citation['quote']}”"
    if facts := citation.get("fact_labels"):
        text += f" [{', '.join(facts)}]"
    if note := citation.get("note"):
        text += f" ({note})"
    return text


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True
