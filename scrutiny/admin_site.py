"""The admin site: only for staff whose session has given a code from their
authenticator app, and with no sign-in page of its own."""

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.admin import OTPAdminSite


class ScrutinyAdminSite(OTPAdminSite):
    """django-otp's admin site: `has_permission` also requires a verified session
    (`request.user.is_verified()`), so a password alone never opens the admin."""

    site_header = "Scrutiny administration"
    site_title = "Scrutiny administration"

    def __init__(self, name="admin"):
        super().__init__(name)

    def login(self, request, extra_context=None):
        """Hand over to the site's sign-in (password, then code, under the same
        lock-out) instead of a second, weaker one; tell staff without a second
        factor to set one up."""
        from . import two_factor

        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url)
        if not (user.is_active and user.is_staff):
            raise PermissionDenied("The admin is for Member Services staff.")
        if user.is_verified():
            return redirect(next_url)
        if two_factor.has_second_factor(user):
            return redirect_to_login(next_url, login_url=reverse("two_factor"))
        return render(
            request,
            "registration/admin_needs_second_factor.html",
            {"next_url": next_url},
            status=403,
        )
