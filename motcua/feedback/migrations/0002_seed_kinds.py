"""Seed the kinds of petition with a default deadline of 10 working days. The province checks the days against its
own rules (Decree 20/2008/NĐ-CP as amended, the province's regulation on petitions) and edits them in the admin;
running this again never overwrites an edited row."""

from django.db import migrations

KINDS = [
    ("thu_tuc", "Phản ánh, kiến nghị về quy định, thủ tục hành chính", 10),
    ("ho_so", "Phản ánh về việc giải quyết hồ sơ", 10),
    ("can_bo", "Phản ánh về hành vi, thái độ của cơ quan, cán bộ", 10),
]
BASIS = "Nghị định 20/2008/NĐ-CP (sửa đổi, bổ sung); quy chế của tỉnh"


def seed(apps, schema_editor):
    FeedbackKind = apps.get_model("feedback", "FeedbackKind")
    for code, name, days in KINDS:
        FeedbackKind.objects.get_or_create(code=code, defaults={"name": name, "deadline_days": days,
                                                                "legal_basis": BASIS})


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_create_petitions")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
