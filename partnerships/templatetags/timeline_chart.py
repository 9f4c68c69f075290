"""{% partner_timeline_chart partner %}: a partner's events drawn to scale, in lanes by
type, as a figure with its caption (the page gives the heading). Drawn once per
content version (timeline_chart.cached_chart)."""

from django import template

from ..timeline_chart import cached_chart

register = template.Library()


@register.inclusion_tag("partnerships/includes/timeline_chart.html")
def partner_timeline_chart(partner):
    return {"chart": cached_chart(partner=partner)}
