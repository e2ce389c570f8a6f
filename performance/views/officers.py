"""The co-ordinator names the officers who upload the partnership's figures."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views import View
from django.views.generic import FormView

from scrutiny.viewing import CoordinatorMixin, apply_service_errors

from .. import selectors, services
from ..forms import DataOfficerForm
from .common import CommitteeMixin


class DataOfficerMixin(CommitteeMixin, CoordinatorMixin):
    """The committee's co-ordinators only; anyone else signs in or is refused."""

    def get_committee(self):
        return self.committee

    def to_list(self):
        return redirect("performance:data_officers", slug=self.committee.slug)


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


class DataOfficerListView(DataOfficerMixin, FormView):
    template_name = "performance/data_officers.html"
    form_class = DataOfficerForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "candidates": selectors.data_officer_candidates(committee=self.committee),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["officers"] = list(selectors.data_officer_list(committee=self.committee))
        return context

    def form_valid(self, form):
        user = form.cleaned_data["user"]
        try:
            services.data_officer_assign(committee=self.committee, user=user, by=self.request.user)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                error = ValidationError({"user": error.messages})
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{_name(user)} is now a data officer of the {self.committee.name}: they can "
            "upload its performance figures.",
        )
        return self.to_list()


class DataOfficerRemoveView(DataOfficerMixin, View):
    def post(self, request, *args, **kwargs):
        officer = (
            selectors.data_officer_list(committee=self.committee)
            .filter(user_id=self.kwargs["user_pk"])
            .first()
        )
        if officer is None:
            raise Http404("No such data officer.")
        services.data_officer_remove(committee=self.committee, user=officer.user, by=request.user)
        messages.success(
            request,
            f"{_name(officer.user)} is no longer a data officer of the {self.committee.name}.",
        )
        return self.to_list()
