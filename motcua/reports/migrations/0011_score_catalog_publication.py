"""Score indicators 1a–1c (publicity of procedures) of the seeded national scorecard from the national procedures
database as pulled by the catalog sync (reports/catalog_indicators.py), now that the sync exists; a province's
edited formula is left alone. Only 1a–1c: 1d is switched by its own migration."""

from django.db import migrations

CARD = "Bộ chỉ số 766 (toàn quốc)"
FORMULAS = {
    "1a": {"national_catalog": "decided_on_time", "working_days": 20},
    "1b": {"national_catalog": "published_on_time", "working_days": 5},
    "1c": {"national_catalog": "complete"},
}
DEFINITIONS = {
    "1a": "Số TTHC có quyết định công bố trong kỳ ban hành trước ngày có hiệu lực ít nhất 20 ngày làm việc / số TTHC "
          "có quyết định công bố trong kỳ × 100% (ngày quyết định, ngày hiệu lực lấy từ CSDL quốc gia về TTHC)",
    "1b": "Số TTHC được tỉnh cập nhật, công khai trong 05 ngày làm việc kể từ ngày công khai trên CSDL quốc gia (hoặc "
          "ngày quyết định công bố) / số TTHC được công khai trong kỳ × 100%",
    "1c": "Số TTHC đang cung cấp có đủ các bộ phận (tên, cơ quan, thời hạn, thành phần hồ sơ, kết quả, căn cứ pháp "
          "lý, quy trình) và khớp bản ghi trên CSDL quốc gia về TTHC / số TTHC đang cung cấp × 100% (tại thời điểm xem)",
}


def score_catalog(apps, schema_editor):
    Scorecard = apps.get_model("reports", "Scorecard")
    for card in Scorecard.objects.filter(name=CARD):
        changed = False
        for indicator in card.indicators:
            code = indicator["code"]
            if code in FORMULAS and "unavailable" in indicator["formula"]:
                indicator["formula"] = FORMULAS[code]
                indicator["definition"] = DEFINITIONS[code]
                changed = True
        if changed:
            card.save(update_fields=["indicators"])


def unscore_catalog(apps, schema_editor):
    Scorecard = apps.get_model("reports", "Scorecard")
    for card in Scorecard.objects.filter(name=CARD):
        changed = False
        for indicator in card.indicators:
            if indicator["code"] in FORMULAS and indicator["formula"] == FORMULAS[indicator["code"]]:
                indicator["formula"] = {"unavailable": "lấy từ CSDL quốc gia về TTHC"}
                changed = True
        if changed:
            card.save(update_fields=["indicators"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0010_scorecard_sources_and_average_time"), ("catalog", "0007_national_catalog_sync")]
    operations = [migrations.RunPython(score_catalog, unscore_catalog)]
