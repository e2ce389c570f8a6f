"""A reader's notes: added on an item's page, listed there and on the meeting's page
for their author, changed, deleted and exported by their author alone."""

import csv

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from meetings.selectors import agenda_item_list
from scrutiny.csv_safe import csv_row
from scrutiny.templatetags.council import council_date
from scrutiny.viewing import apply_service_errors, visible_meeting_or_404

from . import selectors, services
from .forms import NoteDeleteForm, NoteEditForm, NoteForm
from .models import Note


def item_url(note_or_item) -> str:
    item = getattr(note_or_item, "item", note_or_item)
    url = reverse("meetings:item_detail", kwargs={"meeting_pk": item.meeting_id, "pk": item.pk})
    return f"{url}#notes"


class NoteAddView(LoginRequiredMixin, FormView):
    """POST from the item's page. A reader who may not read the item in full finds no
    item here to write on."""

    form_class = NoteForm
    template_name = "notes/note_add.html"

    def get(self, request, *args, **kwargs):
        # Back from signing in after a session ran out: the item's notes, where the note
        # was being written (the browser may still hold the words).
        return redirect(item_url(self.item))

    @cached_property
    def item(self):
        meeting = visible_meeting_or_404(self.request, self.kwargs["meeting_pk"])
        items = agenda_item_list(meeting=meeting, user=self.request.user)
        item = next((i for i in items if i.pk == self.kwargs["pk"]), None)
        if item is None or not item.shown_in_full:
            raise Http404("No such item.")
        return item

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["documents"] = self.item.shown_documents
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            item=self.item, meeting=self.item.meeting, committee=self.item.meeting.committee
        )
        return context

    def form_valid(self, form):
        try:
            services.note_add(
                user=self.request.user,
                item=self.item,
                text=form.cleaned_data["text"],
                document=form.chosen_document(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Your note is saved. Only you can read it.")
        return redirect(item_url(self.item))


class NoteMixin(LoginRequiredMixin):
    @cached_property
    def note(self) -> Note:
        try:
            return selectors.note_get(user=self.request.user, pk=self.kwargs["pk"])
        except Note.DoesNotExist as missing:
            raise Http404("No such note.") from missing

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        from scrutiny import access

        context.update(
            note=self.note,
            item_url=item_url(self.note),
            note_item_title=access.item_title(self.request.user, self.note.item),
        )
        return context


class NoteEditView(NoteMixin, FormView):
    form_class = NoteEditForm
    template_name = "notes/note_edit.html"

    def get_initial(self):
        return {"text": self.note.text, "version": self.note.version}

    def form_valid(self, form):
        try:
            services.note_update(
                note=self.note,
                user=self.request.user,
                text=form.cleaned_data["text"],
                based_on=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            if getattr(error, "code", None) == "stale":
                self.__dict__.pop("note", None)  # the note as it is now
                form.data = form.data.copy()
                form.data["version"] = str(self.note.version)
                form.stale = True
            return self.form_invalid(form)
        messages.success(self.request, "Your note is saved.")
        return redirect(item_url(self.note))


class NoteDeleteView(NoteMixin, FormView):
    template_name = "notes/note_delete.html"
    form_class = NoteDeleteForm

    def get_initial(self):
        return {"version": self.note.version}

    def form_valid(self, form):
        back = item_url(self.note)
        try:
            services.note_delete(
                note=self.note, user=self.request.user, based_on=form.cleaned_data["version"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            self.__dict__.pop("note", None)  # the note as it is now
            form.data = form.data.copy()
            form.data["version"] = str(self.note.version)
            return self.form_invalid(form)
        messages.success(self.request, "Your note is deleted.")
        return redirect(back)


def log_exempt_items_read(request, notes, *, page: str) -> None:
    """Exempt items named in full beside a reader's notes are read, as on their pages."""
    from exempt import audit

    items = {note.item.pk: note.item for note in notes if note.item.is_exempt}
    for item in items.values():
        item.shown_in_full = True
    audit.record_items_viewed(request, list(items.values()), page=page)


NOTES_PER_PAGE = 50


class NoteListView(LoginRequiredMixin, TemplateView):
    """All my notes, meeting by meeting, and the export."""

    template_name = "notes/note_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        from django.core.paginator import Paginator

        from scrutiny import access

        notes, hidden = selectors.notes_of(user=self.request.user)
        page = Paginator(notes, NOTES_PER_PAGE).get_page(self.request.GET.get("page"))
        shown = list(page)
        for note in shown:
            note.item_title = access.item_title(self.request.user, note.item)
        log_exempt_items_read(self.request, shown, page="notes")
        context.update(notes=shown, page=page, hidden=hidden)
        return context


class NoteExportView(LoginRequiredMixin, View):
    """My notes as CSV: those I may read today (the others come back with my
    entitlement, and with them into the export)."""

    def get(self, request):
        from scrutiny import access

        notes, _hidden = selectors.notes_of(user=request.user)
        log_exempt_items_read(request, notes, page="notes export")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        day = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="my-notes-{day}.csv"'
        response["Cache-Control"] = "private, no-store"
        writer = csv.writer(response)
        writer.writerow(
            ["Committee", "Meeting", "Item", "Paper", "Note", "Written", "Changed", "Address"]
        )
        for note in notes:
            meeting = note.item.meeting
            writer.writerow(
                csv_row(
                    [
                        meeting.committee.name,
                        council_date(meeting.starts_at),
                        access.item_title(request.user, note.item),
                        note.document.title if note.document else "",
                        note.text,
                        timezone.localtime(note.created_at).isoformat(timespec="minutes"),
                        timezone.localtime(note.updated_at).isoformat(timespec="minutes"),
                        request.build_absolute_uri(item_url(note)),
                    ]
                )
            )
        return response
