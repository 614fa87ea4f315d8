"""The public statistics page (/thong-ke/): the leader's figures for the same filters, its downloads, the month by
month trend, the province's targets (editable by the province administrator only), no personal data; the IOC feed."""

import csv
import io
import json
import sys
import types

import pytest
from django.test import Client
from django.urls import reverse

from motcua.directory.models import Agency
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.helpers import at, land_dossier
from motcua.reports.models import Target
from motcua.reports.selectors import overdue_now

PERIOD = {"tu": "2026-11", "den": "2026-12"}
SHOWN = ("received_total", "online_rate", "on_time_rate", "digitisation_rate", "online_payment_rate",
         "satisfaction_rate", "resolved")


def walk(dossier, people, when):
    clerk, specialist, tax, treasury, leader = people
    for actor in (clerk, specialist, tax, treasury, specialist):
        dossier = actions.forward_dossier(dossier, actor=actor, at=when)
    return actions.approve_dossier(dossier, actor=leader, at=when)


@pytest.fixture
def dossiers(demo_catalog, demo_agencies, clerk, specialist, leader, tax_specialist, treasury_specialist):
    """November: four land dossiers (one returned early, one late, one refused, one open and by now overdue), one
    of them online; December: one returned on time."""
    people = (clerk, specialist, tax_specialist, treasury_specialist, leader)
    made = [land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 11, day)) for day in (2, 3, 4, 5)]
    early = walk(made[0], people, at(2026, 11, 4))
    actions.return_result(early, actor=clerk, at=at(2026, 11, 5))
    late = walk(made[1], people, at(2026, 11, 20))
    actions.extend_dossier(late, actor=leader, reason="Chậm", new_due_at=at(2026, 11, 25), at=at(2026, 11, 20, 10))
    actions.return_result(late, actor=clerk, at=at(2026, 11, 23))
    actions.refuse_dossier(made[2], actor=clerk, reason="Không đủ điều kiện", at=at(2026, 11, 5, 10))
    december = land_dossier(demo_catalog, demo_agencies, clerk, at(2026, 12, 1))
    actions.return_result(walk(december, people, at(2026, 12, 11, 8)), actor=clerk, at=at(2026, 12, 11, 8, 30))
    return [*made, december]


def figures_of(rows):
    return {agency.pk: (*tuple(getattr(f, name) for name in SHOWN), f.counts.get("resolved_late", 0))
            for agency, f in rows}


def test_the_public_page_equals_the_leaders_report(client, dossiers, province_admin, demo_agencies):
    public = Client().get(reverse("statistics:public"), PERIOD)
    assert public.status_code == 200
    client.force_login(province_admin)
    report = client.get(reverse("reports:report"), PERIOD)
    assert report.status_code == 200
    shown = figures_of(public.context["stats"].rows)
    # The report also lists agencies with dossiers only in progress or overdue; every figure the public page shows
    # is the report's, and no agency with a figure in the period is missing from it.
    reported = {pk: line for pk, line in figures_of(report.context["rows"]).items() if line[0] or line[-2]}
    assert shown == reported
    assert shown[demo_agencies["land_office"].pk][0] == 5
    summary_public, summary_report = public.context["stats"].summary, report.context["summary"]
    assert [getattr(summary_public, n) for n in SHOWN] == [getattr(summary_report, n) for n in SHOWN]
    # The same filters narrowed to one level.
    level = demo_agencies["land_office"].level
    public = Client().get(reverse("statistics:public"), {**PERIOD, "cap": level})
    report = client.get(reverse("reports:report"), {**PERIOD, "cap": level})
    assert figures_of(public.context["stats"].rows) == {
        pk: line for pk, line in figures_of(report.context["rows"]).items() if line[0] or line[-2]}


def test_hand_count_trend_and_downloads(dossiers, demo_agencies, monkeypatch):
    monkeypatch.setitem(sys.modules, "motcua.feedback.statistics", None)  # as before the feedback app provides it
    land = demo_agencies["land_office"]
    response = Client().get(reverse("statistics:public"), PERIOD)
    stats = response.context["stats"]
    row = {a.pk: f for a, f in stats.rows}[land.pk]
    # By hand: 5 received (4 in November, 1 in December), 3 resolved (early, late, on time): on time 2 of 3.
    assert row.received_total == 5 and row.resolved == 3 and str(row.on_time_rate) == "66.7"
    assert row.counts["resolved_late"] == 1 and row.counts["refused"] == 1
    november, december = stats.trend
    assert (november[1].received_total, december[1].received_total) == (4, 1)
    assert (november[1].resolved, december[1].resolved) == (2, 1)
    assert str(november[1].on_time_rate) == "50.0" and str(december[1].on_time_rate) == "100.0"
    html = response.content.decode()
    assert "11/2026" in html and "12/2026" in html and 'aria-label="' in html

    body = Client().get(reverse("statistics:public_json"), PERIOD).json()
    assert body["total"]["received"] == 5 and body["total"]["resolved_on_time"] == 2
    assert body["total"]["resolved_late"] == 1 and body["total"]["on_time_rate"] == 66.7
    assert body["total"]["petitions"] is None  # no provider: the column is left out
    assert [m["received"] for m in body["months"]] == [4, 1]
    [agency] = [a for a in body["agencies"] if a["id"] == land.pk]
    assert agency["received"] == 5 and agency["name"] == land.name

    download = Client().get(reverse("statistics:public_csv"), PERIOD)
    assert download["Content-Type"].startswith("text/csv") and "attachment" in download["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert lines[0][0] == "Cơ quan" and lines[-1][0] == "Tổng cộng" and lines[-1][3] == "5"
    assert next(line for line in lines if line[0] == land.name)[3] == "5"


def test_no_personal_data_on_the_public_page(dossiers):
    dossier = Dossier.objects.first()
    secrets = ["Trần Thị Bình", "075195004321", "0987654321", dossier.code]
    for name in ("statistics:public", "statistics:public_json", "statistics:public_csv"):
        text = Client().get(reverse(name), PERIOD).content.decode("utf-8-sig")
        json_text = json.dumps(json.loads(text)) if name.endswith("json") else text
        for secret in secrets:
            assert secret not in text and secret not in json_text, (name, secret)


def test_bad_filters_get_a_clear_message(db, demo_agencies):
    response = Client().get(reverse("statistics:public"), {"tu": "11/2026", "cap": "galaxy", "co_quan": "x"})
    assert response.status_code == 200
    assert len(response.context["errors"]) == 3
    assert 'role="alert"' in response.content.decode()
    response = Client().get(reverse("statistics:public"), {"tu": "2020-01", "den": "2026-12"})
    assert len(response.context["stats"].trend) == 24 and len(response.context["errors"]) == 1
    body = Client().get(reverse("statistics:public_json"), {"den": "bad"}).json()
    assert body["warnings"]


def test_one_agency_or_commune(dossiers, demo_agencies):
    commune = Agency.objects.filter(level="commune").first()
    body = Client().get(reverse("statistics:public_json"), {**PERIOD, "co_quan": commune.pk}).json()
    assert body["agencies"] == [] and body["total"]["received"] == 0
    land = demo_agencies["land_office"]
    body = Client().get(reverse("statistics:public_json"), {**PERIOD, "co_quan": land.pk}).json()
    assert [a["id"] for a in body["agencies"]] == [land.pk] and body["total"]["received"] == 5


def test_targets_are_shown_and_only_the_province_admin_edits_them(client, dossiers, province_admin, agency_admin,
                                                                   leader):
    add = reverse("admin:reports_target_add")
    form = {"figure": "on_time_rate", "year": "2026", "value": "95", "basis": "Kế hoạch 01/KH-UBND"}
    for someone in (leader, agency_admin):
        client.force_login(someone)
        client.post(add, form)
        assert not Target.objects.exists(), someone
    client.force_login(province_admin)
    response = client.post(add, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    target = Target.objects.get()
    assert target.value == 95
    page = Client().get(reverse("statistics:public"), PERIOD)
    assert page.context["targets"] == {"on_time_rate": target.value}
    assert Client().get(reverse("statistics:public_json"), PERIOD).json()["targets"] == {"on_time_rate": 95.0}
    # Out of range: refused with the field's message.
    response = client.post(add, {**form, "year": "2027", "value": "120"})
    assert response.status_code == 200 and Target.objects.count() == 1
    client.force_login(agency_admin)
    assert client.post(reverse("admin:reports_target_change", args=[target.pk]), {**form, "value": "10"}
                       ).status_code == 403
    target.refresh_from_db()
    assert target.value == 95


def test_petitions_come_from_the_feedback_app_when_it_exists(dossiers, demo_agencies, monkeypatch):
    land = demo_agencies["land_office"]
    provider = types.ModuleType("motcua.feedback.statistics")
    provider.petitions_by_agency = lambda first, last, ids: {land.pk: 7} if land.pk in ids else {}  # type: ignore
    monkeypatch.setitem(sys.modules, "motcua.feedback", types.ModuleType("motcua.feedback"))
    monkeypatch.setitem(sys.modules, "motcua.feedback.statistics", provider)
    body = Client().get(reverse("statistics:public_json"), PERIOD).json()
    assert body["total"]["petitions"] == 7
    assert [a["petitions"] for a in body["agencies"] if a["id"] == land.pk] == [7]
    assert "Phản ánh" in Client().get(reverse("statistics:public_csv"), PERIOD).content.decode("utf-8-sig")


# The IOC feed.
TOKEN = "ioc-test-token-0123456789"


def test_the_ioc_feed_needs_its_token(db, settings):
    settings.MOTCUA_IOC_TOKEN = TOKEN
    for name in ("api:ioc_figures", "api:ioc_overdue"):
        assert Client().get(reverse(name)).status_code == 401
        assert Client().get(reverse(name), HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    settings.MOTCUA_IOC_TOKEN = ""
    assert Client().get(reverse("api:ioc_overdue"), HTTP_AUTHORIZATION="Bearer ").status_code == 401


def test_the_ioc_feed_gives_the_public_figures_and_the_overdue_now(dossiers, demo_agencies, settings):
    settings.MOTCUA_IOC_TOKEN = TOKEN
    auth = f"Bearer {TOKEN}"
    figures = Client().get(reverse("api:ioc_figures"), PERIOD, HTTP_AUTHORIZATION=auth)
    assert figures.status_code == 200
    public = Client().get(reverse("statistics:public_json"), PERIOD).json()
    assert figures.json()["agencies"] == public["agencies"] and figures.json()["months"] == public["months"]
    overdue = Client().get(reverse("api:ioc_overdue"), HTTP_AUTHORIZATION=auth).json()
    land = demo_agencies["land_office"]
    live = overdue_now([land])
    assert live[land.pk] >= 1  # the open November dossier is long past its due date
    assert [(a["id"], a["overdue"]) for a in overdue["agencies"]] == [(land.pk, live[land.pk])]
    assert overdue["total"] == live[land.pk]
    bad = Client().get(reverse("api:ioc_figures"), {"tu": "11/2026"}, HTTP_AUTHORIZATION=auth).json()
    assert bad["warnings"] == ["The start month must look like 2026-01."]
    assert "Trần Thị Bình" not in json.dumps(overdue, ensure_ascii=False)


def test_the_ioc_feed_is_in_the_openapi_schema(db):
    schema = Client().get(reverse("api:openapi-json")).json()
    for path in ("/api/v1/ioc/figures", "/api/v1/ioc/overdue"):
        operation = schema["paths"][path]["get"]
        assert operation["security"] == [{"IocToken": []}]
    assert schema["components"]["securitySchemes"]["IocToken"]["scheme"] == "bearer"
