"""The site's admin: Django's, with an address that names no object answering 404.

Django's admin redirects a change, delete or history page whose id names
nothing (a missing id, or letters, a negative or huge number, a NUL) to its
index with a message, or refuses it when the page is refused for every
object; here it is a 404, as for every other address. Every
ModelAdmin registered on this site gets that, Django's own (users, groups)
included.
"""

from django.contrib import admin
from django.http import Http404
from django.utils.translation import gettext_lazy


class MissingObjectNotFound:
    def get_object(self, request, object_id, from_field=None):
        # Django's change, delete and history views find their object here, and
        # redirect when there is none; before checking permissions, so that a
        # page refused to everyone (a read-only model's delete) is a 404 too.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} has this id.")
        return obj


class WikiAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Morocco defense partnerships — editors")
    site_title = gettext_lazy("Partnerships wiki admin")

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, MissingObjectNotFound):
            admin_class = type(
                admin_class.__name__,
                (MissingObjectNotFound, admin_class),
                {"__module__": admin_class.__module__},
            )
        return super().register(model_or_iterable, admin_class, **options)
