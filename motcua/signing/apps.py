from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "motcua.signing"
    verbose_name = _("Digital signatures")

    def ready(self) -> None:
        from motcua.signing import checks  # noqa: F401 - registers the system check
