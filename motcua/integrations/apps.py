from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "motcua.integrations"
    label = "integrations"
    verbose_name = _("Connected systems")

    def ready(self) -> None:
        from motcua.integrations.portal_queue import PortalSyncQueue
        from motcua.integrations.queues import register_queue

        register_queue(PortalSyncQueue())

        from motcua.integrations.retention import register_rules

        register_rules()
