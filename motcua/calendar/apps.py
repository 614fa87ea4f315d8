from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "motcua.calendar"
    label = "workcalendar"  # not "calendar": keeps the table names clear of Python's stdlib module name
    verbose_name = _("Working calendar")

    def ready(self) -> None:
        from django.core.signals import setting_changed
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from motcua.calendar.models import CalendarException, WorkSchedule
        from motcua.calendar.service import forget_calendars

        def edited(**_: object) -> None:
            # Now (this transaction reads its own edit) and again after commit (a calendar another thread
            # built from the rows before the commit must not stay).
            forget_calendars()
            transaction.on_commit(forget_calendars)

        for model in (CalendarException, WorkSchedule):
            for signal in (post_save, post_delete):
                signal.connect(edited, sender=model, weak=False, dispatch_uid=f"forget-calendars-{model.__name__}")
        setting_changed.connect(forget_calendars, dispatch_uid="forget-calendars-settings")
