"""Score indicator 4c (online payment rate) of the seeded national scorecard from the payment figures, now that
payments exist; a province's edited version is left alone."""

from django.db import migrations

FORMULA = {"ratio": ["paid_online"], "over": ["paid"]}


def score_4c(apps, schema_editor):
    Scorecard = apps.get_model("reports", "Scorecard")
    for card in Scorecard.objects.filter(name="Bộ chỉ số 766 (toàn quốc)"):
        changed = False
        for indicator in card.indicators:
            if indicator["code"] == "4c" and "unavailable" in indicator["formula"]:
                indicator["formula"] = FORMULA
                changed = True
        if changed:
            card.save(update_fields=["indicators"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_add_payment_metrics")]
    operations = [migrations.RunPython(score_4c, migrations.RunPython.noop)]
