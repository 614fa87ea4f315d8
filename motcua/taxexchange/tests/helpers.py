"""A land transfer brought to the external tax step, and the messages the tax side sends."""

import datetime as dt

from motcua.adapters import tax_authority as tax
from motcua.dossiers import actions
from motcua.dossiers.tests.helpers import at, land_dossier

LINES = (tax.Obligation("1003", tax.OBLIGATIONS["1003"], 40_000_000),
         tax.Obligation("2801", tax.OBLIGATIONS["2801"], 10_000_000))


def at_tax_step(catalog, agencies, clerk, specialist):
    """Received Monday 30/11/2026 09:00 (due Thursday 10/12 09:00), at the tax step from Tuesday 15:00."""
    dossier = land_dossier(catalog, agencies, clerk, at(2026, 11, 30))
    dossier = actions.forward_dossier(dossier, actor=clerk, at=at(2026, 11, 30, 10))
    return actions.forward_dossier(dossier, actor=specialist, at=at(2026, 12, 1, 15))


def tax_system(settings, url, **extra):
    settings.MOTCUA_INTEGRATION_SYSTEMS = {
        "thue": {"base_url": url, "max_attempts": 1, "read_timeout": 2, **extra},
        "kho_bac": {"base_url": url, "max_attempts": 1, "read_timeout": 2, **extra},
    }


def notice_for(dossier, *, number="TB-2026-0001", lines=LINES, revision=0):
    return tax.Notice(number=number, dossier_codes=(dossier.code,), lines=lines, revision=revision,
                      deadline=dt.date(2026, 12, 31), payment_reference="TT0000000001")


def receipt_for(dossier, *, amount=50_000_000, number="TB-2026-0001", document="CT-0001", when=None):
    return tax.Receipt(dossier_code=dossier.code, payer_name="Trần Thị Bình", tax_code="075195004321",
                       file_url="https://kb.example/ct.pdf", notice_number=number,
                       paid_at=when or at(2026, 12, 4, 10), amount=amount, content="Nop thue chuyen nhuong",
                       document_number=document)
