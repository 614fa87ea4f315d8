"""Score indicator 3b (results issued electronically) of the seeded national scorecard from the figures, now that
signed e-results exist; a province's edited version is left alone."""

from django.db import migrations

FORMULA = {"ratio": ["result_online"], "over": ["resolved_early", "resolved_on_time", "resolved_late"]}


def score_3b(apps, schema_editor):
    Scorecard = apps.get_model("reports", "Scorecard")
    for card in Scorecard.objects.filter(name="Bộ chỉ số 766 (toàn quốc)"):
        changed = False
        for indicator in card.indicators:
            if indicator["code"] == "3b" and "unavailable" in indicator["formula"]:
                indicator["formula"] = FORMULA
                changed = True
        if changed:
            card.save(update_fields=["indicators"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0007_add_result_online_metric")]
    operations = [migrations.RunPython(score_3b, migrations.RunPython.noop)]
