"""{% site_link "partners" %}: the header's and footer's addresses, reversed once.

A built-in of the site's template engine (see TEMPLATES), so no {% load %};
a tag rather than a context processor so that the error pages, drawn
without a request, link the same way.
"""

from django import template

from partnerships.links import site_link

register = template.Library()
register.simple_tag(site_link, name="site_link")
