"""The Vietnamese templates: seeded for every event and channel, edited by administrators, checked on save."""

from django.urls import reverse

from motcua.notifications.admin import MessageTemplateForm
from motcua.notifications.models import Channel, Kind, MessageTemplate
from motcua.notifications.rendering import render


def test_every_event_has_vietnamese_templates(db):
    for kind in Kind:
        email = MessageTemplate.objects.get(kind=kind, channel=Channel.EMAIL)
        sms = MessageTemplate.objects.get(kind=kind, channel=Channel.SMS)
        zns = MessageTemplate.objects.get(kind=kind, channel=Channel.ZNS)
        # Dossier events speak of the "hồ sơ", petition events (motcua/feedback) of the "phản ánh".
        assert ("hồ sơ" if not kind.startswith("feedback_") else "phản ánh") in email.subject.lower()
        assert "{ma_ho_so}" in sms.body and "Kính gửi" in email.body
        assert "ma_ho_so" in zns.zns_params and zns.zns_template_id == ""
        render(email.body, {})  # every placeholder is a known variable


def form(**overrides):
    data = {"kind": Kind.RECEIVED, "channel": Channel.SMS, "is_active": True, "subject": "",
            "body": "Hồ sơ {ma_ho_so}", "zns_template_id": "", "zns_params": "[]"}
    data.update(overrides)
    instance = MessageTemplate.objects.get(kind=data["kind"], channel=data["channel"])
    return MessageTemplateForm(data=data, instance=instance)


def test_unknown_placeholders_are_refused_in_the_administrator_language(db):
    from django.utils import translation

    bad = form(body="Hồ sơ {ma_ho_so} của {ten_nguoi}")
    assert not bad.is_valid()
    assert "Biến không hợp lệ trong mẫu: {ten_nguoi}" in bad.errors["body"][0]
    assert "Unknown placeholders" not in bad.errors["body"][0]
    with translation.override("en"):
        english = form(body="Hồ sơ {ma_ho_so} của {ten_nguoi}")
        assert not english.is_valid()
        assert "Unknown placeholders in the template: {ten_nguoi}" in english.errors["body"][0]
        assert "Biến không hợp lệ" not in english.errors["body"][0]
    zns = form(channel=Channel.ZNS, body="", zns_params='["ma_ho_so", "so_cmnd"]')
    assert not zns.is_valid() and "{so_cmnd}" in zns.errors["zns_params"][0]
    assert form(body="Hồ sơ {ma_ho_so} hẹn trả {ngay_hen_tra}").is_valid()


def test_province_admin_edits_a_template(client, province_admin, agency_admin):
    template = MessageTemplate.objects.get(kind=Kind.RESULT_READY, channel=Channel.SMS)
    url = reverse("admin:notifications_messagetemplate_change", args=[template.pk])
    client.force_login(agency_admin)
    assert client.get(url).status_code == 200  # may read
    client.force_login(province_admin)
    response = client.post(url, {"kind": template.kind, "channel": template.channel, "is_active": "on",
                                 "subject": "", "body": "Hồ sơ {ma_ho_so} đã có kết quả, mời nhận tại {co_quan}.",
                                 "zns_template_id": "", "zns_params": "[]"})
    assert response.status_code == 302, response.content.decode()[:2000]
    template.refresh_from_db()
    assert template.body == "Hồ sơ {ma_ho_so} đã có kết quả, mời nhận tại {co_quan}."


def test_outbox_is_visible_to_administrators_only(client, demo_catalog, demo_agencies, clerk, province_admin):
    from motcua.dossiers.tests.helpers import at
    from motcua.notifications.tests.helpers import notified_land_dossier

    notified_land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    url = reverse("admin:notifications_outboundmessage_changelist")
    client.force_login(clerk)
    assert client.get(url).status_code in (302, 403)
    client.force_login(province_admin)
    response = client.get(url)
    assert response.status_code == 200 and "84987654321" in response.content.decode()
