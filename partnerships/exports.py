"""The export rows of partners, agreements, exercises and equipment deals: every field,
with the entry's citations (see partnerships.lists.exports for the files)."""


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


def _amount(value):
    if value is None:
        return None
    return str(int(value)) if value == value.to_integral_value() else str(value)
