from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from meetings.selectors import (
    RetentionView,
    committee_list_with_next_meeting,
    meeting_list,
    retention_list,
)

from . import access
from .forms import LoginForm, PasswordResetRequestForm, SetNewPasswordForm, TwoFactorCodeForm
from .selectors import membership_list_current, my_committees
from .viewing import committee_or_404


class HomeView(TemplateView):
    template_name = "scrutiny/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["committees"] = committee_list_with_next_meeting(user=self.request.user)
        context["my_committees"] = my_committees(user=self.request.user)
        return context


class CommitteeDetailView(TemplateView):
    template_name = "scrutiny/committee_detail.html"
    past_meetings_per_page = 12

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        committee = committee_or_404(self.kwargs["slug"])
        meetings = meeting_list(user=self.request.user, committee=committee)
        past_page = Paginator(meetings.past(), self.past_meetings_per_page).get_page(
            self.request.GET.get("page")
        )
        can_edit = access.can_edit_committee(self.request.user, committee)
        context.update(
            committee=committee,
            retention_ended=retention_list(committee=committee, view=RetentionView.ENDED).count()
            if can_edit
            else 0,
            memberships=membership_list_current(committee=committee),
            upcoming_meetings=list(meetings.upcoming()),
            past_meetings=list(past_page),
            past_page=past_page,
            can_edit=can_edit,
            can_see_exempt=access.can_see_exempt(self.request.user, committee),
        )
        return context


# The sign-in waiting for its code, kept in the (not yet signed-in) session.
PENDING_USER, PENDING_BACKEND, PENDING_NEXT = (
    "two_factor_user",
    "two_factor_backend",
    "two_factor_next",
)
SETUP_KEY = "two_factor_setup_key"


class LoginView(auth_views.LoginView):
    """Password first; users with a second factor then give their app's code."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        from django.shortcuts import redirect

        from . import two_factor

        user = form.get_user()
        if two_factor.has_second_factor(user):
            self.request.session[PENDING_USER] = user.pk
            self.request.session[PENDING_BACKEND] = user.backend
            self.request.session[PENDING_NEXT] = self.get_success_url()
            return redirect("two_factor")
        return super().form_valid(form)


def _safe_next(request, default: str) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


class TwoFactorView(FormView):
    """The second step of signing in: the code from the user's app. A wrong code counts
    as a failed sign-in for the lock-out. A signed-in user whose session has not given
    a code (the admin asks for one) can give it here too."""

    template_name = "registration/two_factor.html"
    form_class = TwoFactorCodeForm

    def dispatch(self, request, *args, **kwargs):
        from django.shortcuts import redirect

        self.user = self.user_to_verify()
        if self.user is None:
            return redirect("login")
        return super().dispatch(request, *args, **kwargs)

    def user_to_verify(self):
        from django.contrib.auth import get_user_model

        from . import two_factor

        if PENDING_USER in self.request.session:
            return (
                get_user_model()
                .objects.filter(pk=self.request.session[PENDING_USER], is_active=True)
                .first()
            )
        user = self.request.user
        if user.is_authenticated and not user.is_verified() and two_factor.has_second_factor(user):
            return user
        return None

    def forget_pending(self):
        for key in (PENDING_USER, PENDING_BACKEND, PENDING_NEXT):
            self.request.session.pop(key, None)

    def form_valid(self, form):
        from axes.handlers.proxy import AxesProxyHandler
        from axes.helpers import get_lockout_response
        from django.contrib.auth import login
        from django.contrib.auth.signals import user_login_failed
        from django.core.exceptions import ValidationError
        from django.shortcuts import redirect
        from django_otp import login as otp_login

        from . import two_factor

        request = self.request
        credentials = {"username": self.user.get_username()}
        if not AxesProxyHandler.is_allowed(request, credentials):
            self.forget_pending()
            return get_lockout_response(request, credentials=credentials)
        try:
            device = two_factor.two_factor_verify(user=self.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            if error.code == "wrong_code":
                # django-axes counts it with the password failures; at the limit its
                # middleware answers with the lock-out page.
                user_login_failed.send(sender=__name__, credentials=credentials, request=request)
                if getattr(request, "axes_locked_out", False):
                    self.forget_pending()
            form.add_error("code", error)
            return self.form_invalid(form)
        if PENDING_USER in request.session:
            backend = request.session[PENDING_BACKEND]
            next_url = request.session.get(PENDING_NEXT) or "/"
            self.forget_pending()
            login(request, self.user, backend=backend)
        else:
            next_url = _safe_next(request, default="/")
        otp_login(request, device)
        return redirect(next_url)


class TwoFactorSetupView(FormView):
    """Turn the second factor on (scan, then confirm a code) or off (give a code)."""

    template_name = "registration/two_factor_setup.html"
    form_class = TwoFactorCodeForm

    def dispatch(self, request, *args, **kwargs):
        from django.contrib.auth.views import redirect_to_login

        from . import two_factor

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.enabled = two_factor.has_second_factor(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from . import two_factor

        context = super().get_context_data(**kwargs)
        if not self.enabled:
            key = self.request.session.get(SETUP_KEY)
            if not key:
                key = self.request.session[SETUP_KEY] = two_factor.new_key()
            device = two_factor.setup_device(self.request.user, key)
            context.update(
                secret=two_factor.key_for_typing(device), qr=two_factor.qr_svg(device.config_url)
            )
        context["enabled"] = self.enabled
        return context

    def form_valid(self, form):
        from django.core.exceptions import ValidationError
        from django.shortcuts import redirect
        from django_otp import login as otp_login

        from . import two_factor

        request, code = self.request, form.cleaned_data["code"]
        wants_off = request.POST.get("action") == "disable"
        key = request.session.get(SETUP_KEY)
        if wants_off != self.enabled or not (self.enabled or key):
            return redirect("two_factor_setup")  # the page was out of date: show it again
        try:
            if self.enabled:
                two_factor.two_factor_disable(user=request.user, code=code)
            else:
                device = two_factor.two_factor_enable(user=request.user, key=key, code=code)
        except ValidationError as error:
            form.add_error("code", error)
            return self.form_invalid(form)
        if self.enabled:
            messages.success(request, "The second factor is off.")
            return redirect("two_factor_setup")
        request.session.pop(SETUP_KEY, None)
        otp_login(request, device)  # the code just given verifies this session
        messages.success(request, "The second factor is on: sign-in will ask for a code.")
        return redirect(_safe_next(request, default=reverse("two_factor_setup")))


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetNewPasswordForm


class PersonDetailView(TemplateView):
    """A councillor's or officer's public page: their committees and, for councillors,
    their attendance record."""

    template_name = "scrutiny/person_detail.html"

    def get_context_data(self, **kwargs):
        from minutes.selectors import attendance_record

        from .models import Person, PersonKind

        context = super().get_context_data(**kwargs)
        person = Person.objects.filter(pk=self.kwargs["pk"]).first()
        if person is None:
            raise Http404("No such person.")
        context.update(
            person=person,
            memberships=list(
                person.memberships.select_related("committee").order_by("-start_date")
            ),
            record=attendance_record(person=person)
            if person.kind == PersonKind.COUNCILLOR
            else None,
        )
        return context


# The page after signing out carries this tag on its message: sign-out.js clears the
# minute text kept in the browser's storage there, and the response asks the browser
# to clear it too, so that the next person at a shared computer finds none of it.
SIGNED_OUT = "signed-out"


def _signed_out(request, response, message: str):
    messages.success(request, message, extra_tags=SIGNED_OUT)
    response["Clear-Site-Data"] = '"storage"'
    return response


class SignOutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        return _signed_out(request, response, "You have signed out.")


class SignOutEverywhereView(View):
    """End every session of this user, on every device, then this one."""

    def post(self, request):
        from django.contrib.auth import logout
        from django.contrib.sessions.models import Session
        from django.shortcuts import redirect
        from django.utils import timezone

        if request.user.is_authenticated:
            user_id = str(request.user.pk)
            for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
                if session.get_decoded().get("_auth_user_id") == user_id:
                    session.delete()
            logout(request)
        return _signed_out(request, redirect("home"), "You have been signed out on every device.")


def favicon(request):
    """Browsers ask for /favicon.ico on a first visit, whatever the page links to."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("favicon.svg"))


class MyMeetingsView(LoginRequiredMixin, TemplateView):
    """A signed-in reader's own page. Opening it marks the papers shown as seen."""

    template_name = "scrutiny/my_meetings.html"

    def get_context_data(self, **kwargs):
        from django.utils import timezone

        from .models import ReaderVisit
        from .selectors import my_meetings

        context = super().get_context_data(**kwargs)
        now = timezone.now()
        visit = ReaderVisit.objects.filter(user=self.request.user).first()
        mine = my_meetings(
            user=self.request.user, since=visit.my_meetings_at if visit else None, now=now
        )
        from exempt import audit

        # Exempt items named in full here are read, as on a meeting's page: logged.
        for item in mine.exempt_items:
            item.shown_in_full = True
        audit.record_items_viewed(self.request, mine.exempt_items, page="my meetings")
        context["mine"] = mine
        ReaderVisit.objects.update_or_create(
            user=self.request.user, defaults={"my_meetings_at": now}
        )
        return context
