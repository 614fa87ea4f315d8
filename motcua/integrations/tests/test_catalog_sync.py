"""Catalog sync from the national procedures database, against the portal simulator on a free port: pull by code
shows the changed fields, apply makes one new version keeping the local steps and agencies (twice: still one),
a national procedure unknown here is created unpublished; unknown code, malformed record, portal down → a clear
error and nothing changed; the page is the province administrator's; the nightly command applies nothing."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from motcua.catalog.models import CatalogSyncAct, Field, NationalProcedure, Procedure, ProcedureVersion
from motcua.integrations import catalog_sync
from motcua.integrations import national_portal_sync as sync
from simulators import national_portal as simulated
from simulators.national_portal import PortalSimulator, SimulatorConfig

LAND = "1.013831"
CHANGED_LAND_KEYS = {"statutory_time", "time_rule", "required_documents", "legal_basis", "effective_from"}


@pytest.fixture
def simulator():
    sim = PortalSimulator(SimulatorConfig(seed=1)).start()
    yield sim
    sim.stop()


@pytest.fixture
def portal_settings(simulator):
    cfg = simulator.config
    systems = {"dvcqg": {"base_url": simulator.url, "connect_timeout": 0.5, "read_timeout": 0.5,
                         "max_attempts": 2, "backoff_base": 0, "backoff_max": 0, "breaker_failures": 1000,
                         "headers": {"dstcode": cfg.dstcode}}}
    with override_settings(MOTCUA_INTEGRATION_SYSTEMS=systems, MOTCUA_NATIONAL_PORTAL_MADONVI=cfg.agency_code,
                           MOTCUA_NATIONAL_PORTAL_USERNAME=cfg.username, MOTCUA_NATIONAL_PORTAL_PASSWORD=cfg.password):
        sync.forget_sessions()
        yield simulator
        sync.forget_sessions()


def catalog_state():
    return (sorted(ProcedureVersion.objects.values_list("procedure__national_code", "number")),
            NationalProcedure.objects.count())


def test_pull_by_code_shows_the_changed_fields_and_changes_nothing(portal_settings, demo_catalog):
    before = ProcedureVersion.objects.count()
    report = catalog_sync.pull([LAND, "1.001193"])
    assert not report.errors
    land, birth = report.snapshots
    assert set(land.differences) == CHANGED_LAND_KEYS
    rows = {row.key: row for row in catalog_sync.diff(land)}
    assert {k for k, r in rows.items() if r.changed and r.applied} == CHANGED_LAND_KEYS
    assert "8" in rows["statutory_time"].local and "10" in rows["statutory_time"].national
    assert "Sơ đồ tài sản gắn liền với đất" in rows["required_documents"].national
    assert "Sơ đồ tài sản gắn liền với đất" not in rows["required_documents"].local
    assert rows["name"].local == rows["name"].national and not rows["fees"].changed
    assert not rows["steps"].applied  # shown, the local process stays
    # A procedure whose national record equals the local version differs in nothing, and counts as published.
    assert birth.differences == [] and birth.applied_at == demo_catalog["1.001193"].current_version.created_at
    assert ProcedureVersion.objects.count() == before
    assert CatalogSyncAct.objects.filter(kind="pull").count() == 2


def test_a_changed_fee_is_a_difference(portal_settings, demo_catalog):
    snapshot = catalog_sync.pull(["1.013833"]).snapshots[0]
    assert snapshot.differences == ["fees"]
    row = next(r for r in catalog_sync.diff(snapshot) if r.key == "fees")
    assert "190.000 đ" in row.local and "200.000 đ" in row.national


def test_apply_makes_one_new_version_keeping_local_steps_and_agencies(portal_settings, demo_catalog, province_admin):
    procedure = demo_catalog[LAND]
    old = procedure.current_version
    agencies = set(procedure.competent_agencies.values_list("eid_code", flat=True))
    keywords = procedure.keywords
    snapshot = catalog_sync.pull([LAND]).snapshots[0]

    result = catalog_sync.apply(LAND, snapshot.digest, actor=province_admin)
    assert (result.outcome, result.version_number) == ("new_version", old.number + 1)
    procedure = Procedure.objects.get(national_code=LAND)
    new = procedure.current_version
    assert new.statutory_days == Decimal(10) and "10 ngày" in new.time_rule
    assert [s["key"] for s in new.steps] == [s["key"] for s in old.steps]
    assert [(s["agency"], s["role"], s["actions"]) for s in new.steps] == [
        (s["agency"], s["role"], s["actions"]) for s in old.steps]
    assert sum((Decimal(s["days"]) for s in new.steps), Decimal(0)) == Decimal(10)
    assert set(procedure.competent_agencies.values_list("eid_code", flat=True)) == agencies
    assert procedure.keywords == keywords and new.eform_schema == old.eform_schema
    codes = [d["code"] for d in new.required_documents]
    assert {d["code"] for d in old.required_documents} <= set(codes)
    assert len(codes) == len(set(codes)) == len(old.required_documents) + 1
    assert new.effective_from.isoformat() == "2026-12-01"
    assert ProcedureVersion.objects.filter(pk=old.pk).exists()  # dossiers pinned to it keep it

    # The same pull applied again, and pulled again and applied: still one new version.
    assert catalog_sync.apply(LAND, snapshot.digest, actor=province_admin).outcome == "unchanged"
    again = catalog_sync.pull([LAND]).snapshots[0]
    assert again.digest == snapshot.digest and again.differences == []
    assert catalog_sync.apply(LAND, again.digest, actor=province_admin).outcome == "unchanged"
    assert procedure.versions.count() == old.number + 1
    acts = list(CatalogSyncAct.objects.filter(kind="apply").values_list("outcome", "actor_id"))
    assert acts == [("unchanged", province_admin.pk), ("unchanged", province_admin.pk),
                    ("new_version", province_admin.pk)]


def test_a_national_procedure_unknown_here_is_created_unpublished(portal_settings, demo_catalog, province_admin):
    snapshot = catalog_sync.pull(["1.013840"]).snapshots[0]
    assert snapshot.compared_version_id is None
    result = catalog_sync.apply("1.013840", snapshot.digest, actor=province_admin)
    assert result.outcome == "created"
    procedure = Procedure.objects.get(national_code="1.013840")
    assert not procedure.is_active and not Procedure.objects.published().filter(pk=procedure.pk).exists()
    assert list(procedure.competent_agencies.values_list("eid_code", flat=True)) == ["000.01.16.H19"]
    assert procedure.field.code == "dat_dai" and procedure.current_version.statutory_days == Decimal(5)
    assert Field.objects.get(code="dat_dai").national_code == "G13-TN01"


def test_apply_of_a_snapshot_that_changed_since_it_was_seen_is_refused(portal_settings, demo_catalog,
                                                                       province_admin):
    catalog_sync.pull([LAND])
    state = catalog_state()
    with pytest.raises(catalog_sync.CatalogSyncError) as error:
        catalog_sync.apply(LAND, "0" * 64, actor=province_admin)
    assert error.value.code == "stale" and "tải lại" in error.value.message_vi
    assert catalog_state() == state
    act = CatalogSyncAct.objects.filter(kind="apply").get()
    assert (act.outcome, act.actor_id, act.version_id) == ("refused: stale", province_admin.pk, None)


def test_unknown_code_is_reported_and_nothing_stored(portal_settings, demo_catalog):
    report = catalog_sync.pull(["9.999999"])
    assert report.snapshots == [] and report.errors["9.999999"].code == "not_found"
    assert "9.999999" in report.errors["9.999999"].message_vi
    assert NationalProcedure.objects.count() == 0


@pytest.mark.parametrize("bad", [
    {"THOIGIANGIAIQUYET": "mười"}, {"DONVITINH": "Tháng"}, {"NGAYQUYETDINH": "2026-11-02"},
])
def test_a_malformed_record_changes_nothing(portal_settings, demo_catalog, monkeypatch, bad):
    record = {**simulated.NATIONAL_CATALOG[LAND]}
    channel = {**record["CACHTHUCTHUCHIEN"][0]}
    channel["THOIGIAN"] = [{**channel["THOIGIAN"][0], **{k: v for k, v in bad.items() if k != "NGAYQUYETDINH"}}]
    record["CACHTHUCTHUCHIEN"] = [channel, *record["CACHTHUCTHUCHIEN"][1:]]
    record.update({k: v for k, v in bad.items() if k == "NGAYQUYETDINH"})
    monkeypatch.setitem(simulated.NATIONAL_CATALOG, LAND, record)
    state = catalog_state()
    report = catalog_sync.pull([LAND])
    assert report.errors[LAND].code == "malformed" and "Không có thay đổi" in report.errors[LAND].message_vi
    assert catalog_state() == state


def test_a_truncated_answer_changes_nothing(portal_settings, demo_catalog):
    portal_settings.state.faults.malformed_next = 1
    state = catalog_state()
    assert catalog_sync.pull([LAND]).errors[LAND].code == "malformed"
    assert catalog_state() == state


def test_portal_down_is_a_clear_error_and_nothing_changes(portal_settings, demo_catalog):
    portal_settings.state.faults.down = True
    state = catalog_state()
    with pytest.raises(catalog_sync.CatalogSyncError) as error:
        catalog_sync.pull_all()
    assert error.value.code == "unavailable" and "Không kết nối được" in error.value.message_vi
    assert catalog_state() == state


def test_not_configured_is_a_clear_error(demo_catalog):
    with pytest.raises(catalog_sync.CatalogSyncError) as error:
        catalog_sync.pull([LAND])
    assert error.value.code == "not_configured"


def test_fields_and_agencies_are_matched_by_national_codes(portal_settings, demo_catalog):
    report = catalog_sync.sync_fields()
    assert ("dat_dai", "G13-TN01") in report.matched and ("ho_tich", "G09-TP03") in report.matched
    assert Field.objects.get(code="ho_tich").national_code == "G09-TP03"
    matches = {m.national.code: m for m in catalog_sync.match_agencies()}
    assert matches["000.01.16.H19"].local is not None and matches["000.01.16.H19"].local.eid_code == "000.01.16.H19"
    assert catalog_sync.sync_fields().matched == report.matched  # idempotent


def test_nightly_command_reports_differences_and_applies_nothing(portal_settings, demo_catalog, capsys):
    versions = ProcedureVersion.objects.count()
    call_command("pull_national_catalog", "--fields")
    out = capsys.readouterr().out
    assert f"{LAND}: differs in" in out and "1.013833: differs in fees" in out
    assert "1.013840: not in the local catalog" in out and "nothing applied" in out
    assert "1.001193" not in out
    assert ProcedureVersion.objects.count() == versions


# --- the page ------------------------------------------------------------------------------------------------------

def test_the_page_pulls_shows_the_diff_and_applies(portal_settings, demo_catalog, province_admin, client):
    client.force_login(province_admin)
    page = reverse("integrations:catalog_sync")
    assert client.get(page).status_code == 200
    response = client.post(reverse("integrations:catalog_pull"), {"scope": "one", "code": LAND})
    assert response.status_code == 302 and LAND in response["Location"]
    shown = client.get(response["Location"])
    text = shown.content.decode()
    assert shown.status_code == 200 and 'class="diff-changed"' in text and "Sơ đồ tài sản" in text
    assert "<script" not in text.split("</header>")[-1]  # no inline script in the page body
    digest = NationalProcedure.objects.get(national_code=LAND).digest
    client.post(reverse("integrations:catalog_apply"), {"code": LAND, "digest": digest})
    assert Procedure.objects.get(national_code=LAND).current_version.number == 2
    client.post(reverse("integrations:catalog_apply"), {"code": LAND, "digest": digest})
    assert Procedure.objects.get(national_code=LAND).versions.count() == 2


def test_the_page_refuses_a_bad_code_without_calling_the_portal(portal_settings, demo_catalog, province_admin,
                                                                client):
    client.force_login(province_admin)
    response = client.post(reverse("integrations:catalog_pull"), {"scope": "one", "code": "../etc"}, follow=True)
    assert "1.013831" in response.content.decode()  # the hint names the expected shape
    assert NationalProcedure.objects.count() == 0


@pytest.mark.parametrize("who", ["clerk", "specialist", "leader", "agency_admin"])
def test_only_province_administrators_may_use_the_page(portal_settings, demo_catalog, request, client, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("integrations:catalog_sync")).status_code == 403
    assert client.post(reverse("integrations:catalog_pull"), {"scope": "all"}).status_code == 403
    assert client.post(reverse("integrations:catalog_apply"), {"code": LAND, "digest": "x"}).status_code == 403
    assert NationalProcedure.objects.count() == 0


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(reverse("integrations:catalog_sync"))
    location = response["Location"]
    assert response.status_code == 302 and ("login" in location or "dang-nhap" in location)
    assert client.post(reverse("integrations:catalog_pull"), {"scope": "all"}).status_code == 302
