"""Remote signing (ký số từ xa) through the integration layer, against simulators/remote_signing.py: the leader's key
is at the service, the leader confirms on their phone, the result is signed with their certificate; every call is
evidence. Faults: a lost answer is retried with the same idempotency key (one transaction), a refusal, an expired
request, a wrong signature, a service down — each leaves the dossier unapproved with its draft."""

import io

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils.reader import PdfFileReader

from motcua.documents.models import StoredDocument
from motcua.dossiers.models import Status
from motcua.dossiers.workflow import WorkflowError
from motcua.integrations.client import reset_breakers
from motcua.integrations.models import CallRecord
from motcua.signing.actions import approve_with_result, trial_sign
from motcua.signing.models import ResultDocument, SigningIdentity
from motcua.signing.pdf import verify_pdf
from motcua.signing.tests.helpers import asn1_cert
from motcua.signing.tests.pki import issue
from motcua.signing.tests.test_identities import at_leader
from simulators.remote_signing import RemoteSigningSimulator, SimulatorConfig

pytestmark = pytest.mark.usefixtures("forget_committed_call_records")
CREDENTIAL = "lanhdao.vpdkdd-01"


@pytest.fixture
def leader_cert(pki):
    return issue(pki.root, "Võ Minh Tâm")


@pytest.fixture
def service(tmp_path, pki, leader_cert, settings, trust_dir):
    folder = tmp_path / "credentials"
    folder.mkdir()
    (folder / f"{CREDENTIAL}.p12").write_bytes(pkcs12.serialize_key_and_certificates(
        b"tam", leader_cert.key, leader_cert.cert, [pki.root.cert], serialization.NoEncryption()))
    simulator = RemoteSigningSimulator(SimulatorConfig(credentials_dir=str(folder), auto_confirm_ms=60)).start()
    settings.MOTCUA_INTEGRATION_SYSTEMS = {"remote_signing": {
        "base_url": simulator.url, "read_timeout": 2, "connect_timeout": 1, "max_attempts": 3,
        "backoff_base": 0.01, "backoff_max": 0.02}}
    settings.MOTCUA_REMOTE_SIGNING_POLL_SECONDS = 0.05
    settings.MOTCUA_REMOTE_SIGNING_WAIT_SECONDS = 5
    settings.MOTCUA_SIGNING_BACKEND = ""
    settings.MOTCUA_SIGNING_FALLBACK = False
    settings.MOTCUA_SIGNING_TSA_URL = ""
    settings.MOTCUA_SIGNING_TRUST_ROOTS_DIR = str(trust_dir)
    reset_breakers()
    yield simulator
    simulator.stop()
    reset_breakers()


@pytest.fixture
def remote_identity(service, leader):
    return SigningIdentity.objects.create(name="Võ Minh Tâm (ký số từ xa)", user=leader,
                                          kind=SigningIdentity.Kind.REMOTE, key_reference=CREDENTIAL)


@pytest.fixture
def dossier(remote_identity, demo_catalog, demo_agencies, citizen, clerk, specialist, tax_specialist,
            treasury_specialist, draft):
    return at_leader(demo_catalog, demo_agencies, citizen, clerk, specialist, tax_specialist, treasury_specialist,
                     draft)


def approve(dossier, leader):
    return approve_with_result(dossier, actor=leader, expected_version=dossier.version)


def assert_unapproved(dossier):
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and dossier.current_role == "leader"
    assert ResultDocument.objects.get(dossier=dossier).state == ResultDocument.State.DRAFT
    assert not StoredDocument.objects.filter(dossier=dossier, source=StoredDocument.Source.RESULT).exists()


def test_the_leader_signs_remotely_and_every_call_is_evidence(dossier, leader, leader_cert, pki, service,
                                                              remote_identity):
    approved = approve(dossier, leader)
    assert approved.status == Status.RESULT_READY
    result = ResultDocument.objects.get(dossier=dossier, state=ResultDocument.State.SIGNED)
    assert result.signing_identity == remote_identity
    signed = result.signed_file.read()
    (embedded,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    assert embedded.signer_cert.serial_number == leader_cert.cert.serial_number
    assert verify_pdf(signed, trust_roots=[asn1_cert(pki.root)]).valid
    (request,) = service.state.snapshot()["requests"]
    assert request["status"] == "confirmed" and request["copies"] == 1
    operations = set(CallRecord.objects.filter(system="remote_signing").values_list("operation", flat=True))
    assert {"credential", "sign", "status"} <= operations


def test_a_lost_answer_is_sent_again_and_makes_one_transaction(dossier, leader, service):
    service.state.faults.update({"lose_answer_next": 1})
    approve(dossier, leader)
    (request,) = service.state.snapshot()["requests"]
    assert request["copies"] == 2 and request["status"] == "confirmed"
    attempts = CallRecord.objects.filter(system="remote_signing", operation="sign").order_by("attempt")
    assert [(r.attempt, r.status_code) for r in attempts] == [(1, 503), (2, 200)]


@pytest.mark.parametrize(("fault", "expected"), [
    ("reject_next", "từ chối"), ("expire_next", "không xác nhận"), ("wrong_signature_next", "CHƯA"),
])
def test_a_refused_expired_or_wrong_signature_approves_nothing(dossier, leader, service, fault, expected):
    service.state.faults.update({fault: 1})
    with pytest.raises(WorkflowError) as caught:
        approve(dossier, leader)
    assert caught.value.code == "signing_failed" and expected in caught.value.message_vi
    assert_unapproved(dossier)
    # The next attempt (the leader confirms this time) goes through.
    dossier.refresh_from_db()
    assert approve(dossier, leader).status == Status.RESULT_READY


def test_a_service_down_or_answering_garbage_approves_nothing(dossier, leader, service):
    service.state.faults.update({"down": True})
    with pytest.raises(WorkflowError) as caught:
        approve(dossier, leader)
    assert caught.value.code == "signing_failed"
    assert_unapproved(dossier)
    service.state.faults.update({"down": False, "malformed_next": 1})
    reset_breakers()
    with pytest.raises(WorkflowError):
        approve(dossier, leader)
    assert_unapproved(dossier)
    assert CallRecord.objects.filter(system="remote_signing", error__startswith="malformed").exists()


def test_ky_thu_works_for_a_remote_identity(remote_identity, leader_cert):
    outcome = trial_sign(remote_identity)
    assert outcome.ok, outcome.message
    remote_identity.refresh_from_db()
    assert remote_identity.certificate_serial == format(leader_cert.cert.serial_number, "x")
