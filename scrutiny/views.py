from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import Http404
from django.views import View
from django.views.generic import FormView, TemplateView

from meetings.selectors import committee_list_with_next_meeting, meeting_list

from . import access
from .forms import LoginForm, PasswordResetRequestForm, SetNewPasswordForm, TwoFactorCodeForm
from .models import Committee
from .selectors import committee_get, membership_list_current


def committee_or_404(slug: str) -> Committee:
    try:
        return committee_get(slug=slug)
    except Committee.DoesNotExist as missing:
        raise Http404("No such committee.") from missing


class HomeView(TemplateView):
    template_name = "scrutiny/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["committees"] = committee_list_with_next_meeting(user=self.request.user)
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
        context.update(
            committee=committee,
            memberships=membership_list_current(committee=committee),
            upcoming_meetings=list(meetings.upcoming()),
            past_meetings=list(past_page),
            past_page=past_page,
            can_edit=access.can_edit_committee(self.request.user, committee),
            can_see_exempt=access.can_see_exempt(self.request.user, committee),
        )
        return context


class LoginView(auth_views.LoginView):
    """Password first; users with a second factor then give their app's code."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        from django.shortcuts import redirect

        from .models import SecondFactor

        user = form.get_user()
        if SecondFactor.objects.filter(user=user).exists():
            self.request.session["two_factor_user"] = user.pk
            self.request.session["two_factor_backend"] = user.backend
            self.request.session["two_factor_next"] = self.get_success_url()
            return redirect("two_factor")
        return super().form_valid(form)


class TwoFactorView(FormView):
    template_name = "registration/two_factor.html"
    form_class = TwoFactorCodeForm

    def dispatch(self, request, *args, **kwargs):
        from django.shortcuts import redirect

        if "two_factor_user" not in request.session:
            return redirect("login")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        from django.contrib.auth import get_user_model, login
        from django.core.cache import cache
        from django.shortcuts import redirect

        from . import two_factor
        from .models import SecondFactor

        session = self.request.session
        user = get_user_model().objects.get(pk=session["two_factor_user"])
        secret = SecondFactor.objects.get(user=user).secret
        key = f"two-factor-failures:{user.pk}"
        if (cache.get(key) or 0) >= 5:
            session.flush()
            messages.error(self.request, "Too many wrong codes. Sign in again.")
            return redirect("login")
        if not two_factor.code_is_valid(secret, form.cleaned_data["code"]):
            cache.add(key, 0, 15 * 60)
            cache.incr(key)
            form.add_error("code", "Enter the 6-digit code your app shows now")
            return self.form_invalid(form)
        next_url = session.get("two_factor_next") or "/"
        backend = session["two_factor_backend"]
        login(self.request, user, backend=backend)
        return redirect(next_url)


class TwoFactorSetupView(FormView):
    """Turn the second factor on (scan, then confirm a code) or off."""

    template_name = "registration/two_factor_setup.html"
    form_class = TwoFactorCodeForm

    def dispatch(self, request, *args, **kwargs):
        from django.contrib.auth.views import redirect_to_login

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from . import two_factor
        from .models import SecondFactor

        context = super().get_context_data(**kwargs)
        enabled = SecondFactor.objects.filter(user=self.request.user).exists()
        if not enabled:
            secret = self.request.session.get("two_factor_setup")
            if not secret:
                secret = self.request.session["two_factor_setup"] = two_factor.new_secret()
            uri = two_factor.provisioning_uri(self.request.user, secret)
            context.update(secret=secret, qr=two_factor.qr_svg(uri))
        context["enabled"] = enabled
        return context

    def post(self, request, *args, **kwargs):
        from django.shortcuts import redirect

        from . import two_factor

        if request.POST.get("action") == "disable":
            two_factor.two_factor_disable(user=request.user)
            messages.success(request, "The second factor is off.")
            return redirect("two_factor_setup")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        from django.core.exceptions import ValidationError
        from django.shortcuts import redirect

        from . import two_factor

        secret = self.request.session.get("two_factor_setup", "")
        try:
            two_factor.two_factor_enable(
                user=self.request.user, secret=secret, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error.message_dict["code"])
            return self.form_invalid(form)
        self.request.session.pop("two_factor_setup", None)
        messages.success(self.request, "The second factor is on: sign-in will ask for a code.")
        return redirect("two_factor_setup")


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
        messages.success(request, "You have been signed out on every device.")
        return redirect("home")
