from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxExchangeConfig(AppConfig):
    name = "motcua.taxexchange"
    label = "taxexchange"
    verbose_name = _("Land office, tax authority and treasury exchange")
