"""Subscribing to a committee's alerts, confirming, and unsubscribing in one click."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView

from scrutiny.viewing import apply_service_errors, committee_or_404

from . import services
from .forms import SubscribeForm
from .models import Subscription, SubscriptionStatus


class SubscribeView(FormView):
    template_name = "alerts/subscribe.html"
    form_class = SubscribeForm

    @cached_property
    def committee(self):
        return committee_or_404(self.kwargs["slug"])

    def get_initial(self):
        user = self.request.user
        return {"email": user.email} if user.is_authenticated else {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["committee"] = self.committee
        return context

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        try:
            services.subscription_request(
                email=email, committee=self.committee, topics=form.cleaned_data["topics"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        # The same words whatever the address's state: the page tells no one who else
        # subscribes.
        messages.success(
            self.request,
            f"Thank you. Look for an e-mail to {email} with a link to confirm: alerts start "
            "only when it is followed. (We send at most one such e-mail a day to an address.)",
        )
        return redirect(self.committee.get_absolute_url())


class TokenMixin:
    @cached_property
    def subscription(self) -> Subscription:
        subscription = (
            Subscription.objects.select_related("committee")
            .filter(token=self.kwargs["token"])
            .first()
        )
        if subscription is None:
            raise Http404("This link is not (or no longer) valid.")
        return subscription

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(subscription=self.subscription, committee=self.subscription.committee)
        return context


class ConfirmView(TokenMixin, TemplateView):
    """The link in the confirmation e-mail opens a page with a button: a mail scanner
    that follows links does not subscribe anyone."""

    template_name = "alerts/confirm.html"

    def post(self, request, *args, **kwargs):
        subscription = services.subscription_confirm(token=self.subscription.token)
        if subscription.status != SubscriptionStatus.ACTIVE:
            messages.error(request, "These alerts were stopped. Subscribe again to restart them.")
        else:
            messages.success(
                request,
                f"Your alerts from the {subscription.committee.name} are on. Every e-mail has "
                "a link to stop them.",
            )
        return redirect(subscription.committee.get_absolute_url())


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(TokenMixin, TemplateView):
    """GET shows a button; POST unsubscribes at once: the mail program's one-click
    "Unsubscribe" (RFC 8058) posts here without a page or a cookie, so the token in the
    address is the only credential."""

    template_name = "alerts/unsubscribe.html"

    def post(self, request, *args, **kwargs):
        services.subscription_unsubscribe(token=self.subscription.token)
        self.__dict__.pop("subscription", None)
        return self.render_to_response(self.get_context_data(done=True))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("done", False)
        return super().get_context_data(**kwargs)
