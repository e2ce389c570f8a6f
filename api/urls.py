from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter()
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("people", views.PersonViewSet, basename="person")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("events", views.EventViewSet, basename="event")
router.register("agenda-items", views.AgendaItemViewSet, basename="agenda-item")
router.register("minutes", views.MinutesViewSet, basename="minutes")
router.register("decisions", views.ResolutionViewSet, basename="decision")
router.register("key-decisions", views.KeyDecisionViewSet, basename="key-decision")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("observations", views.ObservationViewSet, basename="observation")

urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(authentication_classes=[]), name="schema"),
    path("v1/", include(router.urls)),
]
