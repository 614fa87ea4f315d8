"""Personal data masked out of published answers: names, personal ID numbers, phone numbers, emails."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.feedback import actions
from motcua.feedback.masking import EMAIL, ID_NUMBER, NAME, PHONE, mask_personal_data
from motcua.feedback.models import Classification
from motcua.feedback.tests.factories import at, petition

TEXT = ("Tôi là Nguyễn Văn Đặcbiệt (CCCD 075 090 009 999, CMND 271234567), số điện thoại 0911 222 333, "
        "+84 987.654.321 hoặc 028-3822-1234, email an.nguyen@example.vn. Ngày 12/12/2026 bà Hoa và "
        "ông Trần Văn Đức ở Văn phòng Đăng ký đất đai tỉnh Đồng Nai hẹn trả hồ sơ 000.00.01.H19-261130-0001. "
        "Chị Mai nói sẽ gọi lại. Lê Thị Hồng Nhung đi cùng tôi.")
SECRETS = ["Nguyễn Văn Đặcbiệt", "Đặcbiệt", "075 090 009 999", "271234567", "0911 222 333", "987.654.321",
           "3822-1234", "an.nguyen@example.vn", "Hoa", "Trần Văn Đức", "Mai", "Hồng Nhung"]


def test_mask_personal_data():
    masked = mask_personal_data(TEXT)
    for secret in SECRETS:
        assert secret not in masked, secret
    for placeholder in (NAME, ID_NUMBER, PHONE, EMAIL):
        assert placeholder in masked
    # What is not personal stays readable: the agency, the province, dates and the dossier code.
    assert "Văn phòng Đăng ký đất đai tỉnh Đồng Nai" in masked and "12/12/2026" in masked
    assert "000.00.01.H19-261130-0001" in masked


def test_known_names_are_masked_anywhere():
    # Written without capitals, a known full name is still found; a capitalised given name after a form of address.
    assert mask_personal_data("cán bộ nguyễn thị  hoa ở quầy", ["Nguyễn Thị Hoa"]) == f"cán bộ {NAME} ở quầy"
    assert mask_personal_data("gặp chị Hoa ở quầy") == f"gặp chị {NAME} ở quầy"
    assert mask_personal_data("số tiền 25.000.000 đồng") == "số tiền 25.000.000 đồng"


@pytest.mark.django_db
def test_the_public_pages_never_show_personal_data(client, citizen, specialist, leader, demo_agencies):
    feedback = petition(citizen, demo_agencies["land_office"], when=at(2026, 4, 22, 9),
                        title="Phản ánh của Nguyễn Văn Đặcbiệt", content=TEXT, name="Nguyễn Văn Đặcbiệt")
    feedback = actions.assign_feedback(feedback, actor=leader, classification=Classification.PHAN_ANH)
    feedback = actions.draft_reply(feedback, actor=specialist, reply=(
        "Kính gửi ông Nguyễn Văn Đặcbiệt (0911222333): chuyên viên Trần Văn Đức đã liên hệ. "
        "Bà Võ Minh Tâm phụ trách."))
    feedback = actions.approve_reply(feedback, actor=leader)
    feedback = actions.answer_feedback(feedback, actor=specialist)
    # The leader sees what publishing will show, masked the same way, before publishing.
    client.force_login(leader)
    detail = client.get(reverse("feedback_office:detail", args=[feedback.code])).content.decode()
    preview = detail.split('id="publish-preview"')[1].split("</div>")[0]
    assert NAME in preview and PHONE in preview
    for secret in [*SECRETS, "0911222333", "Võ Minh Tâm"]:
        assert secret not in preview, secret
    client.logout()
    feedback = actions.publish_feedback(feedback, actor=leader)
    page = client.get(reverse("feedback:published")).content.decode()
    assert feedback.code in page and "Văn phòng Đăng ký đất đai" in page
    for secret in [*SECRETS, "0911222333", "Võ Minh Tâm", feedback.lookup_secret]:
        assert secret not in page, secret
    assert NAME in page and PHONE in page
