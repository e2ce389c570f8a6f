from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView

from meetings import views as meeting_views
from minutes import views as minutes_views

from . import health, syndication, views
from .fragments import kept_for_everyone

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("my-meetings/", views.MyMeetingsView.as_view(), name="my_meetings"),
    path("committees/<slug:slug>/", views.CommitteeDetailView.as_view(), name="committee_detail"),
    path(
        "committees/<slug:slug>/meetings/new/",
        meeting_views.MeetingCreateView.as_view(),
        name="meeting_create",
    ),
    path(
        "committees/<slug:slug>/retention/",
        meeting_views.RetentionListView.as_view(),
        name="retention",
    ),
    path(
        "committees/<slug:slug>/retention/archive/",
        meeting_views.PapersArchiveView.as_view(),
        name="retention_archive",
    ),
    path(
        "committees/<slug:slug>/retention/<int:meeting_pk>/restore/",
        meeting_views.PapersRestoreView.as_view(),
        name="retention_restore",
    ),
    path(
        "committees/<slug:slug>/retention/<int:meeting_pk>/hold/",
        meeting_views.LegalHoldPlaceView.as_view(),
        name="retention_hold",
    ),
    path(
        "committees/<slug:slug>/retention/<int:meeting_pk>/hold/lift/",
        meeting_views.LegalHoldLiftView.as_view(),
        name="retention_hold_lift",
    ),
    path(
        "committees/<slug:slug>/meetings.ics",
        kept_for_everyone(meeting_views.CalendarFeedView.as_view()),
        name="committee_feed",
    ),
    path("feeds/updates.rss", kept_for_everyone(syndication.UpdatesRssFeed()), name="updates_rss"),
    path(
        "feeds/updates.atom", kept_for_everyone(syndication.UpdatesAtomFeed()), name="updates_atom"
    ),
    path(
        "feeds/decisions.rss",
        kept_for_everyone(syndication.DecisionsRssFeed()),
        name="decisions_rss",
    ),
    path(
        "feeds/decisions.atom",
        kept_for_everyone(syndication.DecisionsAtomFeed()),
        name="decisions_atom",
    ),
    path(
        "committees/<slug:slug>/updates.rss",
        kept_for_everyone(syndication.UpdatesRssFeed()),
        name="committee_updates_rss",
    ),
    path(
        "committees/<slug:slug>/updates.atom",
        kept_for_everyone(syndication.UpdatesAtomFeed()),
        name="committee_updates_atom",
    ),
    path(
        "committees/<slug:slug>/decisions.rss",
        kept_for_everyone(syndication.DecisionsRssFeed()),
        name="committee_decisions_rss",
    ),
    path(
        "committees/<slug:slug>/decisions.atom",
        kept_for_everyone(syndication.DecisionsAtomFeed()),
        name="committee_decisions_atom",
    ),
    path(
        "committees/<slug:slug>/decisions/",
        minutes_views.DecisionListView.as_view(),
        name="decision_list",
    ),
    path("committees/<slug:slug>/performance/", include("performance.urls")),
    path("", include("workplan.urls")),
    path("", include("notes.urls")),
    path("", include("alerts.urls")),
    path("", include("search.urls")),
    path("api/", include("api.urls")),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("meetings/", include("meetings.urls")),
    path("meetings/", include("minutes.urls")),
    path("meetings/", include("packs.urls")),
    path("papers/", include("papers.urls")),
    path("exempt/", include("exempt.urls")),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="scrutiny/accessibility.html"),
        name="accessibility",
    ),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path("accounts/two-factor/", views.TwoFactorView.as_view(), name="two_factor"),
    path(
        "accounts/two-factor/setup/",
        views.TwoFactorSetupView.as_view(),
        name="two_factor_setup",
    ),
    path(
        "accounts/logout-everywhere/",
        views.SignOutEverywhereView.as_view(),
        name="logout_everywhere",
    ),
    path("accounts/password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # scrutiny.admin_site: staff with a verified second factor; its login page hands
    # over to the site's own sign-in above.
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on a first visit whatever the page says.
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", health.healthz, name="healthz"),
]

handler500 = "scrutiny.health.server_error_or_unavailable"
