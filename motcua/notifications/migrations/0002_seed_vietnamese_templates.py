"""Seed the Vietnamese message templates (one per event and channel). Administrators edit them afterwards;
running this again never overwrites an edited template.

SMS texts are written with diacritics; they are sent without them (đ → d) unless MOTCUA_SMS_UNICODE is on.
ZNS templates must be approved by Zalo first: their Zalo template id is left empty, and the phone then gets an
SMS until an administrator enters the id.
"""

from django.db import migrations

FOOTER = "\n\nĐây là thư tự động từ hệ thống Một cửa điện tử, vui lòng không trả lời thư này."
LOOKUP = "\n\nTra cứu hồ sơ: {duong_dan_tra_cuu}\nMã tra cứu: {ma_tra_cuu}"

TEMPLATES = {
    "received": {
        "subject": "Hồ sơ {ma_ho_so} đã được tiếp nhận",
        "email": (
            "Kính gửi Ông/Bà {nguoi_nop},\n\n"
            "{co_quan} đã tiếp nhận hồ sơ {ma_ho_so} về thủ tục «{ten_thu_tuc}» lúc {ngay_tiep_nhan}.\n"
            "Thời gian hẹn trả kết quả: {ngay_hen_tra}." + LOOKUP + FOOTER
        ),
        "sms": "Hồ sơ {ma_ho_so} đã được tiếp nhận lúc {ngay_tiep_nhan}. Hẹn trả kết quả: {ngay_hen_tra}. "
               "Tra cứu: {duong_dan_tra_cuu}",
        "zns": ["ma_ho_so", "nguoi_nop", "ngay_tiep_nhan", "ngay_hen_tra", "ma_tra_cuu"],
    },
    "supplement_requested": {
        "subject": "Hồ sơ {ma_ho_so} cần bổ sung giấy tờ",
        "email": (
            "Kính gửi Ông/Bà {nguoi_nop},\n\n"
            "Hồ sơ {ma_ho_so} về thủ tục «{ten_thu_tuc}» cần được bổ sung, hoàn thiện:\n{giay_to_bo_sung}\n\n"
            "Lý do: {ly_do}\n"
            "Thời gian giải quyết được tính lại từ khi cơ quan nhận đủ hồ sơ." + LOOKUP + FOOTER
        ),
        "sms": "Hồ sơ {ma_ho_so} cần bổ sung: {giay_to_bo_sung}. Lý do: {ly_do}. Chi tiết: {duong_dan_tra_cuu}",
        "zns": ["ma_ho_so", "nguoi_nop", "giay_to_bo_sung", "ly_do"],
    },
    "paused_for_fees": {
        "subject": "Hồ sơ {ma_ho_so} đang chờ thực hiện nghĩa vụ tài chính",
        "email": (
            "Kính gửi Ông/Bà {nguoi_nop},\n\n"
            "Hồ sơ {ma_ho_so} về thủ tục «{ten_thu_tuc}» đang tạm dừng chờ Ông/Bà thực hiện nghĩa vụ tài chính.\n"
            "Số tiền: {so_tien}\n{ly_do}\n\n"
            "Thanh toán trực tuyến: {duong_dan_thanh_toan}\n"
            "Hồ sơ được tiếp tục giải quyết ngay khi khoản thanh toán được xác nhận." + LOOKUP + FOOTER
        ),
        "sms": "Hồ sơ {ma_ho_so} chờ thực hiện nghĩa vụ tài chính: {so_tien}. Thanh toán: {duong_dan_thanh_toan}",
        "zns": ["ma_ho_so", "nguoi_nop", "so_tien", "duong_dan_thanh_toan"],
    },
    "result_ready": {
        "subject": "Hồ sơ {ma_ho_so} đã có kết quả",
        "email": (
            "Kính gửi Ông/Bà {nguoi_nop},\n\n"
            "Hồ sơ {ma_ho_so} về thủ tục «{ten_thu_tuc}» đã có kết quả.\n"
            "Mời Ông/Bà nhận kết quả tại {co_quan} (theo hình thức đã đăng ký)." + LOOKUP + FOOTER
        ),
        "sms": "Hồ sơ {ma_ho_so} đã có kết quả. Mời Ông/Bà nhận kết quả tại {co_quan}.",
        "zns": ["ma_ho_so", "nguoi_nop", "co_quan"],
    },
    "returned": {
        "subject": "Hồ sơ {ma_ho_so} đã được trả kết quả",
        "email": (
            "Kính gửi Ông/Bà {nguoi_nop},\n\n"
            "Kết quả hồ sơ {ma_ho_so} về thủ tục «{ten_thu_tuc}» đã được trả.\n"
            "Cảm ơn Ông/Bà đã sử dụng dịch vụ. Ông/Bà có thể đánh giá mức độ hài lòng trên Cổng dịch vụ công."
            + LOOKUP + FOOTER
        ),
        "sms": "Hồ sơ {ma_ho_so} đã được trả kết quả. Cảm ơn Ông/Bà đã sử dụng dịch vụ.",
        "zns": ["ma_ho_so", "nguoi_nop"],
    },
    "extended": {
        "subject": "Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {ma_ho_so}",
        "email": (
            "Kính gửi Ông/Bà {nguoi_nop},\n\n"
            "Cơ quan giải quyết chân thành xin lỗi vì hồ sơ {ma_ho_so} về thủ tục «{ten_thu_tuc}» chưa có kết quả "
            "đúng hẹn.\nLý do: {ly_do}\nThời gian hẹn trả kết quả mới: {ngay_hen_moi}." + LOOKUP + FOOTER
        ),
        "sms": "Xin lỗi Ông/Bà: hồ sơ {ma_ho_so} trễ hẹn. Ngày hẹn mới: {ngay_hen_moi}. Lý do: {ly_do}",
        "zns": ["ma_ho_so", "nguoi_nop", "ngay_hen_moi", "ly_do"],
    },
    "refused": {
        "subject": "Hồ sơ {ma_ho_so} không được giải quyết",
        "email": (
            "Kính gửi Ông/Bà {nguoi_nop},\n\n"
            "Hồ sơ {ma_ho_so} về thủ tục «{ten_thu_tuc}» không được giải quyết.\nLý do: {ly_do}" + LOOKUP + FOOTER
        ),
        "sms": "Hồ sơ {ma_ho_so} không được giải quyết. Lý do: {ly_do}. Chi tiết: {duong_dan_tra_cuu}",
        "zns": ["ma_ho_so", "nguoi_nop", "ly_do"],
    },
}


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("notifications", "MessageTemplate")
    for kind, spec in TEMPLATES.items():
        MessageTemplate.objects.get_or_create(
            kind=kind, channel="email", defaults={"subject": spec["subject"], "body": spec["email"]})
        MessageTemplate.objects.get_or_create(kind=kind, channel="sms", defaults={"body": spec["sms"]})
        MessageTemplate.objects.get_or_create(kind=kind, channel="zns", defaults={"zns_params": spec["zns"]})


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_create_outbox_and_templates")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
