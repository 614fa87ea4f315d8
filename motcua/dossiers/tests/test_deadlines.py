"""Statutory deadlines across Tết, the receipt cut-off, a supplement pause and a financial-obligation pause."""

from motcua.dossiers import actions
from motcua.dossiers.actions import Applicant, Upload, submit_dossier
from motcua.dossiers.models import Channel, PauseInterval, Status
from motcua.dossiers.tests.helpers import at, land_dossier

BIRTH_FORM = {
    "tre": {"ho_ten": "Lê Minh Khang", "gioi_tinh": "nam", "ngay_sinh": "2026-02-10", "noi_sinh": "Đồng Nai"},
    "me": {"ho_ten": "Lê Thị Cúc", "so_dinh_danh": "075195001111"},
    "nguoi_yeu_cau": {"ho_ten": "Lê Thị Cúc", "so_dinh_danh": "075195001111"},
}


def test_same_day_birth_registration_after_the_cut_off_before_tet_2026(demo_catalog, demo_agencies, other_clerk):
    dossier = submit_dossier(
        procedure=demo_catalog["1.001193"], channel=Channel.COUNTER, applicant=Applicant(name="Lê Thị Cúc"),
        competent_agency=demo_agencies["tran_bien"], receiving_agency=demo_agencies["tran_bien"], actor=other_clerk,
        form_data=BIRTH_FORM, paper_documents=["to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than"],
        at=at(2026, 2, 13, 15, 30),
    )
    # Friday 13/02/2026 after 15:00; Tết runs Monday 16 to Friday 20: due at the close of Monday 23/02.
    assert dossier.due_at == at(2026, 2, 23, 17)


def test_land_transfer_received_just_before_tet_2026(demo_catalog, demo_agencies, clerk):
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 2, 12, 10))
    # 8 working days: 13/02, then 23, 24, 25, 26, 27/02, 02 and 03/03.
    assert dossier.due_at == at(2026, 3, 3, 10)


def test_supplement_stops_the_clock_and_restarts_it_in_full(demo_catalog, demo_agencies, clerk, specialist):
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30, 9))
    dossier = actions.forward_dossier(dossier, actor=clerk, at=at(2026, 11, 30, 10))
    dossier = actions.request_supplement(dossier, actor=specialist, items=["Bản vẽ tách thửa (Mẫu số 22)"],
                                         note="Thửa đất có tách thửa", at=at(2026, 12, 1, 10))
    assert dossier.status == Status.AWAITING_SUPPLEMENT
    dossier = actions.supplement_dossier(dossier, actor=clerk, at=at(2026, 12, 4, 16),
                                         uploads=[Upload("ban_ve_tach_thua", "ban-ve.pdf", b"%PDF-1.4")])
    # Back at the land office, and the 8 days count again from the complete dossier. It came in on Friday
    # after 15:00, so the clock starts Monday 07/12 at 07:30 and runs 8 full working days.
    assert (dossier.status, dossier.current_agency) == (Status.PROCESSING, demo_agencies["land_office"])
    assert dossier.due_at == at(2026, 12, 16, 17)
    pause = PauseInterval.objects.get(dossier=dossier)
    assert (pause.kind, pause.started_at, pause.ended_at) == ("supplement", at(2026, 12, 1, 10), at(2026, 12, 4, 16))
    assert dossier.documents.filter(is_supplement=True).count() == 1


def test_supplement_before_receipt_does_not_start_the_clock(demo_catalog, demo_agencies, citizen, other_clerk):
    dossier = submit_dossier(
        procedure=demo_catalog["1.001193"], channel=Channel.ONLINE, applicant=Applicant(name="Nguyễn Văn An"),
        competent_agency=demo_agencies["tran_bien"], actor=citizen, form_data=BIRTH_FORM,
        uploads=[Upload(code, f"{code}.pdf", b"%PDF-1.4") for code in
                 ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")],
        at=at(2026, 11, 30, 8),
    )
    assert (dossier.status, dossier.due_at) == (Status.SUBMITTED, None)
    dossier = actions.request_supplement(dossier, actor=other_clerk, items=["Giấy chứng sinh rõ nét hơn"],
                                         note="Ảnh chụp mờ", at=at(2026, 11, 30, 9))
    dossier = actions.supplement_dossier(dossier, actor=citizen, at=at(2026, 11, 30, 20),
                                         uploads=[Upload("giay_chung_sinh", "gcs.pdf", b"%PDF-1.4")])
    assert (dossier.status, dossier.due_at) == (Status.SUBMITTED, None)
    dossier = actions.receive_dossier(dossier, actor=other_clerk, at=at(2026, 12, 1, 8))
    assert dossier.due_at == at(2026, 12, 1, 17)


def test_fee_pause_across_tet_2027_keeps_the_time_left(demo_catalog, demo_agencies, clerk, specialist,
                                                      tax_specialist):
    dossier = land_dossier(demo_catalog, demo_agencies, clerk, at(2027, 2, 1, 9))
    assert dossier.due_at == at(2027, 2, 18, 9)  # 02, 03, then 11, 12, 15, 16, 17, 18/02 (Tết 04–10/02)
    dossier = actions.forward_dossier(dossier, actor=clerk, at=at(2027, 2, 1, 10))
    dossier = actions.forward_dossier(dossier, actor=specialist, at=at(2027, 2, 1, 11))
    dossier = actions.pause_for_fees(dossier, actor=tax_specialist, at=at(2027, 2, 2, 9))
    # 7 working days were left; paid on Wednesday 03/02 09:00, they run 11, 12, 15, 16, 17, 18, 19/02.
    dossier = actions.record_payment(dossier, actor=None, reference="KB-7", at=at(2027, 2, 3, 9))
    assert dossier.due_at == at(2027, 2, 19, 9)
