from django.apps import AppConfig


class ConstructionConfig(AppConfig):
    name = "govworks.construction"
    label = "construction"
    verbose_name = "施工监管"
