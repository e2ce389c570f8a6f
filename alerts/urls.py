from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("committees/<slug:slug>/alerts/", views.SubscribeView.as_view(), name="subscribe"),
    path("alerts/confirm/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("alerts/unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
