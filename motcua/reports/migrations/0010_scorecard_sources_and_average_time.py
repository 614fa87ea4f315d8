"""The seeded national Decision 766 scorecard says, per indicator, its formula, where its points come from and the
legal text it rests on; the internal "even split, to be confirmed" note leaves the page; indicator 2b (average
resolution time) is computed from the rollups' time sums.

Points inside a group: group 1 is 4 + 4 + 4 + 6 (1b at 4 points as a provincial report of the national portal's
scores gives it; 1d, the synced-dossier rate, carries the rest of the group's 18). Groups 2–5 keep their sourced
maxima split as before until the annex's own table is read; each indicator's `source` says which it is
(docs/reports.md). A province's edited copy is left alone: only the card named as the seed is changed, and only
the keys below.
"""

from django.db import migrations

CARD = "Bộ chỉ số 766 (toàn quốc)"
LEGAL = "Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ"
ANNEX = "Quyết định 766/QĐ-TTg, Phụ lục (nhóm chỉ số {group})"
GROUP_MAXIMUM = ("Điểm tối đa của nhóm theo Quyết định 766/QĐ-TTg (18/20/22/22/18); điểm của chỉ số trong nhóm "
                 "chia theo số chỉ số của nhóm, chưa đối chiếu được bảng điểm của phụ lục")
PROVINCIAL = "Điểm theo báo cáo chấm điểm 766 của tỉnh trên Cổng DVCQG (nguồn thứ cấp)"

INDICATORS = {
    "1a": {"points": 4, "source": PROVINCIAL,
           "definition": "Số TTHC công bố đúng hạn / tổng số TTHC đã công bố trong kỳ × 100% (lấy từ CSDL quốc gia "
                         "về TTHC)",
           "legal_reference": ANNEX.format(group=1) + "; Điều 15 Nghị định 63/2010/NĐ-CP"},
    "1b": {"points": 4, "source": PROVINCIAL,
           "definition": "Số TTHC cập nhật, công khai đúng hạn trên CSDL quốc gia về TTHC / số TTHC phải cập nhật, "
                         "công khai trong kỳ × 100%",
           "legal_reference": ANNEX.format(group=1)},
    "1c": {"points": 4, "source": PROVINCIAL,
           "definition": "Số TTHC công khai đầy đủ các bộ phận tạo thành (khoản 2 Điều 8 Nghị định 63/2010/NĐ-CP) / "
                         "số TTHC đã công khai × 100%",
           "legal_reference": ANNEX.format(group=1) + "; khoản 2 Điều 8 Nghị định 63/2010/NĐ-CP"},
    "1d": {"points": 6, "source": PROVINCIAL,
           "definition": "Số hồ sơ đã đồng bộ lên Cổng DVCQG có ngày tiếp nhận trong kỳ / tổng số hồ sơ tiếp nhận "
                         "trong kỳ × 100%",
           "legal_reference": ANNEX.format(group=1) + "; Nghị định 45/2020/NĐ-CP"},
    "2a": {"source": GROUP_MAXIMUM,
           "definition": "(Số hồ sơ giải quyết trước hạn + đúng hạn) / số hồ sơ đã giải quyết trong kỳ × 100%; "
                         "đúng hạn khi thời điểm có kết quả ≤ ngày hẹn trả (thời gian tạm dừng, bổ sung không tính)",
           "legal_reference": ANNEX.format(group=2) + "; Nghị định 61/2018/NĐ-CP (sửa đổi bởi 107/2021/NĐ-CP)"},
    "2b": {"source": GROUP_MAXIMUM + "; cách chấm điểm (thời gian luật định / thời gian thực tế, tối đa 100%) do "
                                     "motcua đặt, quyết định không nêu",
           "definition": "Tổng thời gian giải quyết (ngày làm việc, từ khi bắt đầu tính hạn đến khi có kết quả, "
                         "không tính thời gian tạm dừng) / số hồ sơ đã giải quyết",
           "legal_reference": ANNEX.format(group=2),
           "formula": {"average_time": "working_days"}},
    "3a": {"source": GROUP_MAXIMUM,
           "definition": "Số hồ sơ tiếp nhận có thành phần được số hóa / số hồ sơ tiếp nhận trong kỳ × 100%",
           "legal_reference": ANNEX.format(group=3) + "; Nghị định 45/2020/NĐ-CP, Điều 25"},
    "3b": {"source": GROUP_MAXIMUM,
           "definition": "Số hồ sơ đã giải quyết có kết quả điện tử / số hồ sơ đã giải quyết × 100%",
           "legal_reference": ANNEX.format(group=3)},
    "3c": {"source": GROUP_MAXIMUM,
           "definition": "Số hồ sơ sử dụng lại dữ liệu, giấy tờ đã số hóa / số hồ sơ tiếp nhận trong kỳ × 100%",
           "legal_reference": ANNEX.format(group=3)},
    "4a": {"source": GROUP_MAXIMUM,
           "definition": "Số TTHC cung cấp DVC trực tuyến toàn trình / số TTHC đủ điều kiện × 100%",
           "legal_reference": ANNEX.format(group=4) + "; Nghị định 42/2022/NĐ-CP"},
    "4b": {"source": GROUP_MAXIMUM,
           "definition": "Số hồ sơ tiếp nhận trực tuyến (kể cả từ Cổng DVCQG) / số hồ sơ tiếp nhận trong kỳ × 100%",
           "legal_reference": ANNEX.format(group=4)},
    "4c": {"source": GROUP_MAXIMUM,
           "definition": "Số hồ sơ thanh toán phí, lệ phí trực tuyến / số hồ sơ có nộp phí, lệ phí × 100%",
           "legal_reference": ANNEX.format(group=4)},
    "5a": {"source": GROUP_MAXIMUM,
           "definition": "Số phản ánh, kiến nghị xử lý đúng hạn / số phản ánh, kiến nghị thuộc thẩm quyền × 100%",
           "legal_reference": ANNEX.format(group=5)},
    "5b": {"source": GROUP_MAXIMUM,
           "definition": "(Tổng số PAKN − số PAKN bị đánh giá không hài lòng hoặc quá hạn) / tổng số PAKN × 100%",
           "legal_reference": ANNEX.format(group=5)},
    "5c": {"source": GROUP_MAXIMUM,
           "definition": "Số lượt đánh giá hài lòng, rất hài lòng / số lượt đánh giá việc tiếp nhận, giải quyết "
                         "hồ sơ × 100%",
           "legal_reference": ANNEX.format(group=5)},
}
OLD_NOTE = "; điểm thành phần chia đều trong nhóm — cần đối chiếu văn bản gốc"


def describe(apps, schema_editor):
    Scorecard = apps.get_model("reports", "Scorecard")
    for card in Scorecard.objects.filter(name=CARD):
        for indicator in card.indicators:
            extra = INDICATORS.get(indicator["code"], {})
            for key, value in extra.items():
                if key == "formula" and "unavailable" not in indicator["formula"]:
                    continue  # a formula the province set stays
                indicator[key] = value
        card.legal_basis = card.legal_basis.replace(OLD_NOTE, "") or LEGAL
        card.save(update_fields=["indicators", "legal_basis"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0009_rollup_sums_for_average_time")]
    operations = [migrations.RunPython(describe, migrations.RunPython.noop)]
