from django.apps import AppConfig


class ExemptConfig(AppConfig):
    name = "exempt"
    verbose_name = "Exempt information: grants, requests and the access log"
