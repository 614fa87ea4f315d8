"""Round trip against the simulator and a live server: the portal pushes a dossier (twice), the province fetches its
files from the portal's file host, the clerk receives it, and the outbound sync reports its progress to the portal
under the same MaHoSo; the portal's status query sees the same."""

from motcua.adapters import national_portal as portal
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier
from motcua.integrations import national_portal_sync as sync
from motcua.integrations.tests.inbound_helpers import API, TOKEN
from simulators.national_portal import PortalSimulator, SimulatorConfig


def test_a_dossier_from_the_portal_goes_round_trip(units_restored, live_server, settings, demo_catalog,
                                                   demo_agencies, other_clerk):
    agency = demo_agencies["tran_bien"]
    config = SimulatorConfig(seed=1, province_url=f"{live_server.url}{API}", province_token=TOKEN,
                             province_agency=agency.eid_code)
    with PortalSimulator(config) as sim:
        settings.MOTCUA_NATIONAL_PORTAL_TOKEN = TOKEN
        settings.MOTCUA_NATIONAL_PORTAL_FILE_ORIGINS = [sim.url]
        settings.MOTCUA_INTEGRATION_SYSTEMS = {"dvcqg": {
            "base_url": sim.url, "connect_timeout": 0.5, "read_timeout": 2, "max_attempts": 2, "backoff_base": 0,
            "backoff_max": 0, "headers": {"dstcode": config.dstcode}}}
        settings.MOTCUA_NATIONAL_PORTAL_MADONVI = config.agency_code
        settings.MOTCUA_NATIONAL_PORTAL_USERNAME = config.username
        settings.MOTCUA_NATIONAL_PORTAL_PASSWORD = config.password
        sync.forget_sessions()

        first, second = sim.state.push(sim.url, times=2)  # a duplicate push, as a retrying portal does
        assert first["status"] == second["status"] == 200
        assert first["answer"]["error_code"] == 0, first
        assert first["answer"] == second["answer"]
        code = first["code"]
        dossier = Dossier.objects.get()
        assert dossier.external_id == code
        assert dossier.documents.filter(blob__isnull=False).count() == 3  # fetched from the portal's file host

        dossier = actions.receive_dossier(dossier, actor=other_clerk)
        assert sync.drain(dossier_id=dossier.pk).sent == 2
        stored = sim.state.snapshot()["dossiers"][code]
        assert stored["dossier"]["SoBienNhan"] == dossier.code
        assert stored["dossier"]["TrangThaiHoSo"] == "2"
        assert [p["step"]["TrangThai"] for p in stored["progress"]] == ["1", "2"]

        status = sim.state.query_status(code)["answer"]
        assert status["error_code"] == 0
        assert status["result"][0]["TrangThaiHoSo"] == "2"
        assert [s["TrangThai"] for s in status["result"][0]["QuaTrinhXuLy"]] == ["1", "2"]
        refused = sim.state.evaluate(code)["answer"]  # not returned yet: not stored
        assert refused["error_code"] == portal.ERROR_CODE_FAILURE
        sync.forget_sessions()
