"""CSV and JSON exports of a filtered list: every row, with its citations.

Both formats open with when the export was made, from which address and with
which filters, so a saved file says what it is. Each list gives its rows as
dicts (partnerships.exports, sources.exports).
"""

import csv

from django.http import HttpResponse, JsonResponse
from django.utils import timezone

FORMATS = ("csv", "json")
SITE_NAME = "Morocco defense partnerships wiki"
# Cells a spreadsheet would run as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def export_response(request, fmt, name, rows, filters):
    """`rows` are dicts from the *_row functions above; `filters` the cleaned filter values."""
    made = timezone.now().replace(microsecond=0)
    address = request.build_absolute_uri()
    described = {key: str(value) for key, value in filters.items() if value not in (None, "", [])}
    filename = f"{name}-{made:%Y-%m-%d}.{fmt}"
    if fmt == "json":
        for row in rows:
            row["url"] = request.build_absolute_uri(row["url"])
        response = JsonResponse(
            {
                "exported": f"Exported from the {SITE_NAME} on {made.isoformat()}",
                "exported_at": made.isoformat(),
                "address": address,
                "filters": described,
                "count": len(rows),
                name: rows,
            },
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        writer = csv.writer(response)
        filter_text = "; ".join(f"{key}={value}" for key, value in described.items()) or "none"
        writer.writerow(
            [
                f"# Exported from the {SITE_NAME} on {made.isoformat()}; "
                f"{len(rows)} {name}; filters: {filter_text}; {address}"
            ]
        )
        if rows:
            writer.writerow(rows[0].keys())
        for row in rows:
            row["url"] = request.build_absolute_uri(row["url"])
            writer.writerow([_cell(value) for value in row.values()])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _cell(value):
    if isinstance(value, list):
        value = " | ".join(
            _citation_text(item) if isinstance(item, dict) else item for item in value
        )
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    if text.startswith(FORMULA_PREFIXES) and not _is_number(text):
        return "'" + text
    return text


def _citation_text(citation):
    where = citation.get("source") or citation.get("entry")
    stance = " (disputes)" if citation["stance"] == "disputes" else ""
    return f"{where}{stance}: “{citation['quote']}”"


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True
