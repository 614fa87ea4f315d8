"""Report figures equal direct counts over the dossiers; rebuilding from events equals the incremental rollups."""

import datetime as dt

from django.db.models import Count

from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.dossiers.tests.helpers import at, land_dossier
from motcua.reports.models import MonthlyRollup
from motcua.reports.rollups import rebuild
from motcua.reports.selectors import figures_by_agency, total


def snapshot():
    return sorted(MonthlyRollup.objects.filter(value__gt=0).values_list(
        "month", "agency_id", "procedure_id", "channel", "metric", "value"))


def walk(dossier, people, when):
    clerk, specialist, tax, treasury, leader = people
    for actor in (clerk, specialist, tax, treasury, specialist):
        dossier = actions.forward_dossier(dossier, actor=actor, at=when)
    dossier = actions.approve_dossier(dossier, actor=leader, at=when)
    return dossier


def test_figures_match_direct_counts_and_rebuild(demo_catalog, demo_agencies, clerk, specialist, leader,
                                                 tax_specialist, treasury_specialist):
    people = (clerk, specialist, tax_specialist, treasury_specialist, leader)
    # November: five dossiers; one returned early, one returned late (with an apology), one refused,
    # one withdrawn, one still open. December: one more received and returned on time.
    made = [land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, day)) for day in (2, 3, 4, 5, 6)]
    early = walk(made[0], people, at(2026, 11, 4))
    actions.return_result(early, actor=clerk, at=at(2026, 11, 5))
    late = walk(made[1], people, at(2026, 11, 20))
    actions.extend_dossier(late, actor=leader, reason="Chậm", new_due_at=at(2026, 11, 25), at=at(2026, 11, 20, 10))
    actions.return_result(late, actor=clerk, at=at(2026, 11, 23))
    actions.refuse_dossier(made[2], actor=clerk, reason="Không đủ điều kiện", at=at(2026, 11, 5, 10))
    actions.withdraw_dossier(made[3], actor=clerk, reason="Công dân rút", at=at(2026, 11, 9))
    december = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 12, 1))
    on_time = walk(december, people, at(2026, 12, 11, 8))
    actions.return_result(on_time, actor=clerk, at=at(2026, 12, 11, 8, 30))

    land = demo_agencies["land_office"]
    november = figures_by_agency(dt.date(2026, 11, 1), dt.date(2026, 11, 30), [land])[land.pk]
    assert november.received_total == Dossier.objects.filter(
        received_at__gte=at(2026, 11, 1, 0), received_at__lt=at(2026, 12, 1, 0)).count() == 5
    assert november.resolved == 2 and november.on_time_rate == 50
    assert november.counts["refused"] == 1 and november.counts["withdrawn"] == 1
    assert november.in_progress == Dossier.objects.filter(
        received_at__lt=at(2026, 12, 1, 0)).exclude(finished_at__lt=at(2026, 12, 1, 0)).count() == 1
    assert november.online_rate == 0 and november.digitisation_rate == 0

    both = total(figures_by_agency(dt.date(2026, 11, 1), dt.date(2026, 12, 31), [land]))
    outcomes = dict(Dossier.objects.filter(status=Status.RETURNED).values_list("outcome").annotate(n=Count("pk")))
    assert (both.counts["resolved_early"], both.counts["resolved_on_time"], both.counts["resolved_late"]) == (
        outcomes["early"], outcomes["on_time"], outcomes["late"])
    assert str(both.on_time_rate) == "66.7"

    incremental = snapshot()
    assert incremental
    rebuild()
    assert snapshot() == incremental
    assert DossierEvent.objects.count() > 0


def test_report_page_drill_down_and_excel(client, demo_catalog, demo_agencies, clerk, leader, province_admin):
    from io import BytesIO

    from django.urls import reverse
    from openpyxl import load_workbook

    for day in (2, 3):
        land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, day))
    client.force_login(leader)
    query = {"tu": "2026-11", "den": "2026-11"}
    page = client.get(reverse("reports:report"), query)
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [(agency.eid_code, figures.received_total) for agency, figures in rows] == [("000.01.16.H19", 2)]
    drill = client.get(reverse("reports:drill_down"), {**query, "so_lieu": "received",
                                                       "co_quan": demo_agencies["land_office"].pk})
    assert len(drill.context["dossiers"]) == 2
    book = load_workbook(BytesIO(client.get(reverse("reports:export_xlsx"), query).content))
    sheet = book.active
    assert sheet["A3"].value == "Văn phòng Đăng ký đất đai tỉnh Đồng Nai" and sheet["B3"].value == 2
    client.force_login(clerk)
    assert client.get(reverse("reports:report"), query).status_code == 403


def test_decision_766_scorecard_from_the_figures(client, demo_catalog, demo_agencies, clerk, specialist, leader,
                                                 tax_specialist, treasury_specialist, province_admin):
    from decimal import Decimal

    from django.urls import reverse

    from motcua.reports.models import Scorecard
    from motcua.reports.scorecard import compute, current_scorecard

    people = (clerk, specialist, tax_specialist, treasury_specialist, leader)
    returned = walk(land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 2)), people, at(2026, 11, 3))
    actions.return_result(returned, actor=clerk, at=at(2026, 11, 4))
    land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, 5))
    card = current_scorecard(dt.date(2026, 11, 1))
    assert card is not None and Scorecard.objects.count() == 1
    assert sum(Decimal(str(i["points"])) for i in card.indicators) == 100
    lines = {line.code: line for line in compute(card, dt.date(2026, 11, 1), dt.date(2026, 11, 1),
                                                  list(demo_agencies.values()))}
    assert (lines["2a"].rate, lines["2a"].points) == (Decimal(100), Decimal("20.00"))
    assert lines["4b"].rate == 0 and lines["3c"].rate == 0
    # Birth, death and household-business registration: 3 of the 9 demo procedures are fully online.
    assert lines["4a"].rate == Decimal("33.3")
    assert lines["1d"].rate == 0 and lines["1d"].points == 0  # 2 received, none sent to the portal (sync off)
    assert lines["3b"].rate == 0  # returned at the counter, on paper
    client.force_login(province_admin)
    page = client.get(reverse("reports:scorecard"), {"tu": "2026-11", "den": "2026-11"}).content.decode()
    assert "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn" in page


def test_overdue_now_counts_open_running_dossiers_past_their_date(client, demo_catalog, demo_agencies, clerk,
                                                                  leader, specialist):
    from django.urls import reverse
    from django.utils import timezone

    from motcua.reports.selectors import overdue_dossiers

    # January dossiers are long past their due date today; one is waiting for a supplement (clock stopped), one
    # was refused, one has a new appointment still ahead, two are simply overdue.
    made = [land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 1, day)) for day in (5, 6, 7, 8, 9)]
    actions.request_supplement(made[0], actor=clerk, items=["Sổ đỏ bản gốc"], note="Thiếu", at=at(2026, 1, 6))
    actions.refuse_dossier(made[1], actor=clerk, reason="Không đủ điều kiện", at=at(2026, 1, 7, 10))
    moved = actions.forward_dossier(made[2], actor=clerk, at=at(2026, 1, 8))
    actions.extend_dossier(moved, actor=leader, reason="Chờ xác minh", at=at(2026, 1, 30),
                           new_due_at=timezone.now() + dt.timedelta(days=3))
    land = demo_agencies["land_office"]
    direct = [d.code for d in Dossier.objects.all()
              if d.finished_at is None and d.paused_at is None and d.effective_due_at < timezone.now()]
    assert sorted(direct) == sorted(d.code for d in made[3:])
    figures = figures_by_agency(dt.date(2026, 1, 1), dt.date(2026, 1, 1), [land])[land.pk]
    assert figures.overdue_now == 2 == overdue_dossiers().count()

    client.force_login(leader)
    page = client.get(reverse("reports:report"), {"tu": "2026-01", "den": "2026-01"})
    assert page.context["summary"].overdue_now == 2
    drill = client.get(reverse("reports:drill_down"), {"so_lieu": "overdue_now", "co_quan": land.pk})
    assert sorted(d.code for d in drill.context["dossiers"]) == sorted(direct)


def test_a_result_returned_online_counts_for_indicator_3b(demo_catalog, demo_agencies, clerk, specialist, leader,
                                                          tax_specialist, treasury_specialist):
    from decimal import Decimal

    from motcua.reports.scorecard import compute, current_scorecard

    people = (clerk, specialist, tax_specialist, treasury_specialist, leader)
    for day, online in ((2, True), (3, False)):
        dossier = walk(land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, day)), people, at(2026, 11, 4))
        if online:  # what the signing app records when the signed e-result reaches the citizen's data store
            Dossier.objects.filter(pk=dossier.pk).update(return_method="online")
            dossier.refresh_from_db()
        actions.return_result(dossier, actor=clerk, at=at(2026, 11, 5))
    land = demo_agencies["land_office"]
    figures = figures_by_agency(dt.date(2026, 11, 1), dt.date(2026, 11, 1), [land])[land.pk]
    assert figures.counts["result_online"] == 1 == Dossier.objects.filter(return_method="online").count()
    card = current_scorecard(dt.date(2026, 11, 1))
    assert card is not None
    line = {x.code: x for x in compute(card, dt.date(2026, 11, 1), dt.date(2026, 11, 1), [land])}["3b"]
    assert line.rate == Decimal(50)
    incremental = snapshot()
    rebuild()
    assert snapshot() == incremental


def test_report_by_level_and_by_procedure(client, demo_catalog, demo_agencies, clerk, province_admin):
    from django.urls import reverse

    from motcua.directory.models import AgencyLevel

    for day in (2, 3):
        land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, day))
    client.force_login(province_admin)
    query = {"tu": "2026-11", "den": "2026-11"}
    land = demo_agencies["land_office"]

    def received(**extra):
        page = client.get(reverse("reports:report"), {**query, **extra})
        return page.context["summary"].received_total, {a.pk for a, _f in page.context["rows"]}

    assert received() == (2, {land.pk})
    assert received(thu_tuc="1.013831") == (2, {land.pk})
    assert received(thu_tuc="1.001193") == (0, set())  # birth registration: none
    assert received(cap=land.level) == (2, {land.pk})
    other_level = next(v for v in AgencyLevel.values if v != land.level)
    assert received(cap=other_level) == (0, set())
