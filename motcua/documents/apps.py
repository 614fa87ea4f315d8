from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "motcua.documents"
    label = "documents"
    verbose_name = _("Personal data store")

    def ready(self) -> None:
        from motcua.documents import checks  # noqa: F401 - registers the system checks
