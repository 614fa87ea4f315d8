from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "motcua.calendar"
    label = "workcalendar"  # not "calendar": keeps the table names clear of Python's stdlib module name
    verbose_name = _("Working calendar")

    def ready(self) -> None:
        from django.core.signals import setting_changed

        from motcua.calendar.service import forget_calendars

        # An edit of the calendar tables forgets the kept calendars explicitly (CalendarException.save and
        # WorkSchedule.save call motcua.core.process_cache.edited); a test's change of the settings they default
        # to is not an edit of the data, so it is followed here.
        setting_changed.connect(forget_calendars, dispatch_uid="forget-calendars-settings")
