from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ScrutinyConfig(AppConfig):
    default = True
    name = "scrutiny"
    verbose_name = "Committees and people"

    def ready(self):
        from django.db.backends.signals import connection_created

        from .page_cache import install_write_watch

        # Every committed write retires the anonymous page cache (scrutiny/page_cache.py).
        connection_created.connect(install_write_watch, dispatch_uid="scrutiny-write-watch")


class ScrutinyAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our site as `admin.site`, so that every app's
    `@admin.register` lands on the site that requires a second factor."""

    default = False  # not the configuration of the "scrutiny" app itself
    default_site = "scrutiny.admin_site.ScrutinyAdminSite"
