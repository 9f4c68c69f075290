"""CSV and JSON exports of a filtered list: every row, with its citations.

Both formats open with when the export was made, from which address and with
which filters, so a saved file says what it is.
"""

import csv

from django.http import HttpResponse, JsonResponse
from django.utils import timezone

FORMATS = ("csv", "json")
SITE_NAME = "Morocco defense partnerships wiki"
# Cells a spreadsheet would run as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _citations(entry):
    return [
        {
            "source": citation.source.title,
            "source_url": citation.source.get_absolute_url(),
            "quote": citation.quote,
            "supports": citation.supports,
            "stance": citation.stance,
        }
        for citation in entry.citations.all()
    ]


def _names(partners):
    return [partner.name for partner in partners]


def partner_row(partner):
    return {
        "name": partner.name,
        "url": partner.get_absolute_url(),
        "kind": partner.get_kind_display(),
        "short_name": partner.short_name,
        "aliases": partner.alias_list,
        "home_country": partner.parent.name if partner.parent else "",
        "agreements": partner.agreement_count,
        "exercises": partner.exercise_count,
        "equipment_deals": partner.equipment_count,
        "summary": partner.summary,
        "citations": _citations(partner),
    }


def agreement_row(agreement):
    return {
        "title": agreement.title,
        "url": agreement.get_absolute_url(),
        "kind": agreement.get_kind_display(),
        "parties": _names(agreement.parties.all()),
        "date": agreement.concluded.iso,
        "date_approximate": agreement.date_approximate,
        "start": agreement.starts.iso,
        "end": agreement.ends.iso,
        "status": agreement.get_status_display(),
        "value": _amount(agreement.value_amount),
        "currency": agreement.value_currency,
        "summary": agreement.summary,
        "citations": _citations(agreement),
    }


def exercise_row(exercise):
    return {
        "name": exercise.name,
        "url": exercise.get_absolute_url(),
        "series": exercise.series,
        "start": exercise.starts.iso,
        "end": exercise.ends.iso,
        "location": exercise.location,
        "domains": [str(label) for label in exercise.get_domains_list()],
        "participants": [
            f"{link.partner.name} ({link.get_role_display().lower()})"
            for link in exercise.participations.all()
        ],
        "summary": exercise.summary,
        "citations": _citations(exercise),
    }


def procurement_row(procurement):
    return {
        "system": procurement.system,
        "url": procurement.get_absolute_url(),
        "category": procurement.get_category_display(),
        "supplier": procurement.supplier.name,
        "manufacturer": procurement.manufacturer.name if procurement.manufacturer else "",
        "agreement": procurement.agreement.title if procurement.agreement else "",
        "quantity": procurement.quantity,
        "ordered": procurement.ordered.iso,
        "delivered": procurement.delivered.iso,
        "status": procurement.get_status_display(),
        "value": _amount(procurement.value_amount),
        "currency": procurement.value_currency,
        "summary": procurement.summary,
        "citations": _citations(procurement),
    }


def source_row(source):
    return {
        "title": source.title,
        "url": source.get_absolute_url(),
        "kind": source.get_kind_display(),
        "publisher": source.publisher,
        "author": source.author,
        "language": source.get_language_display(),
        "published": source.published.iso,
        "address": source.url,
        "citations": [
            {
                "entry": str(citation.entry),
                "entry_url": citation.entry.get_absolute_url(),
                "quote": citation.quote,
                "supports": citation.supports,
                "stance": citation.stance,
            }
            for citation in source.citations.all()
        ],
    }


def _amount(value):
    if value is None:
        return None
    return str(int(value)) if value == value.to_integral_value() else str(value)


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
