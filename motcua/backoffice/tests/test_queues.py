"""Work queues: each (agency, role) the officer holds, the most urgent first, with clear badges."""

import re

from django.urls import reverse

from motcua.backoffice import selectors
from motcua.backoffice.tests.helpers import local, online_birth
from motcua.dossiers import actions
from motcua.dossiers.actions import Applicant
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.helpers import land_dossier


def received_with_step_due(catalog, agencies, clerk, name, step_due):
    dossier = land_dossier(catalog, agencies, clerk, local(2026, 12, 2, 8),
                           applicant=Applicant(name=name, phone="0987654321"))
    Dossier.objects.filter(pk=dossier.pk).update(step_due_at=step_due)
    return dossier


def test_overdue_first_then_due_today_then_due_soon(frozen_now, as_clerk, clerk, specialist, demo_catalog,
                                                    demo_agencies):
    a = demo_agencies
    later = received_with_step_due(demo_catalog, a, clerk, "Người D (không gấp)", local(2026, 12, 11, 9))
    soon = received_with_step_due(demo_catalog, a, clerk, "Người C (sắp đến hạn)", local(2026, 12, 4, 9))
    overdue = received_with_step_due(demo_catalog, a, clerk, "Người A (quá hạn)", local(2026, 12, 1, 16))
    today = received_with_step_due(demo_catalog, a, clerk, "Người B (hôm nay)", local(2026, 12, 2, 16))
    paused = received_with_step_due(demo_catalog, a, clerk, "Người E (chờ bổ sung)", local(2026, 11, 30, 9))
    actions.request_supplement(paused, actor=clerk, items=["Bản sao hợp đồng"], note="Thiếu hợp đồng")
    # A dossier already at the land office is not in the counter's queue.
    actions.forward_dossier(land_dossier(demo_catalog, a, clerk, local(2026, 12, 2, 8)), actor=clerk)

    queue = selectors.find_queue(clerk, a["service_center"].pk, "clerk")
    assert queue is not None
    ordered = list(selectors.queue_dossiers(queue, clerk))
    assert [d.pk for d in ordered] == [overdue.pk, today.pk, soon.pk, later.pk, paused.pk]

    response = as_clerk.get(reverse("backoffice:queue", args=[a["service_center"].pk, "clerk"]))
    assert response.status_code == 200
    page = response.content.decode()
    positions = [page.index(d.code) for d in (overdue, today, soon, later, paused)]
    assert positions == sorted(positions)
    items = re.findall(r'<li class="dossier-item[^"]*">(.*?)</li>', page, re.S)
    assert "Quá hạn" in items[0] and "Đến hạn hôm nay" in items[1] and "Sắp đến hạn" in items[2]
    assert not re.search("Quá hạn|Đến hạn hôm nay|Sắp đến hạn", items[3])
    assert "Tạm dừng tính thời gian" in items[4]

    home = as_clerk.get(reverse("backoffice:home")).content.decode()
    assert "5 hồ sơ" in home and "1 quá hạn" in home and "1 đến hạn hôm nay" in home


def test_the_appointment_counts_when_it_comes_before_the_step(frozen_now, clerk, demo_catalog, demo_agencies):
    a = demo_agencies
    relaxed = received_with_step_due(demo_catalog, a, clerk, "Bước còn hạn", local(2026, 12, 20, 9))
    late = received_with_step_due(demo_catalog, a, clerk, "Hẹn trả đã qua", local(2026, 12, 20, 9))
    Dossier.objects.filter(pk=late.pk).update(due_at=local(2026, 12, 1, 9))
    queue = selectors.find_queue(clerk, a["service_center"].pk, "clerk")
    assert queue is not None
    assert [d.pk for d in selectors.queue_dossiers(queue, clerk)] == [late.pk, relaxed.pk]


def test_a_queue_holds_what_is_assigned_to_me_or_to_nobody(frozen_now, as_specialist, clerk, specialist,
                                                           demo_catalog, demo_agencies):
    from django.contrib.auth import get_user_model

    from motcua.directory.actions import assign_role
    from motcua.directory.models import Role

    a = demo_agencies
    colleague = get_user_model().objects.create(username="chuyenvien2", full_name="Lê Văn Hai")
    assign_role(actor=get_user_model().objects.get(username="quantri.tinh"), user=colleague,
                agency=a["land_office"], role=Role.SPECIALIST)
    mine = actions.forward_dossier(land_dossier(demo_catalog, a, clerk, local(2026, 12, 2, 8)), actor=clerk,
                                   assignee=specialist)
    nobodys = actions.forward_dossier(land_dossier(demo_catalog, a, clerk, local(2026, 12, 2, 8)), actor=clerk)
    theirs = actions.forward_dossier(land_dossier(demo_catalog, a, clerk, local(2026, 12, 2, 8)), actor=clerk,
                                     assignee=colleague)
    page = as_specialist.get(reverse("backoffice:queue", args=[a["land_office"].pk, "specialist"])).content.decode()
    assert mine.code in page and nobodys.code in page and theirs.code not in page


def test_a_queue_the_officer_does_not_hold_is_not_found(as_specialist, demo_agencies):
    url = reverse("backoffice:queue", args=[demo_agencies["service_center"].pk, "clerk"])
    assert as_specialist.get(url).status_code == 404


def test_online_dossiers_await_receipt_at_their_own_counter(frozen_now, as_clerk, as_other_clerk, citizen,
                                                            demo_catalog, demo_agencies):
    first = online_birth(demo_catalog, demo_agencies["tran_bien"], citizen, local(2026, 12, 1, 9))
    second = online_birth(demo_catalog, demo_agencies["tran_bien"], citizen, local(2026, 12, 2, 8))
    url = reverse("backoffice:awaiting_receipt")
    page = as_other_clerk.get(url).content.decode()  # the clerk of Phường Trấn Biên
    assert first.code in page and second.code in page
    assert page.index(first.code) < page.index(second.code)  # the longest waiting first
    assert first.code not in as_clerk.get(url).content.decode()  # the provincial centre's clerk
    # Not in the working queue until received.
    queue = as_other_clerk.get(reverse("backoffice:queue", args=[demo_agencies["tran_bien"].pk, "clerk"]))
    assert first.code not in queue.content.decode()


def test_awaiting_receipt_is_for_clerks(as_specialist):
    assert as_specialist.get(reverse("backoffice:awaiting_receipt")).status_code == 403
