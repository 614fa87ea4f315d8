from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "motcua.calendar"
    label = "workcalendar"  # not "calendar": keeps the table names clear of Python's stdlib module name
    verbose_name = _("Working calendar")
