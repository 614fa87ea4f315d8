"""The action buttons on the dossier page: only what is legal now and the officer may take, each posting the
version it saw; a stale version and a refused move are reported, nothing changes."""

import re

from django.urls import reverse

from motcua.backoffice.tests.helpers import local, online_birth, signed_in
from motcua.dossiers import actions
from motcua.dossiers.models import Notice, Status


def action_url(dossier, action):
    return reverse("backoffice:dossier_action", args=[dossier.code, action])


def shown_actions(client, dossier):
    page = client.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()
    return re.findall(r'id="action-([a-z_]+)"', page)


def test_the_counter_sees_the_moves_of_its_step(as_clerk, as_specialist, received):
    assert shown_actions(as_clerk, received) == [
        "forward", "request_supplement", "assign", "extend", "refuse", "withdraw"]
    # The land office sees the dossier (it is competent) but has nothing to do at the counter's step.
    assert shown_actions(as_specialist, received) == []


def test_forward_to_a_named_officer(as_clerk, received, specialist, demo_agencies):
    page = as_clerk.get(reverse("backoffice:dossier", args=[received.code])).content.decode()
    assert f'name="forward-expected_version" value="{received.version}"' in page
    assert specialist.full_name in page  # offered as the next step's officer
    response = as_clerk.post(action_url(received, "forward"), {
        "forward-expected_version": received.version, "forward-note": "Đủ hồ sơ", "forward-assignee": specialist.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:dossier", args=[received.code])
    received.refresh_from_db()
    assert (received.status, received.current_agency, received.assignee) == (
        Status.PROCESSING, demo_agencies["land_office"], specialist)
    assert received.events.order_by("-seq").first().note == "Đủ hồ sơ"
    assert "Đã thực hiện" in as_clerk.get(response["Location"]).content.decode()


def test_a_stale_version_is_reported_and_nothing_changes(as_clerk, received, clerk):
    seen = received.version
    actions.assign_dossier(received, actor=clerk, assignee=clerk)  # someone acts in between
    response = as_clerk.post(action_url(received, "forward"), {"forward-expected_version": seen,
                                                               "forward-note": "Chuyển thẩm tra"})
    assert response.status_code == 409
    page = response.content.decode()
    assert 'class="error-summary"' in page and "vừa được người khác xử lý" in page
    # The form is shown again as typed, now with the version just shown.
    assert "Chuyển thẩm tra" in page and f'value="{seen + 1}"' in page
    received.refresh_from_db()
    assert received.status == Status.RECEIVED and received.version == seen + 1


def test_a_required_reason_is_asked_for(as_clerk, received):
    response = as_clerk.post(action_url(received, "refuse"), {"refuse-expected_version": received.version,
                                                              "refuse-note": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_refuse-note"' in page and 'id="action-refuse" open' in page
    received.refresh_from_db()
    assert received.status == Status.RECEIVED


def test_a_move_the_officer_may_not_take_is_refused(as_clerk, as_specialist, received):
    # Not legal now (there is no result yet) ...
    response = as_clerk.post(action_url(received, "return_result"),
                             {"return_result-expected_version": received.version})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Bạn không thể thực hiện thao tác này" in page and "You may not take this action" not in page
    # ... or legal, but not theirs: the land office may see the dossier, not move it from the counter's step.
    response = as_specialist.post(action_url(received, "forward"), {"forward-expected_version": received.version})
    assert response.status_code == 403
    received.refresh_from_db()
    assert received.status == Status.RECEIVED and received.version == 1


def test_request_a_supplement_then_receive_it_at_the_counter(as_clerk, received):
    response = as_clerk.post(action_url(received, "request_supplement"), {
        "request_supplement-expected_version": received.version,
        "request_supplement-items": "Bản sao hợp đồng công chứng\n\nTờ khai thuế TNCN",
        "request_supplement-note": "Hợp đồng chưa công chứng"})
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.status == Status.AWAITING_SUPPLEMENT
    notice = received.notices.get(kind=Notice.Kind.SUPPLEMENT)
    assert notice.items == ["Bản sao hợp đồng công chứng", "Tờ khai thuế TNCN"]
    assert "supplement" in shown_actions(as_clerk, received)

    from django.core.files.uploadedfile import SimpleUploadedFile

    response = as_clerk.post(action_url(received, "supplement"), {
        "supplement-expected_version": received.version, "supplement-note": "Đã nộp bổ sung",
        "supplement-scans": [SimpleUploadedFile("hd.pdf", b"%PDF hd"), SimpleUploadedFile("tk.pdf", b"%PDF tk")]})
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.status == Status.RECEIVED
    assert received.documents.filter(is_supplement=True).count() == 2


def test_receive_an_online_dossier(as_other_clerk, citizen, demo_catalog, demo_agencies):
    dossier = online_birth(demo_catalog, demo_agencies["tran_bien"], citizen, local(2026, 12, 1, 9))
    assert shown_actions(as_other_clerk, dossier) == ["receive", "request_supplement", "assign", "refuse",
                                                      "withdraw", "cancel"]
    response = as_other_clerk.post(action_url(dossier, "receive"), {"receive-expected_version": dossier.version})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED and dossier.due_at is not None
    assert dossier.notices.filter(kind=Notice.Kind.RECEIPT).exists()


def test_fees_paid_in_cash_at_the_counter(as_clerk, received, clerk, specialist, tax_specialist):
    dossier = actions.forward_dossier(received, actor=clerk)
    dossier = actions.forward_dossier(dossier, actor=specialist)
    as_tax = signed_in(tax_specialist)
    response = as_tax.post(action_url(dossier, "pause_for_fees"), {
        "pause_for_fees-expected_version": dossier.version, "pause_for_fees-note": "Thông báo nộp thuế",
        "pause_for_fees-amount": "25000000"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.PAUSED_FOR_FEES
    assert "record_payment" not in shown_actions(as_tax, dossier)
    assert "record_payment" in shown_actions(as_clerk, dossier)
    response = as_clerk.post(action_url(dossier, "record_payment"), {
        "record_payment-expected_version": dossier.version, "record_payment-reference": "BL-0001234"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_OTHER_AGENCY
    assert dossier.events.order_by("-seq").first().data["reference"] == "BL-0001234"


def test_an_apology_sets_a_new_date(as_clerk, received):
    response = as_clerk.post(action_url(received, "extend"), {
        "extend-expected_version": received.version, "extend-note": "Phải xác minh thêm ranh giới",
        "extend-new_date": "2026-12-31", "extend-new_time": "16:00"})
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.extended_due_at == local(2026, 12, 31, 16)
    assert received.notices.filter(kind=Notice.Kind.APOLOGY).exists()
    # A new date before the current one is refused by the workflow, in the user's language.
    response = as_clerk.post(action_url(received, "extend"), {
        "extend-expected_version": received.version, "extend-note": "Nhầm ngày",
        "extend-new_date": "2026-12-03", "extend-new_time": "16:00"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ngày hẹn mới phải sau ngày hẹn hiện tại." in page
    assert "The new date must be after the current appointment." not in page  # one language: the user's


def test_withdraw_at_the_applicants_written_request(as_clerk, received):
    response = as_clerk.post(action_url(received, "withdraw"), {
        "withdraw-expected_version": received.version, "withdraw-note": "Đơn xin rút hồ sơ ngày 02/12/2026"})
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.status == Status.WITHDRAWN
    assert shown_actions(as_clerk, received) == []


def test_an_unknown_action_is_not_found(as_clerk, received):
    assert as_clerk.post(action_url(received, "teleport"), {}).status_code == 404
    assert as_clerk.get(action_url(received, "forward")).status_code == 405
