"""Score indicator 1d (dossiers synced to the national public-service portal) of the seeded national scorecard,
now that the outbound sync and its nightly reconciliation exist (docs/reports.md, "Indicator 1d"). Only 1d is
touched, and only while it is still the seeded "unavailable" formula: a province's own version is left alone."""

from django.db import migrations

CARD = "Bộ chỉ số 766 (toàn quốc)"
FORMULA = {"portal_sync": "received"}
DEFINITION = ("Số hồ sơ tiếp nhận trong kỳ mà Cổng DVCQG đã nhận đủ mọi thay đổi trạng thái phát sinh đến hết kỳ "
              "(đã gửi thành công; không còn thay đổi chờ gửi, gửi lỗi, bị bỏ qua hay phải gửi lại sau đối soát) / "
              "số hồ sơ tiếp nhận trong kỳ × 100%; hồ sơ tính theo cơ quan có thẩm quyền giải quyết")


def score_1d(apps, schema_editor):
    Scorecard = apps.get_model("reports", "Scorecard")
    for card in Scorecard.objects.filter(name=CARD):
        changed = False
        for indicator in card.indicators:
            if indicator["code"] == "1d" and "unavailable" in indicator["formula"]:
                indicator["formula"] = FORMULA
                indicator["definition"] = DEFINITION
                changed = True
        if changed:
            card.save(update_fields=["indicators"])


def unscore_1d(apps, schema_editor):
    Scorecard = apps.get_model("reports", "Scorecard")
    for card in Scorecard.objects.filter(name=CARD):
        for indicator in card.indicators:
            if indicator["code"] == "1d" and indicator["formula"] == FORMULA:
                indicator["formula"] = {"unavailable": "chờ bộ đồng bộ Cổng DVCQG gửi đi"}
        card.save(update_fields=["indicators"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0011_score_catalog_publication")]
    operations = [migrations.RunPython(score_1d, unscore_1d)]
