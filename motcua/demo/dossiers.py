"""Sample dossiers for the demo province, so that every queue of the back office has something in it, and a
citizen (tranthibinh) has dossiers of her own that owe money, to pay online (the DEMO VNPay page): the fees of one
land transfer, and the tax authority's notice (personal income tax, registration fee) of another."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.directory.models import Agency
from motcua.dossiers import actions
from motcua.dossiers.actions import Applicant, Upload
from motcua.dossiers.models import Channel, Dossier
from motcua.payments.invoices import create_invoice

LAND_FORM = {
    "ben_chuyen_nhuong": {"ho_ten": "Phạm Văn Hùng", "so_dinh_danh": "075085003456"},
    "ben_nhan_chuyen_nhuong": {"ho_ten": "Trần Thị Bình", "so_dinh_danh": "075195004321"},
    "thua_dat": {"so_thua": "125", "to_ban_do": "18", "so_phat_hanh_gcn": "DA 123456"},
    "hop_dong": {"so_cong_chung": "4521", "ngay_cong_chung": "2026-11-10"},
}
BIRTH_FORM = {
    "tre": {"ho_ten": "Nguyễn Minh Khôi", "gioi_tinh": "nam", "ngay_sinh": "2026-11-18", "noi_sinh": "Đồng Nai"},
    "me": {"ho_ten": "Lê Thị Hồng", "so_dinh_danh": "075196002222"},
    "nguoi_yeu_cau": {"ho_ten": "Nguyễn Văn An", "so_dinh_danh": "075090001234"},
}
LAND_PAPERS = ["don_dang_ky_bien_dong", "giay_chung_nhan", "hop_dong_chuyen_nhuong", "to_khai_tncn", "to_khai_lptb"]


def build_demo_dossiers(now: dt.datetime | None = None) -> int:
    """Create the sample dossiers that do not exist yet; return how many were created."""
    now = now or timezone.now()
    users = {u.username: u for u in get_user_model().objects.all()}
    agencies = {a.function or a.eid_code: a for a in Agency.objects.all()}
    communes = list(Agency.objects.filter(function="commune").order_by("eid_code"))
    land = Procedure.objects.get(national_code="1.013831")
    birth = Procedure.objects.get(national_code="1.001193")
    clerk, specialist = users["tiepnhan.ttpvhcc"], users["chuyenvien.vpdkdd"]
    created = 0

    def land_at_counter(key: str, days_ago: int, moves: list[Callable[[Dossier], Dossier]]) -> None:
        nonlocal created
        if Dossier.objects.filter(idempotency_key=key).exists():
            return
        dossier = actions.submit_dossier(
            procedure=land, channel=Channel.COUNTER, applicant=Applicant(name="Trần Thị Bình", phone="0987654321",
                                                                        id_number="075195004321"),
            competent_agency=agencies["land_registration"], receiving_agency=agencies["service_center"],
            actor=clerk, form_data=LAND_FORM, paper_documents=LAND_PAPERS, idempotency_key=key,
            at=now - dt.timedelta(days=days_ago),
        )
        for move in moves:
            dossier = move(dossier)
        created += 1

    land_at_counter("demo:land:new", 0, [])
    land_at_counter("demo:land:review", 2, [lambda d: actions.forward_dossier(d, actor=clerk)])
    land_at_counter("demo:land:tax", 4, [
        lambda d: actions.forward_dossier(d, actor=clerk),
        lambda d: actions.forward_dossier(d, actor=specialist),
    ])
    land_at_counter("demo:land:late", 20, [lambda d: actions.forward_dossier(d, actor=clerk)])
    if not Dossier.objects.filter(idempotency_key="demo:birth:online").exists():
        actions.submit_dossier(
            procedure=birth, channel=Channel.ONLINE, applicant=Applicant(name="Nguyễn Văn An", phone="0912345678"),
            competent_agency=communes[0], actor=users["nguyenvana"], form_data=BIRTH_FORM,
            uploads=[Upload(code, f"{code}.pdf", b"%PDF-1.4 demo") for code in
                     ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")],
            idempotency_key="demo:birth:online", at=now - dt.timedelta(hours=2),
        )
        created += 1
    if not Dossier.objects.filter(idempotency_key="demo:land:online-fees").exists():
        # tranthibinh's own online land transfer, received by the one-stop clerk with its fee invoice (427.500
        # đồng at the online rate): "my dossiers" shows it owing fees, with the link to pay online.
        submitted_at = now - dt.timedelta(days=1)
        dossier = actions.submit_dossier(
            procedure=land, channel=Channel.ONLINE, applicant=Applicant(name="Trần Thị Bình", phone="0987654321",
                                                                        id_number="075195004321"),
            competent_agency=agencies["land_registration"], actor=users["tranthibinh"], form_data=LAND_FORM,
            uploads=[Upload(code, f"{code}.pdf", b"%PDF-1.4 demo") for code in LAND_PAPERS],
            idempotency_key="demo:land:online-fees", at=submitted_at,
            assurance_level=2,  # she applied after signing in with her level 2 VNeID account (simulators/vneid.py)
        )
        dossier = actions.receive_dossier(dossier, actor=clerk, at=submitted_at + dt.timedelta(hours=1))
        create_invoice(dossier, actor=clerk, at=submitted_at + dt.timedelta(hours=1))
        created += 1
    created += _tax_notice_dossiers(land, users, agencies, now)
    return created


def _tax_notice_dossiers(land: Procedure, users: dict, agencies: dict, now: dt.datetime) -> int:  # type: ignore[type-arg]
    """tranthibinh's online land transfers at the tax step with the tax authority's notice (entered by the tax
    office's officer, the manual path: the seed makes no call to an outside system): one awaiting her payment
    (her dossier page shows the amounts, the deadline and "Nộp tiền trực tuyến"), one already paid at the counter
    (the tax officer moves it on, then the treasury step confirms by itself). Each once (idempotency key)."""
    from motcua.adapters import tax_authority as tax
    from motcua.payments.actions import record_counter_payment
    from motcua.payments.models import Invoice, Payment
    from motcua.taxexchange.actions import enter_notice_manually

    clerk, specialist, tax_officer = users["tiepnhan.ttpvhcc"], users["chuyenvien.vpdkdd"], users["chuyenvien.thue"]
    created = 0
    for key, number, days_ago, paid in (("demo:land:tax-notice", "TB-DEMO-0001", 3, False),
                                        ("demo:land:tax-paid", "TB-DEMO-0002", 5, True)):
        if Dossier.objects.filter(idempotency_key=key).exists():
            continue
        submitted_at = now - dt.timedelta(days=days_ago)
        form = {**LAND_FORM, "hop_dong": {**LAND_FORM["hop_dong"], "gia_chuyen_nhuong": 2_000_000_000}}
        dossier = actions.submit_dossier(
            procedure=land, channel=Channel.ONLINE, applicant=Applicant(name="Trần Thị Bình", phone="0987654321",
                                                                        id_number="075195004321"),
            competent_agency=agencies["land_registration"], actor=users["tranthibinh"], form_data=form,
            uploads=[Upload(code, f"{code}.pdf", b"%PDF-1.4 demo") for code in LAND_PAPERS],
            idempotency_key=key, at=submitted_at, assurance_level=2)
        dossier = actions.receive_dossier(dossier, actor=clerk, at=submitted_at + dt.timedelta(hours=1))
        dossier = actions.forward_dossier(dossier, actor=clerk, at=submitted_at + dt.timedelta(hours=2))
        dossier = actions.forward_dossier(dossier, actor=specialist, at=submitted_at + dt.timedelta(hours=3))
        enter_notice_manually(
            dossier, actor=tax_officer, number=number, deadline=(now + dt.timedelta(days=10)).date(),
            payment_reference=f"{number}-TT", at=submitted_at + dt.timedelta(hours=4),
            lines=[("1003", tax.OBLIGATIONS["1003"], 40_000_000), ("2801", tax.OBLIGATIONS["2801"], 10_000_000)])
        if paid:
            invoice = Invoice.objects.get(dossier=dossier, purpose=Invoice.Purpose.OBLIGATION)
            record_counter_payment(invoice, actor=clerk, method=Payment.Method.CASH, amount=invoice.outstanding,
                                   idempotency_key=f"{key}:payment", at=submitted_at + dt.timedelta(days=1))
        created += 1
    return created
