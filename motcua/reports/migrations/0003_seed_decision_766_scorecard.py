"""Seed the national Decision 766/QĐ-TTg (23/06/2022) scorecard: 5 groups, 18 + 20 + 22 + 22 + 18 points.

Group maxima are from the decision (secondary sources, see ../shared/reference/mission-anchors.md §3.5); the split
of a group's points between its indicators is not in the sources we could read, so it is an even split, marked
for the province to confirm. Provinces edit or add versions in the admin.
"""

import datetime as dt

from django.db import migrations

NOTE_SPLIT = "điểm thành phần chia đều trong nhóm — cần đối chiếu văn bản gốc"
INDICATORS = [
    {"code": "1a", "group": "1. Công khai, minh bạch", "name": "Tỷ lệ TTHC công bố đúng hạn", "points": 4.5,
     "formula": {"unavailable": "lấy từ CSDL quốc gia về TTHC"}},
    {"code": "1b", "group": "1. Công khai, minh bạch", "name": "Tỷ lệ TTHC được cập nhật, công khai đúng hạn",
     "points": 4.5, "formula": {"unavailable": "lấy từ CSDL quốc gia về TTHC"}},
    {"code": "1c", "group": "1. Công khai, minh bạch", "name": "Tỷ lệ TTHC công khai đầy đủ các bộ phận",
     "points": 4.5, "formula": {"unavailable": "lấy từ CSDL quốc gia về TTHC"}},
    {"code": "1d", "group": "1. Công khai, minh bạch", "name": "Tỷ lệ hồ sơ đồng bộ lên Cổng DVC quốc gia",
     "points": 4.5, "formula": {"unavailable": "chờ bộ đồng bộ Cổng DVCQG gửi đi"}},
    {"code": "2a", "group": "2. Tiến độ, kết quả giải quyết", "name": "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn",
     "points": 10, "formula": {"ratio": ["resolved_early", "resolved_on_time"],
                               "over": ["resolved_early", "resolved_on_time", "resolved_late"]}},
    {"code": "2b", "group": "2. Tiến độ, kết quả giải quyết", "name": "Thời gian giải quyết trung bình",
     "points": 10, "formula": {"unavailable": "chưa tính"}},
    {"code": "3a", "group": "3. Số hóa hồ sơ", "name": "Tỷ lệ số hóa hồ sơ", "points": 7.34,
     "formula": {"ratio": ["digitised"], "over": ["received"]}},
    {"code": "3b", "group": "3. Số hóa hồ sơ", "name": "Tỷ lệ cấp kết quả điện tử", "points": 7.33,
     "formula": {"unavailable": "chờ kết quả điện tử ký số"}},
    {"code": "3c", "group": "3. Số hóa hồ sơ", "name": "Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa",
     "points": 7.33, "formula": {"ratio": ["reused"], "over": ["received"]}},
    {"code": "4a", "group": "4. Cung cấp dịch vụ trực tuyến", "name": "Tỷ lệ DVC trực tuyến toàn trình",
     "points": 7.34, "formula": {"catalog": "toan_trinh"}},
    {"code": "4b", "group": "4. Cung cấp dịch vụ trực tuyến", "name": "Tỷ lệ hồ sơ trực tuyến", "points": 7.33,
     "formula": {"ratio": ["received:online", "received:national_portal"], "over": ["received"]}},
    {"code": "4c", "group": "4. Cung cấp dịch vụ trực tuyến", "name": "Tỷ lệ thanh toán trực tuyến",
     "points": 7.33, "formula": {"unavailable": "chờ phân hệ thanh toán"}},
    {"code": "5a", "group": "5. Mức độ hài lòng", "name": "Tỷ lệ PAKN xử lý đúng hạn", "points": 6,
     "formula": {"unavailable": "chưa có phân hệ PAKN"}},
    {"code": "5b", "group": "5. Mức độ hài lòng", "name": "Tỷ lệ hài lòng trong xử lý PAKN", "points": 6,
     "formula": {"unavailable": "chưa có phân hệ PAKN"}},
    {"code": "5c", "group": "5. Mức độ hài lòng", "name": "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC",
     "points": 6, "formula": {"ratio": ["satisfied"], "over": ["surveyed"]}},
]


def seed(apps, schema_editor):
    Scorecard = apps.get_model("reports", "Scorecard")
    Scorecard.objects.get_or_create(
        name="Bộ chỉ số 766 (toàn quốc)",
        defaults={"legal_basis": "Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ; " + NOTE_SPLIT,
                  "effective_from": dt.date(2022, 8, 1), "indicators": INDICATORS},
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_create_scorecards")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
