"""The back office: the agency's list, counter entry by a clerk, the detail page offering the actions the table
allows to the person looking, each action through the one transition; the citizen's look-up page and rating;
English through the language switch."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from motcua.feedback.models import Feedback, FeedbackKind, Status
from motcua.feedback.tests.factories import at, petition

pytestmark = pytest.mark.django_db


def _page(response: Any) -> str:
    return str(response.content.decode())


def test_list_and_detail_are_the_agency_staffs(client, citizen, specialist, leader, other_clerk, demo_agencies):
    feedback = petition(citizen, demo_agencies["land_office"], when=at(2026, 4, 22, 9))
    client.force_login(specialist)
    listing = client.get(reverse("feedback_office:list"))
    assert listing.status_code == 200 and feedback.code in _page(listing)
    detail = client.get(reverse("feedback_office:detail", args=[feedback.code]))
    assert detail.status_code == 200 and feedback.content in _page(detail)
    # The specialist may not classify (a clerk's or leader's step): no assign form offered.
    assert reverse("feedback_office:action", args=[feedback.code, "assign"]) not in _page(detail)
    client.force_login(other_clerk)
    assert feedback.code not in _page(client.get(reverse("feedback_office:list")))
    assert client.get(reverse("feedback_office:detail", args=[feedback.code])).status_code == 404
    client.force_login(citizen)
    assert client.get(reverse("feedback_office:list")).status_code == 403


def test_leader_and_specialist_take_it_to_the_answer(client, citizen, specialist, leader, demo_agencies):
    feedback = petition(citizen, demo_agencies["land_office"], when=at(2026, 4, 22, 9))
    client.force_login(leader)
    detail = _page(client.get(reverse("feedback_office:detail", args=[feedback.code])))
    assert reverse("feedback_office:action", args=[feedback.code, "assign"]) in detail
    response = client.post(reverse("feedback_office:action", args=[feedback.code, "assign"]),
                           {"version": "1", "classification": "phan_anh", "assignee": str(specialist.pk),
                            "kind": str(feedback.kind_id)})
    assert response.status_code == 302
    stale = client.post(reverse("feedback_office:action", args=[feedback.code, "close"]),
                        {"version": "1", "note": "x"})
    assert stale.status_code == 409 and "vừa được người khác xử lý" in _page(stale)
    client.force_login(specialist)
    empty = client.post(reverse("feedback_office:action", args=[feedback.code, "draft_reply"]),
                        {"version": "2", "reply": "  "})
    assert empty.status_code == 400 and "Vui lòng nhập nội dung trả lời" in _page(empty)
    client.post(reverse("feedback_office:action", args=[feedback.code, "draft_reply"]),
                {"version": "2", "reply": "Đã xử lý xong."})
    forbidden = client.post(reverse("feedback_office:action", args=[feedback.code, "approve_reply"]),
                            {"version": "3"})
    assert forbidden.status_code == 403
    client.force_login(leader)
    client.post(reverse("feedback_office:action", args=[feedback.code, "approve_reply"]), {"version": "3"})
    client.post(reverse("feedback_office:action", args=[feedback.code, "answer"]), {"version": "4"})
    feedback.refresh_from_db()
    assert feedback.status == Status.ANSWERED and feedback.reply == "Đã xử lý xong."

    # The citizen, with the code and the secret: the answer, then the rating form once.
    client.logout()
    page_url = reverse("feedback:lookup_detail", args=[feedback.code])
    page = client.get(page_url, {"s": feedback.lookup_secret})
    assert "Đã xử lý xong." in _page(page) and 'name="rating"' in _page(page)
    assert "Nguyễn Văn An" not in _page(page)  # the name is shown masked (the URL may be shared)
    no_rating = client.post(page_url, {"s": feedback.lookup_secret})
    assert no_rating.status_code == 400 and "từ 1 đến 5" in _page(no_rating)
    rated = client.post(page_url, {"s": feedback.lookup_secret, "rating": "4", "comment": "Nhanh"})
    assert rated.status_code == 302
    feedback.refresh_from_db()
    assert feedback.rating == 4 and feedback.rating_comment == "Nhanh"
    assert client.post(page_url, {"s": "SAI", "rating": "1"}).status_code == 404


def test_counter_entry_by_a_clerk(client, clerk, specialist, demo_agencies):
    kind = FeedbackKind.objects.get(code="thu_tuc")
    form = {"kind": str(kind.pk), "subject": "procedure", "procedure_code": "", "agency":
            str(demo_agencies["land_office"].pk), "title": "Thủ tục rườm rà", "content": "Yêu cầu nhiều bản sao.",
            "name": "Phạm Văn Dũng", "receiving": str(demo_agencies["service_center"].pk),
            "idempotency_key": "c" * 32}
    client.force_login(specialist)
    assert client.get(reverse("feedback_office:intake")).status_code == 404  # clerks only
    client.force_login(clerk)
    missing = client.post(reverse("feedback_office:intake"), form)
    assert missing.status_code == 400 and "Vui lòng nhập mã thủ tục" in _page(missing)
    response = client.post(reverse("feedback_office:intake"), {**form, "subject": "agency"})
    feedback = Feedback.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("feedback_office:detail",
                                                                           args=[feedback.code])
    assert feedback.channel == "counter" and feedback.received_by_agency == demo_agencies["service_center"]
    assert feedback.code.startswith("PA-000.00.01.H19-") and feedback.petitioner is None
    # The receiving clerk still sees it; the competent agency has it on its list.
    assert client.get(response["Location"]).status_code == 200


def test_pages_in_english(client, citizen, demo_agencies):
    client.cookies["django_language"] = "en"
    page = _page(client.get(reverse("feedback:submit")))
    assert "Send a petition or feedback" in page and "What is it about?" in page
    client.cookies["django_language"] = "vi"
    page = _page(client.get(reverse("feedback:submit")))
    assert "Gửi phản ánh, kiến nghị" in page and "Send a petition" not in page
    assert re.search(r'<meta name="viewport" content="width=device-width', page)
