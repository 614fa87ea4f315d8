from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LandConfig(AppConfig):
    name = "motcua.land"
    label = "land"
    verbose_name = _("Land procedures")

    def ready(self) -> None:
        from motcua.integrations.queues import register_queue
        from motcua.land.queue import LandWriteBackQueue

        register_queue(LandWriteBackQueue())
