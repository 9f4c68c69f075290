"""{% partner_neighbourhood partner %}: a partner's "Connections" section, its own
neighbourhood in the network (partnerships/network.py), drawn once per content
version and partner and cached."""

from django import template
from django.utils.translation import gettext as _

from partnerships.network import neighbourhood

register = template.Library()


@register.inclusion_tag("partnerships/includes/network_figure.html")
def partner_neighbourhood(partner):
    # None when the partner is gone from the database (an as-of view of a deleted one).
    return {"picture": neighbourhood(partner), "heading": _("Connections")}
