"""Invoices from the pinned procedure version's fee lines: fixed, online price, per item, maximum, exemptions."""

import pytest

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.models import Channel
from motcua.dossiers.tests.helpers import at, land_dossier
from motcua.payments import invoices
from motcua.payments.fees import FeeError, compute_lines
from motcua.payments.models import Invoice


def test_land_transfer_fee_invoice_at_the_counter(demo_catalog, demo_agencies, clerk):
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    invoice = invoices.create_invoice(dossier, actor=clerk)
    lines = list(invoice.lines.values_list("name", "kind", "unit_amount", "quantity", "amount"))
    assert [line[2:] for line in lines] == [(450_000, 1, 450_000), (24_000, 1, 24_000)]  # taxes come later
    assert invoice.total == 474_000 and invoice.state == Invoice.State.UNPAID
    assert invoice.number == f"{dossier.code}-LP" and invoice.procedure_version == dossier.procedure_version
    # Idempotent: asking again returns the same invoice; asking for something else is refused.
    assert invoices.create_invoice(dossier) == invoice
    with pytest.raises(FeeError):
        invoices.create_invoice(dossier, exemptions={2: "Hộ nghèo"})  # not a category of that line


def test_online_price_is_used_for_online_dossiers(demo_catalog):
    version = demo_catalog["1.013831"].current_version
    lines = compute_lines(version, channel=Channel.ONLINE)
    assert [(line.unit_amount, line.amount) for line in lines] == [(427_500, 427_500), (0, 0)]


def test_per_item_with_maximum_and_exemptions(demo_catalog):
    version = demo_catalog["1.001193"].current_version  # birth registration: free fee (exemptions), copies 8,000
    lines = compute_lines(version, channel=Channel.COUNTER, quantities={1: 3},
                          exemptions={0: "Hộ nghèo"})
    assert [(line.name, line.quantity, line.amount, line.exemption) for line in lines] == [
        ("Lệ phí đăng ký khai sinh", 1, 0, "Hộ nghèo"),
        ("Cấp bản sao Giấy khai sinh (nếu yêu cầu)", 3, 24_000, ""),
    ]
    capped = ProcedureVersion(fees=[{"name": "Bản sao", "kind": "per_item", "amount": 5_000, "maximum": 20_000}])
    assert compute_lines(capped, channel=Channel.COUNTER, quantities={0: 10})[0].amount == 20_000
    assert compute_lines(capped, channel=Channel.COUNTER) == []  # none asked for


def test_bad_choices_are_explained_in_both_languages(demo_catalog):
    version = demo_catalog["1.001193"].current_version
    with pytest.raises(FeeError) as bad:
        compute_lines(version, channel=Channel.COUNTER, quantities={1: -2, 7: 1}, exemptions={0: "Người giàu"})
    errors = bad.value.errors
    assert errors["fees/1"] == ("Số lượng phải là số nguyên từ 0 đến 1000.",
                                "The quantity must be a whole number from 0 to 1000.")
    assert errors["fees/7"][1] == "The procedure's fee schedule has no such line."
    assert "«Người giàu» không thuộc các đối tượng được miễn" in errors["fees/0"][0]


def test_nothing_to_pay_is_paid_at_once(demo_catalog, demo_agencies, clerk):
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    dossier.procedure_version = demo_catalog["1.001193"].current_version
    invoice = invoices.create_invoice(dossier)
    assert invoice.total == 0 and invoice.state == Invoice.State.PAID and invoice.outstanding == 0


def test_a_repeat_with_other_choices_is_refused(demo_catalog, demo_agencies, clerk):
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30))
    dossier.procedure_version = demo_catalog["1.001193"].current_version
    invoice = invoices.create_invoice(dossier, quantities={1: 2})
    assert invoice.total == 16_000
    assert invoices.create_invoice(dossier, quantities={1: 2}) == invoice
    with pytest.raises(invoices.PaymentError) as other:
        invoices.create_invoice(dossier, quantities={1: 3})
    assert (other.value.code, other.value.message_en) == (
        "invoice_exists", "The dossier already has a fee invoice with different lines.")


def test_obligation_invoice_from_the_pause(paused_dossier):
    invoice = invoices.invoice_for_pause(paused_dossier)
    assert invoice.purpose == Invoice.Purpose.OBLIGATION and invoice.total == 25_000_000
    assert invoice.lines.get().name == "Thuế TNCN và lệ phí trước bạ"
    assert invoices.invoice_for_pause(paused_dossier) == invoice
    with pytest.raises(invoices.PaymentError) as other:
        invoices.invoice_obligation(paused_dossier, amount=1, description="x")
    assert other.value.code == "invoice_exists"
    with pytest.raises(invoices.PaymentError) as bad:
        invoices.invoice_obligation(paused_dossier, amount=0, description="x")
    assert bad.value.message_en == "The amount must be a positive whole number of đồng."
