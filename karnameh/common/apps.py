from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "karnameh.common"
    label = "common"
