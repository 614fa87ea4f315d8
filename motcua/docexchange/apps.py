from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocExchangeConfig(AppConfig):
    name = "motcua.docexchange"
    label = "docexchange"
    verbose_name = _("Official-document exchange (edXML)")
