"""Payment tests: a VNPay test terminal, jobs run at once, a dossier paused for its financial obligation."""

import pytest

from motcua.dossiers import actions
from motcua.dossiers.tests.helpers import at, land_dossier

TMN_CODE = "MOTCUA01"
HASH_SECRET = "TEST-HASH-SECRET-0123456789ABCDEF"


@pytest.fixture(autouse=True)
def vnpay_terminal(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                                  "QUEUES": ["default"]}}
    settings.MOTCUA_VNPAY_TMN_CODE = TMN_CODE
    settings.MOTCUA_VNPAY_HASH_SECRET = HASH_SECRET
    settings.MOTCUA_VNPAY_PAYMENT_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    settings.MOTCUA_VNPAY_IPN_ALLOWED_IPS = []


@pytest.fixture
def paused_dossier(demo_catalog, demo_agencies, clerk, specialist, tax_specialist):
    """A land transfer at the tax office, paused for 25,000,000 đồng of taxes."""
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    dossier = actions.forward_dossier(dossier, actor=clerk, at=at(2026, 11, 30, 10))
    dossier = actions.forward_dossier(dossier, actor=specialist, at=at(2026, 12, 1, 15))
    return actions.pause_for_fees(dossier, actor=tax_specialist, note="Thuế TNCN và lệ phí trước bạ",
                                  amount=25_000_000, at=at(2026, 12, 2, 9))
