from django.apps import AppConfig


class MinutesConfig(AppConfig):
    name = "minutes"
    verbose_name = "Minutes: attendance, declarations, minutes and resolutions"
