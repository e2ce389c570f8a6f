from django.urls import path

from . import views

app_name = "notes"

urlpatterns = [
    path(
        "meetings/<int:meeting_pk>/items/<int:pk>/notes/",
        views.NoteAddView.as_view(),
        name="note_add",
    ),
    path("notes/", views.NoteListView.as_view(), name="note_list"),
    path("notes/export.csv", views.NoteExportView.as_view(), name="note_export"),
    path("notes/<int:pk>/edit/", views.NoteEditView.as_view(), name="note_edit"),
    path("notes/<int:pk>/delete/", views.NoteDeleteView.as_view(), name="note_delete"),
]
