"""Counter intake: "Tra cứu CSDL đăng ký doanh nghiệp" fills the organisation applicant's name and address and shows
its status and legal representatives; nothing typed is lost when the register is down or the code is wrong; the
answer is kept on the dossier received as evidence; every look-up is a logged staff read."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from motcua.backoffice.tests.helpers import land_intake_post, signed_in
from motcua.dossiers.models import Dossier
from motcua.integrations.models import BusinessRegisterAnswer
from motcua.integrations.tests.business_register_helpers import business_register  # noqa: F401
from motcua.privacy.models import DataAccess

pytestmark = pytest.mark.usefixtures("forget_committed_call_records")
URL = reverse("backoffice:intake", args=["1.013831"])


@pytest.fixture
def as_clerk(clerk, demo_catalog):
    return signed_in(clerk)


def value(page, name):
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    return found.group(1) if found else None


def test_the_look_up_fills_the_organisation_and_the_dossier_keeps_the_answer(business_register, as_clerk,  # noqa: F811
                                                                             demo_agencies, clerk):
    post = land_intake_post(demo_agencies, name="", id_number="3602345670", phone="0909000111",
                            lookup="business_register")
    response = as_clerk.post(URL, post)
    page = response.content.decode()
    assert response.status_code == 200 and not Dossier.objects.exists()  # a look-up receives nothing
    assert 'id="name" name="name" value="CÔNG TY CỔ PHẦN XÂY DỰNG BÌNH MINH ĐỒNG NAI"' in page
    assert "Số 45 đường Võ Thị Sáu, Phường Trấn Biên, Tỉnh Đồng Nai" in page
    assert "Trần Thị Bình (Chủ tịch Hội đồng quản trị)" in page and "Lê Hoàng Nam (Tổng giám đốc)" in page
    assert "Đang hoạt động" in page and value(page, "phone") == "0909000111"  # what was typed stays
    assert value(page, "ben_chuyen_nhuong__ho_ten") == post["ben_chuyen_nhuong__ho_ten"]  # the e-form too
    answer = BusinessRegisterAnswer.objects.get()
    assert value(page, "business_answer") == str(answer.pk) and answer.asked_by == clerk
    assert set(DataAccess.objects.values_list("subject_national_id", flat=True)) == {"075195004321", "079085012345"}

    submit = {**post, "name": "CÔNG TY CỔ PHẦN XÂY DỰNG BÌNH MINH ĐỒNG NAI", "business_answer": str(answer.pk)}
    del submit["lookup"]
    received = as_clerk.post(URL, submit)
    assert received.status_code == 302
    dossier = Dossier.objects.get()
    answer.refresh_from_db()
    assert answer.dossier == dossier and dossier.applicant_id_number == "3602345670"
    detail = as_clerk.get(received["Location"]).content.decode()
    assert "CSDL quốc gia về đăng ký doanh nghiệp" in detail and answer.response_sha256 in detail


def test_the_evidence_is_not_attached_to_another_code_or_by_another_clerk(business_register, as_clerk,  # noqa: F811
                                                                         demo_agencies):
    as_clerk.post(URL, land_intake_post(demo_agencies, id_number="3602345670", lookup="business_register"))
    answer = BusinessRegisterAnswer.objects.get()
    assert as_clerk.post(URL, land_intake_post(demo_agencies, id_number="3601234569",
                                               business_answer=str(answer.pk))).status_code == 302
    answer.refresh_from_db()
    assert answer.dossier is None


@pytest.mark.parametrize(("post", "fault", "message"), [
    ({"id_number": "3602345671"}, {}, "Mã số thuế không hợp lệ"),
    ({"id_number": "0100109106"}, {}, "không có doanh nghiệp nào mang mã số 0100109106"),
    ({"id_number": "3602345670"}, {"down": True}, "Chưa tra cứu được CSDL quốc gia về đăng ký doanh nghiệp"),
    ({"id_number": "3602345670"}, {"fail_next": 9}, "Chưa tra cứu được CSDL quốc gia về đăng ký doanh nghiệp"),
])
def test_a_failed_look_up_says_why_and_keeps_what_was_typed(business_register, as_clerk, demo_agencies,  # noqa: F811
                                                           post, fault, message):
    business_register.state.faults.update(fault)
    response = as_clerk.post(URL, land_intake_post(demo_agencies, name="Công ty gõ tay", address="Số 1",
                                                   lookup="business_register", **post))
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert value(page, "name") == "Công ty gõ tay" and value(page, "address") == "Số 1"
    assert value(page, "id_number") == post["id_number"] and value(page, "business_answer") is None
    assert not Dossier.objects.exists()


def test_a_dissolved_enterprise_is_flagged(business_register, as_clerk, demo_agencies):  # noqa: F811
    page = as_clerk.post(URL, land_intake_post(demo_agencies, id_number="3604567894",
                                               lookup="business_register")).content.decode()
    assert "Đã giải thể" in page and "không còn tồn tại" in page


@override_settings(MOTCUA_INTEGRATION_SYSTEMS={})
def test_no_button_without_a_connection(as_clerk):
    assert 'value="business_register"' not in as_clerk.get(URL).content.decode()


def test_the_button_is_there_when_connected(business_register, as_clerk):  # noqa: F811
    page = as_clerk.get(URL).content.decode()
    assert 'name="lookup" value="business_register"' in page and "Tra cứu CSDL đăng ký doanh nghiệp" in page
