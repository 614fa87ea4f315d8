"""End to end: dossier actions → outbox → job → a real SMTP server (aiosmtpd) and HTTP stand-ins for the SMS
gateway and Zalo ZNS, all on loopback."""

from motcua.dossiers import actions
from motcua.dossiers.tests.helpers import at
from motcua.notifications.models import Channel, DeliveryAttempt, Kind, OutboundMessage, Status
from motcua.notifications.tests.helpers import notified, notified_land_dossier


def test_email_and_sms_reach_the_applicant(demo_catalog, demo_agencies, clerk, smtp, sms_gateway,
                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    with django_capture_on_commit_callbacks(execute=True):
        notified(actions.request_supplement, dossier, actor=clerk, items=["Bản sao Giấy chứng nhận"],
                 note="Bản sao bị mờ")

    assert len(smtp.messages) == 2
    received, supplement = smtp.messages
    assert received["Subject"].strip() == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    assert received["To"] == "tran.thi.binh@example.vn"
    assert "Một cửa Đồng Nai" in received["From"]
    body = received.get_content()
    assert "Kính gửi Ông/Bà Trần Thị Bình" in body and "09:00 10/12/2026" in body
    assert supplement["Subject"].strip() == f"Hồ sơ {dossier.code} cần bổ sung giấy tờ"
    assert "Bản sao Giấy chứng nhận" in supplement.get_content()

    email_message = OutboundMessage.objects.get(dossier=dossier, kind=Kind.RECEIVED, channel=Channel.EMAIL)
    assert received["Message-ID"] == f"<{email_message.uid}@dongnai.gov.vn>"
    assert email_message.status == Status.SENT and email_message.sent_at is not None
    assert email_message.provider_message_id == received["Message-ID"]
    assert list(email_message.delivery_attempts.values_list("outcome", flat=True)) == [DeliveryAttempt.Outcome.SENT]

    assert len(sms_gateway.requests) == 2
    sms = sms_gateway.requests[0]
    sms_message = OutboundMessage.objects.get(dossier=dossier, kind=Kind.RECEIVED, channel=Channel.SMS)
    assert sms["Phone"] == "84987654321"
    assert sms["RequestId"] == str(sms_message.uid)
    assert sms["Brandname"] == "DONGNAI" and sms["ApiKey"] == "test-api-key" and sms["IsUnicode"] == "0"
    # Sent without diacritics (the gateway's plain-letter rate); the record keeps the Vietnamese text.
    assert sms["Content"].startswith(f"Ho so {dossier.code} da duoc tiep nhan luc 09:00 30/11/2026")
    assert sms_message.body.startswith(f"Hồ sơ {dossier.code} đã được tiếp nhận")
    sms_message.refresh_from_db()
    assert sms_message.status == Status.SENT and sms_message.provider_message_id == f"sms-{sms_message.uid}"


def test_unicode_sms_when_configured(demo_catalog, demo_agencies, clerk, sms_gateway, settings,
                                     django_capture_on_commit_callbacks):
    settings.MOTCUA_SMS_UNICODE = True
    settings.MOTCUA_NOTIFY_CHANNELS = ["sms"]
    with django_capture_on_commit_callbacks(execute=True):
        dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    assert sms_gateway.requests[0]["IsUnicode"] == "1"
    assert sms_gateway.requests[0]["Content"].startswith(f"Hồ sơ {dossier.code} đã được tiếp nhận")


def test_zalo_zns_template_message(demo_catalog, demo_agencies, clerk, zns_gateway, zns_templates, settings,
                                   django_capture_on_commit_callbacks):
    settings.MOTCUA_NOTIFY_CHANNELS = ["sms", "zns"]
    with django_capture_on_commit_callbacks(execute=True):
        dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    message = OutboundMessage.objects.get(dossier=dossier, channel=Channel.ZNS)
    assert zns_gateway.requests == [{
        "phone": "84987654321", "template_id": message.zns_template_id, "tracking_id": str(message.uid),
        "template_data": {"ma_ho_so": dossier.code, "nguoi_nop": "Trần Thị Bình", "ngay_tiep_nhan": "09:00 30/11/2026",
                          "ngay_hen_tra": "09:00 10/12/2026", "ma_tra_cuu": dossier.lookup_secret},
    }]
    assert zns_gateway.headers[0]["access_token"] == "test-oa-access-token"
    message.refresh_from_db()
    assert message.status == Status.SENT and message.provider_message_id == f"zns-{message.uid}"
    assert not OutboundMessage.objects.filter(dossier=dossier, channel=Channel.SMS).exists()


def test_demo_defaults_need_no_provider(demo_catalog, demo_agencies, clerk, settings, caplog,
                                        django_capture_on_commit_callbacks):
    """With nothing configured, email goes to Django's configured backend and SMS/ZNS to the log."""
    from django.core import mail

    settings.MOTCUA_SMS_BACKEND = "log"
    with django_capture_on_commit_callbacks(execute=True), caplog.at_level("INFO"):
        dossier = notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    assert [m.status for m in OutboundMessage.objects.filter(dossier=dossier)] == [Status.SENT, Status.SENT]
    assert len(mail.outbox) == 1
    assert any("84987654321" in record.getMessage() for record in caplog.records)
