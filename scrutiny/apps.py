from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ScrutinyConfig(AppConfig):
    default = True
    name = "scrutiny"
    verbose_name = "Committees and people"

    def ready(self):
        from django.core.signals import request_finished, request_started
        from django.db.backends.signals import connection_created

        from . import fragments
        from .page_cache import install_write_watch

        # Every committed write retires the anonymous page cache (scrutiny/page_cache.py).
        connection_created.connect(install_write_watch, dispatch_uid="scrutiny-write-watch")
        # A request reads the content version once (scrutiny/fragments.py).
        request_started.connect(fragments.request_started, dispatch_uid="scrutiny-version-memo")
        request_finished.connect(fragments.request_finished, dispatch_uid="scrutiny-version-memo")


class ScrutinyAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our site as `admin.site`, so that every app's
    `@admin.register` lands on the site that requires a second factor."""

    default = False  # not the configuration of the "scrutiny" app itself
    default_site = "scrutiny.admin_site.ScrutinyAdminSite"
