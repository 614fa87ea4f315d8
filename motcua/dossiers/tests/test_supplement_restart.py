"""A supplement that completes the dossier restarts the statutory clock without rewriting the receipt: the
original receipt time stays (look-up, back office), each restart is recorded on its event, a new
receipt-and-appointment slip with the new date is issued and offered where the first one is (back office and the
citizen's page), and the control sheet shows the pending supplement at once and both appointments."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers import actions, forms_pdf
from motcua.dossiers.actions import Applicant, Upload, submit_dossier
from motcua.dossiers.forms_pdf import control_rows, render_control_sheet_pdf, render_notice_pdf
from motcua.dossiers.models import Channel, Notice, Status
from motcua.dossiers.selectors import lookup_path
from motcua.dossiers.tests.helpers import at, land_dossier
from motcua.dossiers.tests.test_deadlines import BIRTH_FORM
from motcua.dossiers.tests.test_forms_pdf import read_pdf


@pytest.fixture
def dossier(demo_catalog, demo_agencies, clerk):
    # Received Monday 30/11/2026 09:05 at the counter; 8 working days → 10/12/2026 09:05.
    return land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 30, 9, 5))


@pytest.fixture
def awaiting(dossier, clerk, specialist):
    dossier = actions.forward_dossier(dossier, actor=clerk, at=at(2026, 11, 30, 10))
    return actions.request_supplement(dossier, actor=specialist, at=at(2026, 12, 1, 9),
                                      items=["Văn bản ủy quyền"], note="Thiếu văn bản ủy quyền")


@pytest.fixture
def supplemented(awaiting, clerk):
    # The complete dossier on Wednesday 02/12/2026 09:00: 8 working days again → 14/12/2026 09:00.
    return actions.supplement_dossier(awaiting, actor=clerk, at=at(2026, 12, 2, 9))


def test_the_receipt_time_stays_and_the_restart_is_recorded(supplemented):
    assert supplemented.received_at == at(2026, 11, 30, 9, 5)
    assert supplemented.due_at == at(2026, 12, 14, 9)
    event = supplemented.events.get(action="supplement")
    assert dt.datetime.fromisoformat(event.data["clock_restarted_at"]) == at(2026, 12, 2, 9)
    assert dt.datetime.fromisoformat(event.data["previous_due_at"]) == at(2026, 12, 10, 9, 5)
    assert dt.datetime.fromisoformat(event.data["due_at"]) == at(2026, 12, 14, 9)


def test_each_restart_is_recorded_separately(supplemented, clerk, specialist):
    dossier = actions.request_supplement(supplemented, actor=specialist, at=at(2026, 12, 3, 9),
                                         items=["Bản vẽ tách thửa"], note="Thiếu bản vẽ")
    dossier = actions.supplement_dossier(dossier, actor=clerk, at=at(2026, 12, 4, 9))
    restarts = [(e.data["clock_restarted_at"], e.data["previous_due_at"], e.data["due_at"])
                for e in dossier.events.filter(action="supplement").order_by("seq")]
    assert [dt.datetime.fromisoformat(x) for x, _, _ in restarts] == [at(2026, 12, 2, 9), at(2026, 12, 4, 9)]
    assert restarts[1][1] == restarts[0][2]  # the second replaced the first's new appointment
    assert dossier.received_at == at(2026, 11, 30, 9, 5) and dossier.due_at == at(2026, 12, 16, 9)
    assert dossier.notices.filter(kind=Notice.Kind.RECEIPT).count() == 3


def test_the_look_up_shows_the_original_receipt(client, supplemented):
    text = client.get(lookup_path(supplemented)).content.decode()
    assert "09:05 30/11/2026" in text  # received
    assert "09:00 14/12/2026" in text  # the new appointment
    assert "09:00 02/12/2026" in text  # the supplement, on the timeline only
    # (the timeline also shows each step's deadline: the step restarted on 02/12 is due the same day)
    assert re.sub(r'<span class="step-due">[^<]*</span>', "", text).count("02/12/2026") == 1


def test_a_new_receipt_slip_with_the_new_appointment(supplemented):
    first, new = supplemented.notices.filter(kind=Notice.Kind.RECEIPT).order_by("issued_at")
    assert (first.new_due_at, new.new_due_at) == (at(2026, 12, 10, 9, 5), at(2026, 12, 14, 9))
    assert new.issued_by is not None and new.issued_by.username == "tiepnhan.ttpvhcc"
    text, _codes, _pages = read_pdf(render_notice_pdf(new))
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "tiếp nhận lần đầu lúc 09 giờ 05 phút, ngày 30 tháng 11 năm 2026" in text
    assert "Thời gian nhận hồ sơ đầy đủ: 09 giờ 00 phút, ngày 02 tháng 12 năm 2026" in text
    assert "Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 14 tháng 12 năm 2026" in text
    # The first slip still reads as issued.
    text, _codes, _pages = read_pdf(render_notice_pdf(first))
    assert "Thời gian nhận hồ sơ: 09 giờ 05 phút, ngày 30 tháng 11 năm 2026" in text
    assert "Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 05 phút, ngày 10 tháng 12 năm 2026" in text
    assert "tiếp nhận lần đầu" not in text


def test_the_new_slip_is_in_the_back_office(client, clerk, supplemented):
    first, new = supplemented.notices.filter(kind=Notice.Kind.RECEIPT).order_by("issued_at")
    client.force_login(clerk)
    url = reverse("backoffice:notice_pdf", args=[supplemented.code, new.pk])
    page = client.get(reverse("backoffice:dossier", args=[supplemented.code])).content.decode()
    assert url in page and reverse("backoffice:notice_pdf", args=[supplemented.code, first.pk]) in page
    assert "09:05 30/11/2026" in page  # received at
    response = client.get(url)
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"


def test_the_citizen_gets_the_new_slip_after_an_online_supplement(client, demo_catalog, demo_agencies, citizen,
                                                                  other_clerk):
    dossier = submit_dossier(
        procedure=demo_catalog["1.001193"], channel=Channel.ONLINE, applicant=Applicant(name="Nguyễn Văn An"),
        competent_agency=demo_agencies["tran_bien"], actor=citizen, form_data=BIRTH_FORM, at=at(2026, 11, 30, 8),
        uploads=[Upload(c, f"{c}.pdf", b"%PDF-1.4") for c in ("to_khai_khai_sinh", "giay_chung_sinh",
                                                               "giay_to_tuy_than")],
    )
    dossier = actions.receive_dossier(dossier, actor=other_clerk, at=at(2026, 11, 30, 9))
    actions.request_supplement(dossier, actor=other_clerk, items=["Giấy chứng sinh bản rõ nét"], note="Ảnh mờ",
                               at=at(2026, 11, 30, 10))
    client.force_login(citizen)
    client.post(reverse("portal:supplement", args=[dossier.code]), {
        "doc__giay_chung_sinh": SimpleUploadedFile("gcs.pdf", b"%PDF-1.4 ro net", "application/pdf")})
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED and dossier.received_at == at(2026, 11, 30, 9)
    first, new = dossier.notices.filter(kind=Notice.Kind.RECEIPT).order_by("issued_at")
    assert new.issued_by is None  # sent online by the applicant: no officer signs it
    assert new.new_due_at == dossier.due_at and new.new_due_at != first.new_due_at
    page = client.get(reverse("portal:my_dossier", args=[dossier.code])).content.decode()
    url = reverse("portal:notice_pdf", args=[dossier.code, new.pk])
    assert url in page and reverse("portal:notice_pdf", args=[dossier.code, first.pk]) in page
    response = client.get(url)
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"


def test_the_control_sheet_shows_the_pending_supplement_at_once(awaiting):
    rows = control_rows(awaiting)
    assert len(rows) == 2  # the hand-over to the land office, then the step now waiting for the applicant
    pending = rows[-1]
    assert pending.giver_agency == "Văn phòng Đăng ký đất đai tỉnh Đồng Nai"
    assert pending.receiver == "Tổ chức, cá nhân: Trần Thị Bình"
    assert "Yêu cầu bổ sung hồ sơ lúc 09 giờ 00 phút, ngày 01/12/2026" in pending.note
    assert "Đang chờ tổ chức, cá nhân bổ sung" in pending.note
    text, _codes, _pages = read_pdf(render_control_sheet_pdf(awaiting, at=at(2026, 12, 1, 10)))
    assert "Yêu cầu bổ sung hồ sơ lúc 09 giờ 00 phút, ngày 01/12/2026" in text


def test_the_control_sheet_shows_the_original_and_the_new_appointment(supplemented):
    assert forms_pdf.appointments(supplemented) == [
        ("Thời gian hẹn trả kết quả", "09 giờ 05 phút, ngày 10/12/2026"),
        ("Thời gian hẹn trả kết quả mới (nhận đủ hồ sơ bổ sung lúc 09 giờ 00 phút, ngày 02/12/2026)",
         "09 giờ 00 phút, ngày 14/12/2026"),
    ]
    text, _codes, _pages = read_pdf(render_control_sheet_pdf(supplemented, at=at(2026, 12, 2, 10)))
    assert "Thời gian nhận hồ sơ: 09 giờ 05 phút, ngày 30/11/2026" in text
    assert "Thời gian hẹn trả kết quả: 09 giờ 05 phút, ngày 10/12/2026" in text
    assert "Thời gian hẹn trả kết quả mới (nhận đủ hồ sơ bổ sung lúc 09 giờ 00 phút, ngày 02/12/2026): " \
        "09 giờ 00 phút, ngày 14/12/2026" in text
    assert "Nhận hồ sơ bổ sung lúc 09 giờ 00 phút, ngày 02/12/2026" in control_rows(supplemented)[-1].note
