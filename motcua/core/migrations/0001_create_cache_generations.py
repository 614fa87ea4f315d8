from django.db import migrations, models


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    model = apps.get_model("core", "CacheGeneration")
    model.objects.bulk_create([model(area=area) for area in ("catalog", "directory", "calendar")],
                              ignore_conflicts=True)


class Migration(migrations.Migration):

    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="CacheGeneration",
            fields=[
                ("area", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("generation", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
