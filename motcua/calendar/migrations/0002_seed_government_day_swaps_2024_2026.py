"""Seed the Government's working-day swaps of 2024-2026 (fixtures/government_days_2024_2026.json): each weekday
given off and the Saturday worked in exchange, nationwide, with its legal source. Administrators edit them
afterwards; running this again never overwrites an edited day."""

from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "government_days_2024_2026.json"


def seed(apps, schema_editor):
    from motcua.calendar.government_days import seed_government_days

    seed_government_days(apps.get_model("workcalendar", "CalendarException"), FIXTURE)


def unseed(apps, schema_editor):
    from motcua.calendar.government_days import read_rows

    CalendarException = apps.get_model("workcalendar", "CalendarException")
    for row in read_rows(FIXTURE):
        CalendarException.objects.filter(
            date=row["date"], province_code="", kind=row["kind"], legal_basis=row["legal_basis"]).delete()


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_create_exceptions_and_schedules")]
    operations = [migrations.RunPython(seed, unseed)]
