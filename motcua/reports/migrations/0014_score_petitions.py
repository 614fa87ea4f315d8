"""Score indicators 5a and 5b (petitions) of the seeded national scorecard now that the `feedback` app exists
(docs/reports.md, "Indicators 5a and 5b"). Only while they are still the seeded "unavailable" formula: a province's
own version is left alone. The points' source and the legal reference set by 0010 stay; the definition says
which petitions are counted."""

from django.db import migrations

CARD = "Bộ chỉ số 766 (toàn quốc)"
SCORED = {
    "5a": ({"petitions": "on_time"},
           "Số PAKN thuộc thẩm quyền đến hạn trả lời trong kỳ đã được trả lời đúng hạn / số PAKN thuộc thẩm quyền đến "
           "hạn trả lời trong kỳ × 100% (không tính PAKN đã gộp vào PAKN khác, PAKN đóng mà không trả lời)"),
    "5b": ({"petitions": "satisfaction"},
           "(Tổng số PAKN − số PAKN bị đánh giá không hài lòng (1–2 trên 5) hoặc quá hạn) / tổng số PAKN × 100%, "
           "trên các PAKN thuộc thẩm quyền đến hạn trả lời trong kỳ"),
}


def score(apps, schema_editor):
    Scorecard = apps.get_model("reports", "Scorecard")
    for card in Scorecard.objects.filter(name=CARD):
        changed = False
        for indicator in card.indicators:
            if indicator["code"] in SCORED and "unavailable" in indicator["formula"]:
                indicator["formula"], indicator["definition"] = SCORED[indicator["code"]]
                changed = True
        if changed:
            card.save(update_fields=["indicators"])


def unscore(apps, schema_editor):
    Scorecard = apps.get_model("reports", "Scorecard")
    for card in Scorecard.objects.filter(name=CARD):
        for indicator in card.indicators:
            if indicator["code"] in SCORED and indicator["formula"] == SCORED[indicator["code"]][0]:
                indicator["formula"] = {"unavailable": "chưa có phân hệ PAKN"}
        card.save(update_fields=["indicators"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0013_create_targets")]
    operations = [migrations.RunPython(score, unscore)]
