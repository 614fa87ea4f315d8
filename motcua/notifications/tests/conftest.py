"""Notification tests: jobs run at once (immediate backend), providers are local stand-ins on loopback."""

import pytest

from motcua.notifications.tests.standins import SmtpServer, StandInGateway

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def immediate_jobs(settings):
    settings.TASKS = IMMEDIATE
    settings.MOTCUA_NOTIFY_CHANNELS = ["email", "sms", "zns"]
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.dongnai.gov.vn"


@pytest.fixture
def smtp(settings):
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Một cửa Đồng Nai <mot-cua@dongnai.gov.vn>"
    yield server.mailbox
    server.stop()


@pytest.fixture
def sms_gateway(settings):
    gateway = StandInGateway("sms")
    settings.MOTCUA_SMS_BACKEND = "http"
    settings.MOTCUA_SMS_URL = gateway.start()
    settings.MOTCUA_SMS_API_KEY = "test-api-key"
    settings.MOTCUA_SMS_SECRET_KEY = "test-secret-key"
    settings.MOTCUA_SMS_BRANDNAME = "DONGNAI"
    settings.MOTCUA_SMS_TIMEOUT = 1
    yield gateway
    gateway.stop()


@pytest.fixture
def zns_gateway(settings):
    gateway = StandInGateway("zns")
    settings.MOTCUA_ZNS_BACKEND = "http"
    settings.MOTCUA_ZNS_URL = gateway.start()
    settings.MOTCUA_ZNS_ACCESS_TOKEN = "test-oa-access-token"
    settings.MOTCUA_ZNS_TIMEOUT = 1
    yield gateway
    gateway.stop()


@pytest.fixture
def zns_templates(db):
    """Give every ZNS template a Zalo template id (as an administrator does once Zalo approves them)."""
    from motcua.notifications.models import Channel, MessageTemplate

    for number, template in enumerate(MessageTemplate.objects.filter(channel=Channel.ZNS), start=1):
        template.zns_template_id = f"2{number:05d}"
        template.save()
