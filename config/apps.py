from django.contrib.admin.apps import AdminConfig


class WikiAdminConfig(AdminConfig):
    """django.contrib.admin, with the site's AdminSite (config.admin.WikiAdminSite)."""

    default_site = "config.admin.WikiAdminSite"
