"""The editable part of the working calendar; national holidays come from the `holidays` package."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.process_cache import CALENDAR, EditedArea


class CalendarException(EditedArea):
    """A day that differs from the national calendar: an extra day off, or a make-up working day.

    Examples: a province's own day off, a day off announced by the Government after the `holidays` package
    was released, or the Saturday worked in exchange for a bridge holiday. An empty province code means the
    exception applies to every province.
    """

    CACHE_AREAS = (CALENDAR,)

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Extra day off")
        WORKING_DAY = "working_day", _("Make-up working day")

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    province_code = models.CharField(
        _("province code"), max_length=10, blank=True, help_text=_("Leave empty for a nationwide exception.")
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["date", "province_code"], name="calendar_exception_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()} — {self.name}"


def parse_sessions(text: str) -> list[tuple[dt.time, dt.time]]:
    """Parse "07:30-11:30,13:00-17:00" into ordered, non-overlapping sessions; raise ValidationError."""
    sessions: list[tuple[dt.time, dt.time]] = []
    try:
        for part in text.split(","):
            start_text, end_text = part.strip().split("-")
            start = dt.time.fromisoformat(start_text.strip())
            end = dt.time.fromisoformat(end_text.strip())
            sessions.append((start, end))
    except ValueError as exc:
        raise ValidationError(
            _(
                "Working hours must look like 07:30-11:30,13:00-17:00 "
                "(Giờ làm việc phải có dạng 07:30-11:30,13:00-17:00)."
            )
        ) from exc
    previous_end = dt.time.min
    for start, end in sessions:
        if not previous_end <= start < end:
            raise ValidationError(_("Working sessions must be in order and must not overlap."))
        previous_end = end
    if not sessions:
        raise ValidationError(_("At least one working session is required."))
    return sessions


def validate_sessions(text: str) -> None:
    parse_sessions(text)


class WorkSchedule(EditedArea):
    """Working hours and the receipt cut-off of one province (defaults come from settings)."""

    CACHE_AREAS = (CALENDAR,)

    province_code = models.CharField(_("province code"), max_length=10, unique=True)
    sessions = models.CharField(
        _("working hours"), max_length=100, validators=[validate_sessions],
        default="07:30-11:30,13:00-17:00", help_text=_("e.g. 07:30-11:30,13:00-17:00"),
    )
    receipt_cutoff = models.TimeField(
        _("receipt cut-off"), default=dt.time(15, 0),
        help_text=_("Dossiers received after this time are counted from the next working day."),
    )

    class Meta:
        verbose_name = _("work schedule")
        verbose_name_plural = _("work schedules")

    def __str__(self) -> str:
        return f"{self.province_code}: {self.sessions}, {_('cut-off')} {self.receipt_cutoff:%H:%M}"

    def clean(self) -> None:
        sessions = parse_sessions(self.sessions)
        if not sessions[0][0] <= self.receipt_cutoff <= sessions[-1][1]:
            raise ValidationError({"receipt_cutoff": _("The cut-off must fall within working hours.")})


def default_schedule() -> WorkSchedule:
    return WorkSchedule(
        province_code=settings.MOTCUA_PROVINCE_CODE,
        sessions=settings.MOTCUA_WORKING_HOURS,
        receipt_cutoff=dt.time.fromisoformat(settings.MOTCUA_RECEIPT_CUTOFF),
    )
