"""The co-ordinator's minute-taking pages: minutes, each minute, history, attendance."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from meetings.selectors import show_item
from scrutiny.params import id_param
from scrutiny.selectors import chairman_on
from scrutiny.viewing import CoordinatorMixin, apply_service_errors

from .. import selectors, services
from ..forms import (
    AttendanceForm,
    ClosingTimeForm,
    DeclarationForm,
    MinuteForm,
    TakenWithForm,
)
from ..models import Attendance, AttendanceStatus, Minute, MinuteRevision
from ..text import html_to_plain, word_diff
from .review import circulated_message


class MinutesMixin(CoordinatorMixin):
    def get_minutes(self):
        minutes = selectors.minutes_get(meeting=self.meeting)
        if minutes is None:
            raise Http404("The minutes have not been started.")
        return minutes

    def editor_url(self, anchor: str = "") -> str:
        url = reverse("minutes:minutes_edit", kwargs={"meeting_pk": self.meeting.pk})
        return f"{url}#{anchor}" if anchor else url


class MinutesEditView(MinutesMixin, TemplateView):
    """The co-ordinator's view of the minutes: start them, then each minute, the
    register, declarations, the closing time and the next step."""

    template_name = "minutes/minutes_edit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        minutes = selectors.minutes_get(meeting=self.meeting)
        context.update(minutes=minutes, closing_form=None, declaration_form=None)
        if minutes is not None:
            day = timezone.localdate(self.meeting.starts_at)
            chairman = chairman_on(committee=self.committee, day=day)
            user = chairman.user if chairman else None
            context.update(
                chairman=chairman,
                chairman_reachable=bool(user and user.is_active and user.email),
                changed_since_answer=selectors.minutes_changed_since_answer(minutes=minutes),
            )
            context.update(
                entries=selectors.minute_list(minutes=minutes, user=self.request.user),
                register=selectors.attendance_register(meeting=self.meeting),
                declarations=selectors.declaration_list(meeting=self.meeting),
                closing_form=kwargs.get("closing_form")
                or ClosingTimeForm(initial={"closing_time": minutes.closing_time}),
                declaration_form=kwargs.get("declaration_form")
                or DeclarationForm(meeting=self.meeting),
            )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        try:
            if action == "start":
                services.minutes_prefill(meeting=self.meeting, user=request.user)
                messages.success(request, "The minutes are started from the agenda.")
                return redirect(self.editor_url())
            minutes = self.get_minutes()
            if action == "closing_time":
                form = ClosingTimeForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(closing_form=form))
                services.minutes_update(
                    minutes=minutes, closing_time=form.cleaned_data["closing_time"]
                )
                messages.success(request, "Closing time saved.")
            elif action == "circulate" or (action == "advance" and minutes.is_draft):
                gaps = selectors.minutes_gaps(minutes=minutes, user=request.user)
                if gaps and not request.POST.get("confirm"):
                    return render(
                        request,
                        "minutes/circulate_confirm.html",
                        {
                            "meeting": self.meeting,
                            "committee": self.committee,
                            "minutes": minutes,
                            "gaps": gaps,
                        },
                    )
                minutes = services.minutes_circulate(minutes=minutes)
                messages.success(request, circulated_message(minutes))
            elif action == "advance":
                try:
                    minutes = services.minutes_publish(
                        minutes=minutes, confirmed_version=id_param(request.POST.get("confirm"))
                    )
                except services.MinutesNotApproved as unapproved:
                    return render(
                        request,
                        "minutes/publish_confirm.html",
                        {
                            "meeting": self.meeting,
                            "committee": self.committee,
                            "minutes": minutes,
                            "reasons": unapproved.reasons,
                            "version": unapproved.version,
                        },
                    )
                messages.success(request, f"The minutes are now: {minutes.get_status_display()}.")
            elif action == "declare":
                form = DeclarationForm(request.POST, meeting=self.meeting)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(declaration_form=form))
                services.declaration_add(meeting=self.meeting, **form.cleaned_data)
                messages.success(request, "Declaration recorded.")
            elif action in ("up", "down"):
                minute = minutes.entries.filter(pk=id_param(request.POST.get("minute"))).first()
                if minute is None:
                    raise Http404("No such minute.")
                services.minute_move(minute=minute, offset=-1 if action == "up" else 1)
                messages.success(request, f"\u201c{minute.title}\u201d moved {action}.")
                return redirect(self.editor_url(f"minute-{minute.pk}"))
            else:
                raise Http404("No such action.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(self.editor_url())


class MinuteEditView(MinutesMixin, FormView):
    template_name = "minutes/minute_form.html"
    form_class = MinuteForm

    def get_minute(self) -> Minute:
        if not hasattr(self, "minute"):
            minutes = self.get_minutes()
            minute = (
                minutes.entries.select_related("item", "updated_by")
                .prefetch_related("resolutions")
                .filter(pk=self.kwargs["pk"])
                .first()
            )
            if minute is None:
                raise Http404("No such minute.")
            minute.minutes = minutes
            self.minute = minute
        return self.minute

    def get_initial(self):
        return MinuteForm.initial_from(self.get_minute())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        minute = self.get_minute()
        item = minute.item
        if item is not None:
            item.meeting = self.meeting
            show_item(item, self.request.user)
        context.update(minute=minute, item=item)
        context["taken_with_form"] = kwargs.get("taken_with_form") or self.taken_with_form()
        return context

    def taken_with_form(self) -> TakenWithForm | None:
        """The form saying this minute's item was taken with another's: only for a
        minute with nothing written in it, of minutes not yet confirmed."""
        minute = self.get_minute()
        if minute.minutes.is_confirmed or minute.is_written:
            return None
        others = selectors.minutes_to_take_with(minute=minute, user=self.request.user)
        return TakenWithForm(others=others) if others else None

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "take_with":
            return self.take_with()
        return super().post(request, *args, **kwargs)

    def take_with(self):
        """Minute the item with another minute: this one goes, the rest renumber."""
        minute = self.get_minute()
        others = selectors.minutes_to_take_with(minute=minute, user=self.request.user)
        form = TakenWithForm(self.request.POST, others=others)
        if form.is_valid():
            into = form.cleaned_data["taken_with"]
            reference = selectors.minute_item_reference(minute=minute)
            try:
                services.minute_combine(minute=minute, into=into)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                into.refresh_from_db(fields=["number"])
                renumbered = any(other.order > minute.order for other in others)
                messages.success(
                    self.request,
                    f"{reference} is now minuted with minute {into.number}"
                    + ("; the minutes after it are renumbered." if renumbered else "."),
                )
                return redirect(self.editor_url(f"minute-{into.pk}"))
        minute_form = self.form_class(initial=self.get_initial())
        return self.render_to_response(
            self.get_context_data(form=minute_form, taken_with_form=form)
        )

    def form_valid(self, form):
        minute = self.get_minute()
        try:
            services.minute_save(minute=minute, user=self.request.user, **form.service_fields())
        except services.MinuteConflict as conflict:
            current = conflict.minute
            form.add_error(None, conflict.messages[0])
            # The editor keeps their text; the form now builds on the saved version.
            data = form.data.copy()
            data["based_on"] = str(current.version)
            form = MinuteForm(data)
            form.is_valid()
            form.add_error(None, conflict.messages[0])
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    conflict=current,
                    conflict_resolutions=list(current.resolutions.all()),
                )
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"\u201c{minute.title}\u201d saved.")
        return redirect(self.editor_url(f"minute-{minute.pk}"))


class MinuteHistoryView(MinuteEditView):
    """Every saved version of a minute, with who saved it and when, and restore."""

    template_name = "minutes/minute_history.html"

    def get(self, request, *args, **kwargs):
        minute = self.get_minute()
        revisions = list(minute.revisions.select_related("saved_by").order_by("-version"))
        for newer, older in zip(revisions, [*revisions[1:], None], strict=True):
            newer.changes = revision_changes(older, newer) if older else ""
        return self.render_to_response(
            {
                "minute": minute,
                "revisions": revisions,
                "meeting": self.meeting,
                "committee": self.committee,
            }
        )

    def post(self, request, *args, **kwargs):
        minute = self.get_minute()
        revision = MinuteRevision.objects.filter(
            minute=minute, pk=id_param(request.POST.get("revision"))
        ).first()
        if revision is None:
            raise Http404("No such version.")
        try:
            services.minute_restore(minute=minute, revision=revision, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        messages.success(request, f"Version {revision.version} restored as a new version.")
        return redirect(self.editor_url(f"minute-{minute.pk}"))


def _revision_as_text(revision) -> str:
    resolutions = " ".join(
        f"{n}. {text}" for n, (text, _free) in enumerate(revision.resolutions, start=1)
    )
    return f"{revision.title} {html_to_plain(revision.text)} {resolutions}"


def revision_changes(older, newer) -> str:
    """What a revision changed, as marked-up words."""
    return word_diff(_revision_as_text(older), _revision_as_text(newer))


class MinuteConfirmView(MinuteEditView):
    """Record that this meeting confirmed the previous meeting's minutes."""

    def get(self, request, *args, **kwargs):
        raise Http404

    def post(self, request, *args, **kwargs):
        minute = self.get_minute()
        try:
            confirmed = services.minutes_confirm(minute=minute, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"The minutes of {confirmed.meeting} are confirmed and signed."
            )
        return redirect(self.editor_url(f"minute-{minute.pk}"))


class AttendanceView(MinutesMixin, FormView):
    """The register: each person's attendance, and anyone else who attended."""

    template_name = "minutes/attendance_form.html"
    form_class = AttendanceForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["attendances"] = selectors.attendance_list(meeting=self.meeting)
        context["statuses"] = AttendanceStatus.choices
        return context

    def post(self, request, *args, **kwargs):
        self.get_minutes()
        if request.POST.get("action") == "register":
            for attendance in Attendance.objects.filter(meeting=self.meeting):
                status = request.POST.get(f"status-{attendance.pk}")
                if status in AttendanceStatus.values and status != attendance.status:
                    try:
                        services.attendance_record(
                            meeting=self.meeting,
                            person=attendance.person,
                            capacity=attendance.capacity,
                            status=status,
                            role_note=attendance.role_note,
                            substitute_for=attendance.substitute_for,
                            portfolio=attendance.portfolio,
                        )
                    except ValidationError as error:
                        messages.error(request, f"{attendance.person}: {' '.join(error.messages)}")
            messages.success(request, "Register saved.")
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.attendance_record(meeting=self.meeting, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"{form.cleaned_data['person']} added to the register.")
        return redirect(self.request.path)
