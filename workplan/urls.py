from django.urls import path

from . import views

app_name = "workplan"

PROGRAMME = "committees/<slug:slug>/work-programme/"

urlpatterns = [
    path(PROGRAMME, views.WorkProgrammeView.as_view(), name="programme"),
    path(f"{PROGRAMME}new/", views.WorkPlanItemCreateView.as_view(), name="item_add"),
    path(f"{PROGRAMME}appendix/", views.AppendixView.as_view(), name="appendix"),
    path(f"{PROGRAMME}appendix.pdf", views.AppendixPdfView.as_view(), name="appendix_pdf"),
    path(f"{PROGRAMME}roll-forward/", views.RollForwardView.as_view(), name="roll_forward"),
    path(f"{PROGRAMME}<int:pk>/", views.WorkPlanItemDetailView.as_view(), name="item_detail"),
    path(f"{PROGRAMME}<int:pk>/edit/", views.WorkPlanItemUpdateView.as_view(), name="item_edit"),
    path(f"{PROGRAMME}<int:pk>/move/", views.WorkPlanItemMoveView.as_view(), name="item_move"),
    path(
        f"{PROGRAMME}<int:pk>/withdraw/",
        views.WorkPlanItemWithdrawView.as_view(),
        name="item_withdraw",
    ),
    path(
        f"{PROGRAMME}<int:pk>/reinstate/",
        views.WorkPlanItemReinstateView.as_view(),
        name="item_reinstate",
    ),
    path(f"{PROGRAMME}<int:pk>/agree/", views.WorkPlanItemAgreeView.as_view(), name="item_agree"),
    path("committees/<slug:slug>/actions/", views.ActionListView.as_view(), name="actions"),
    path(
        "committees/<slug:slug>/actions/tracker/",
        views.TrackerView.as_view(),
        name="tracker",
    ),
    path(
        "committees/<slug:slug>/actions/tracker.pdf",
        views.TrackerPdfView.as_view(),
        name="tracker_pdf",
    ),
    path(
        "committees/<slug:slug>/actions/new/", views.ActionCreateView.as_view(), name="action_add"
    ),
    path(
        "committees/<slug:slug>/actions/<int:pk>/",
        views.ActionUpdateView.as_view(),
        name="action_edit",
    ),
    path(
        "committees/<slug:slug>/annual-report/",
        views.AnnualReportView.as_view(),
        name="annual_report",
    ),
    path(
        "committees/<slug:slug>/annual-report/<int:year>/edit/",
        views.AnnualReportEditView.as_view(),
        name="annual_report_edit",
    ),
    path(
        "committees/<slug:slug>/annual-report/<int:year>.pdf",
        views.AnnualReportPdfView.as_view(),
        name="annual_report_pdf",
    ),
    path("forward-plan/", views.ForwardPlanView.as_view(), name="forward_plan"),
    path("forward-plan.pdf", views.ForwardPlanPdfView.as_view(), name="forward_plan_pdf"),
    # From the agenda builder.
    path(
        "meetings/<int:meeting_pk>/agenda/work-plan/",
        views.PlaceOnAgendaView.as_view(),
        name="place",
    ),
]
