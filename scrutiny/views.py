from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import Http404
from django.views import View
from django.views.generic import TemplateView

from meetings.selectors import committee_list_with_next_meeting, meeting_list

from . import access
from .forms import LoginForm, PasswordResetRequestForm, SetNewPasswordForm
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
    form_class = LoginForm
    redirect_authenticated_user = True


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
