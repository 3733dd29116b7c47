from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "govworks.finance"
    label = "finance"
    verbose_name = "资金管理"
