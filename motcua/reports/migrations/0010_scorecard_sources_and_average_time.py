"""The seeded national Decision 766 scorecard with each indicator's points as the national portal scores them, its
formula, the source of its points and its legal reference; the internal "even split, to be confirmed" note
leaves the page; indicator 2b (average resolution time) is computed from the rollups' time sums.

Where the points come from (docs/reports.md, "Points"): the group maxima 18/20/22/22/18 are the decision's;
1b = 4, 2a = 20 and 5c = 6 are quoted from the decision by a secondary source; the other points are those the
national public-service portal (Cổng DVCQG) scores with today, as captured from its scoring service — the annex's
own table could not be read. Indicators that motcua cannot compute yet are listed, unscored, with the reason, so
the page shows the whole 100 points. A province's own formula for an indicator is kept; only the seeded card is
changed.
"""

from django.db import migrations

CARD = "Bộ chỉ số 766 (toàn quốc)"
LEGAL = "Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ"
OLD_NOTE = "; điểm thành phần chia đều trong nhóm — cần đối chiếu văn bản gốc"
DECISION = "Điểm nêu tại Quyết định 766/QĐ-TTg (theo bản tóm tắt của nguồn thứ cấp)"
PORTAL = "Điểm Cổng DVCQG đang dùng để chấm (thu từ dịch vụ chấm điểm của Cổng); chưa đối chiếu được bảng phụ lục"
PORTAL_ONLY = PORTAL + "; chỉ số Cổng DVCQG bổ sung sau năm 2022"
NO_POINTS = ("Không có điểm riêng: không nguồn nào cho chỉ số này điểm; nhóm 2 tính đủ 20 điểm ở chỉ số 2a — "
             "chỉ số được theo dõi")
G1, G2, G3, G4, G5 = ("1. Công khai, minh bạch", "2. Tiến độ, kết quả giải quyết", "3. Số hóa hồ sơ",
                      "4. Cung cấp dịch vụ trực tuyến", "5. Mức độ hài lòng")
RECEIVED = ["received"]
RESOLVED = ["resolved_early", "resolved_on_time", "resolved_late"]


def annex(group):
    return f"Quyết định 766/QĐ-TTg, Phụ lục, nhóm {group}"


def unavailable(why):
    return {"unavailable": why}


INDICATORS = [
    {"code": "1a", "group": G1, "name": "Tỷ lệ TTHC công bố đúng hạn", "points": 6, "source": PORTAL,
     "formula": unavailable("lấy từ CSDL quốc gia về TTHC"), "legal_reference": annex("I") + "; Nghị định 63/2010/NĐ-CP",
     "definition": "Số TTHC công bố đúng hạn / tổng số TTHC đã công bố trong kỳ × 100%"},
    {"code": "1b", "group": G1, "name": "Tỷ lệ TTHC được cập nhật, công khai đúng hạn", "points": 4, "source": DECISION,
     "formula": unavailable("lấy từ CSDL quốc gia về TTHC"), "legal_reference": annex("I"),
     "definition": "Số TTHC cập nhật, công khai đúng hạn trên CSDL quốc gia về TTHC / số TTHC phải cập nhật, công khai "
                   "trong kỳ × 100%"},
    {"code": "1c", "group": G1, "name": "Tỷ lệ TTHC công khai đầy đủ các bộ phận tạo thành", "points": 2,
     "source": PORTAL, "formula": unavailable("lấy từ CSDL quốc gia về TTHC"),
     "legal_reference": annex("I") + "; khoản 2 Điều 8 Nghị định 63/2010/NĐ-CP",
     "definition": "Số TTHC công khai đầy đủ các bộ phận tạo thành / số TTHC đã công khai × 100%"},
    {"code": "1d", "group": G1, "name": "Tỷ lệ hồ sơ đồng bộ lên Cổng DVC quốc gia", "points": 6, "source": PORTAL,
     "formula": unavailable("chờ bộ đồng bộ Cổng DVCQG gửi đi"), "legal_reference": annex("I") + "; Nghị định 45/2020/NĐ-CP",
     "definition": "Số hồ sơ đã đồng bộ lên Cổng DVCQG có ngày tiếp nhận trong kỳ / số hồ sơ tiếp nhận trong kỳ × 100%"},
    {"code": "2a", "group": G2, "name": "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn", "points": 20, "source": DECISION,
     "formula": {"ratio": ["resolved_early", "resolved_on_time"], "over": RESOLVED},
     "legal_reference": annex("II") + "; Nghị định 61/2018/NĐ-CP (sửa đổi bởi Nghị định 107/2021/NĐ-CP)",
     "definition": "(Số hồ sơ giải quyết trước hạn + đúng hạn) / số hồ sơ đã giải quyết trong kỳ × 100%; đúng hạn khi "
                   "có kết quả không muộn hơn ngày hẹn trả (thời gian tạm dừng, chờ bổ sung không tính)"},
    {"code": "2b", "group": G2, "name": "Thời gian giải quyết TTHC trung bình", "points": 0, "source": NO_POINTS,
     "formula": {"average_time": "working_days"}, "legal_reference": annex("II"),
     "definition": "Tổng thời gian giải quyết (ngày làm việc, từ khi bắt đầu tính hạn đến khi có kết quả, không tính "
                   "thời gian tạm dừng) / số hồ sơ đã giải quyết; tỷ lệ = thời gian luật định / thời gian thực tế "
                   "(tối đa 100%)"},
    {"code": "3a", "group": G3, "name": "Tỷ lệ số hóa thành phần hồ sơ", "points": 4, "full_at": 80, "source": PORTAL,
     "formula": {"ratio": ["digitised"], "over": RECEIVED}, "legal_reference": annex("III") + "; Nghị định 45/2020/NĐ-CP",
     "definition": "Số hồ sơ tiếp nhận có thành phần được số hóa / số hồ sơ tiếp nhận × 100%; đạt 80% trở lên được "
                   "điểm tối đa"},
    {"code": "3b", "group": G3, "name": "Tỷ lệ cấp kết quả giải quyết TTHC điện tử", "points": 6, "source": PORTAL,
     "formula": {"ratio": ["result_online"], "over": RESOLVED}, "legal_reference": annex("III"),
     "definition": "Số hồ sơ đã giải quyết có kết quả điện tử / số hồ sơ đã giải quyết × 100%"},
    {"code": "3c", "group": G3, "name": "Tỷ lệ khai thác, sử dụng lại thông tin, dữ liệu số hóa", "points": 2,
     "full_at": 80, "source": PORTAL, "formula": {"ratio": ["reused"], "over": RECEIVED},
     "legal_reference": annex("III"),
     "definition": "Số hồ sơ sử dụng lại dữ liệu, giấy tờ đã số hóa / số hồ sơ tiếp nhận × 100%; đạt 80% trở lên được "
                   "điểm tối đa"},
    {"code": "3d", "group": G3, "name": "Tỷ lệ chứng thực bản sao điện tử từ bản chính", "points": 2,
     "source": PORTAL_ONLY, "formula": unavailable("chưa có phân hệ chứng thực điện tử"),
     "legal_reference": annex("III") + "; Nghị định 45/2020/NĐ-CP",
     "definition": "Số bản sao điện tử được chứng thực từ bản chính / số yêu cầu chứng thực × 100%"},
    {"code": "3e", "group": G3, "name": "Tỷ lệ hồ sơ số hóa kết nối, chia sẻ với kho dữ liệu trên Cổng DVCQG",
     "points": 4, "source": PORTAL_ONLY, "formula": unavailable("chờ kết nối kho dữ liệu Cổng DVCQG"),
     "legal_reference": annex("III"),
     "definition": "Số hồ sơ có thành phần lấy từ kho dữ liệu cá nhân, tổ chức trên Cổng DVCQG / số hồ sơ tiếp nhận × "
                   "100%"},
    {"code": "3f", "group": G3, "name": "Tỷ lệ hồ sơ sử dụng dữ liệu dân cư", "points": 2, "source": PORTAL_ONLY,
     "formula": unavailable("chờ kết nối CSDL quốc gia về dân cư"), "legal_reference": annex("III") + "; Đề án 06",
     "definition": "Số hồ sơ khai thác dữ liệu từ CSDL quốc gia về dân cư / số hồ sơ tiếp nhận × 100%"},
    {"code": "3g", "group": G3, "name": "Tỷ lệ TTHC kết nối, chia sẻ dữ liệu dân cư", "points": 2,
     "source": PORTAL_ONLY, "formula": unavailable("chờ kết nối CSDL quốc gia về dân cư"),
     "legal_reference": annex("III") + "; Đề án 06",
     "definition": "Số TTHC có người dân thực hiện đã kết nối dữ liệu dân cư / số TTHC có người dân thực hiện × 100%"},
    {"code": "4a", "group": G4, "name": "Tỷ lệ DVC trực tuyến toàn trình", "points": 2, "full_at": 80,
     "source": PORTAL, "formula": {"catalog": "toan_trinh"}, "legal_reference": annex("IV") + "; Nghị định 42/2022/NĐ-CP",
     "definition": "Số TTHC cung cấp DVC trực tuyến toàn trình / số TTHC thuộc thẩm quyền × 100%; đạt 80% trở lên được "
                   "điểm tối đa"},
    {"code": "4b", "group": G4, "name": "Tỷ lệ hồ sơ nộp trực tuyến", "points": 6, "full_at": 50, "source": PORTAL,
     "formula": {"ratio": ["received:online", "received:national_portal"], "over": RECEIVED},
     "legal_reference": annex("IV"),
     "definition": "Số hồ sơ tiếp nhận trực tuyến (kể cả từ Cổng DVCQG) / số hồ sơ tiếp nhận × 100%; đạt 50% trở lên "
                   "được điểm tối đa"},
    {"code": "4c", "group": G4, "name": "Tỷ lệ hồ sơ thanh toán trực tuyến", "points": 6, "source": PORTAL,
     "formula": {"ratio": ["paid_online"], "over": ["paid"]}, "legal_reference": annex("IV"),
     "definition": "Số hồ sơ thanh toán phí, lệ phí trực tuyến / số hồ sơ có nộp phí, lệ phí × 100%"},
    {"code": "4d", "group": G4, "name": "Tỷ lệ DVC trực tuyến có phát sinh hồ sơ", "points": 4, "source": PORTAL,
     "formula": unavailable("chưa tính"), "legal_reference": annex("IV"),
     "definition": "Số DVC trực tuyến có hồ sơ nộp trực tuyến trong kỳ / số DVC trực tuyến × 100%"},
    {"code": "4e", "group": G4, "name": "Tỷ lệ TTHC có nghĩa vụ tài chính được tích hợp thanh toán trực tuyến",
     "points": 2, "full_at": 80, "source": PORTAL, "formula": unavailable("chờ kết nối Nền tảng thanh toán quốc gia"),
     "legal_reference": annex("IV"),
     "definition": "Số TTHC có phí, lệ phí được tích hợp thanh toán trên Cổng DVCQG / số TTHC có phí, lệ phí × 100%; "
                   "đạt 80% trở lên được điểm tối đa"},
    {"code": "4f", "group": G4, "name": "Tỷ lệ TTHC có giao dịch thanh toán trực tuyến", "points": 2, "full_at": 80,
     "source": PORTAL, "formula": unavailable("chưa tính"), "legal_reference": annex("IV"),
     "definition": "Số TTHC có ít nhất một giao dịch thanh toán trực tuyến / số TTHC có phí, lệ phí × 100%; đạt 80% "
                   "trở lên được điểm tối đa"},
    {"code": "5a", "group": G5, "name": "Tỷ lệ PAKN xử lý đúng hạn", "points": 6, "source": PORTAL,
     "formula": unavailable("chưa có phân hệ PAKN"), "legal_reference": annex("V"),
     "definition": "Số phản ánh, kiến nghị xử lý đúng hạn / số phản ánh, kiến nghị thuộc thẩm quyền × 100%"},
    {"code": "5b", "group": G5, "name": "Tỷ lệ hài lòng trong xử lý PAKN", "points": 6, "source": PORTAL,
     "formula": unavailable("chưa có phân hệ PAKN"), "legal_reference": annex("V"),
     "definition": "(Tổng số PAKN − số PAKN bị đánh giá không hài lòng hoặc quá hạn) / tổng số PAKN × 100%"},
    {"code": "5c", "group": G5, "name": "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC", "points": 6, "full_at": 90,
     "source": DECISION + "; ngưỡng 90% theo Cổng DVCQG", "formula": {"ratio": ["satisfied"], "over": ["surveyed"]},
     "legal_reference": annex("V") + "; Nghị quyết 76/NQ-CP",
     "definition": "Số lượt đánh giá hài lòng, rất hài lòng / số lượt đánh giá × 100%; đạt 90% trở lên được điểm tối đa"},
]


def describe(apps, schema_editor):
    Scorecard = apps.get_model("reports", "Scorecard")
    for card in Scorecard.objects.filter(name=CARD):
        kept = {i["code"]: i["formula"] for i in card.indicators if "unavailable" not in i["formula"]}
        card.indicators = [{**i, "formula": kept.get(i["code"], i["formula"])}
                           if "unavailable" in i["formula"] else i for i in INDICATORS]
        card.legal_basis = card.legal_basis.replace(OLD_NOTE, "") or LEGAL
        card.save(update_fields=["indicators", "legal_basis"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0009_rollup_sums_for_average_time")]
    operations = [migrations.RunPython(describe, migrations.RunPython.noop)]
