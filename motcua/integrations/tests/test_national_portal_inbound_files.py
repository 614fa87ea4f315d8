"""Files the portal passes by URL are fetched through IntegrationClient from its allowed file hosts only: never from
another host, an internal or metadata address, or through a redirect to one; size-capped; checked like uploads."""

import pytest

from motcua.documents.models import Blob
from motcua.documents.tests.samples import EXE, pdf
from motcua.dossiers.models import Dossier
from motcua.integrations import file_fetch
from motcua.integrations.models import CallRecord
from motcua.integrations.tests.inbound_helpers import SLOTS, TOKEN, inline_file, post, url_file, wrapped
from motcua.integrations.tests.loopback import Answer, Loopback

pytestmark = pytest.mark.usefixtures("forget_committed_call_records")  # the fetches' evidence (PostgreSQL)


@pytest.fixture(autouse=True)
def portal_token(settings):
    settings.MOTCUA_NATIONAL_PORTAL_TOKEN = TOKEN


@pytest.fixture
def file_host(loopback, settings):
    """The portal's file host (a loopback server), listed in the allow-list."""
    settings.MOTCUA_NATIONAL_PORTAL_FILE_ORIGINS = [loopback.url]
    return loopback


@pytest.fixture
def other_host():
    """A server that is NOT listed (stands for an internal service)."""
    server = Loopback()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def tran_bien(demo_catalog, demo_agencies):
    return demo_agencies["tran_bien"]


def push_with_urls(client, agency, urls):
    files = [url_file(slot, url) for slot, url in zip(SLOTS, urls, strict=False)]
    files += [inline_file(slot) for slot in SLOTS[len(urls):]]
    return post(client, "/nhanhsdvcqg", wrapped(agency.eid_code, TaiLieuNop=files))


def test_files_are_fetched_from_an_allowed_host_with_evidence(client, tran_bien, file_host):
    file_host.answer(Answer(body=pdf("to khai")), Answer(body=pdf("chung sinh")))
    response = push_with_urls(client, tran_bien, [f"{file_host.url}/tep/1?token=abc", f"{file_host.url}/tep/2"])
    assert response.json()["error_code"] == 0, response.content
    assert [r.path for r in file_host.received] == ["/tep/1?token=abc", "/tep/2"]
    dossier = Dossier.objects.get()
    by_slot = {d.slot: d.blob for d in dossier.documents.select_related("blob")}
    assert by_slot["to_khai_khai_sinh"].sha256 == Blob.objects.get(sha256=by_slot["to_khai_khai_sinh"].sha256).sha256
    assert by_slot["to_khai_khai_sinh"].size == len(pdf("to khai"))
    records = CallRecord.objects.filter(system=file_fetch.SYSTEM, operation="TaiTepTin")
    assert records.count() == 2 and {r.status_code for r in records} == {200}


def test_a_repeated_push_does_not_fetch_again(client, tran_bien, file_host):
    file_host.answer(Answer(body=pdf("a")))
    first = push_with_urls(client, tran_bien, [f"{file_host.url}/tep/1"])
    second = push_with_urls(client, tran_bien, [f"{file_host.url}/tep/1"])
    assert first.json() == second.json() and first.json()["error_code"] == 0
    assert len(file_host.received) == 1
    assert Dossier.objects.count() == 1


def _refused_and_nothing_created(response, status=200):
    assert response.status_code == status, response.content
    assert response.json()["error_code"] == -1
    assert not Dossier.objects.exists()
    assert not Blob.objects.exists()
    return response.json()


def test_a_host_not_listed_is_never_called(client, tran_bien, file_host, other_host):
    answer = _refused_and_nothing_created(push_with_urls(client, tran_bien, [f"{other_host.url}/secret"]))
    assert "không thuộc máy chủ tệp được phép" in answer["message"]
    assert other_host.received == []


@pytest.mark.parametrize("url", [
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://[::1]/", "http://0.0.0.0/", "file:///etc/passwd", "gopher://127.0.0.1/", "ftp://files.example/x.pdf",
])
def test_internal_metadata_and_odd_urls_are_refused_even_when_listed(client, settings, tran_bien, url):
    settings.MOTCUA_NATIONAL_PORTAL_FILE_ORIGINS = [url.split("/latest")[0], "http://[::1]", "http://0.0.0.0"]
    _refused_and_nothing_created(push_with_urls(client, tran_bien, [url]))


def test_a_listed_name_that_resolves_to_an_internal_address_is_refused(client, settings, tran_bien, other_host):
    port = other_host.server.server_address[1]
    settings.MOTCUA_NATIONAL_PORTAL_FILE_ORIGINS = [f"http://localhost:{port}"]
    _refused_and_nothing_created(push_with_urls(client, tran_bien, [f"http://localhost:{port}/x"]))
    assert other_host.received == []


def test_vetting_resolves_every_address_and_refuses_user_info(settings):
    settings.MOTCUA_NATIONAL_PORTAL_FILE_ORIGINS = ["https://files.dvc.example"]

    def rebinding(host, port):
        return ["203.0.113.7", "10.0.0.5"]  # one public, one internal: refused

    with pytest.raises(file_fetch.FetchRefused):
        file_fetch.vet_url("https://files.dvc.example/a.pdf", resolve=rebinding)
    with pytest.raises(file_fetch.FetchRefused):
        file_fetch.vet_url("https://user:pw@files.dvc.example/a.pdf", resolve=lambda h, p: ["93.184.216.34"])
    origin, address = file_fetch.vet_url("https://FILES.dvc.example:443/a.pdf", resolve=lambda h, p: ["93.184.216.34"])
    assert (str(origin), address) == ("https://files.dvc.example:443", "93.184.216.34")


def test_a_redirect_to_an_unlisted_or_internal_address_is_refused(client, tran_bien, file_host, other_host):
    file_host.answer(Answer(status=302, headers={"Location": f"{other_host.url}/internal"}),
                     Answer(status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}))
    _refused_and_nothing_created(push_with_urls(client, tran_bien, [f"{file_host.url}/a"]))
    _refused_and_nothing_created(push_with_urls(client, tran_bien, [f"{file_host.url}/b"]))
    assert other_host.received == []


def test_a_redirect_within_the_allowed_host_is_followed(client, tran_bien, file_host):
    file_host.answer(Answer(status=302, headers={"Location": "/real/1"}), Answer(body=pdf("x")))
    assert push_with_urls(client, tran_bien, [f"{file_host.url}/a"]).json()["error_code"] == 0
    assert [r.path for r in file_host.received] == ["/a", "/real/1"]


def test_an_oversized_file_is_refused(client, settings, tran_bien, file_host):
    settings.MOTCUA_UPLOAD_MAX_FILE_BYTES = 2000
    file_host.answer(Answer(body=pdf("x") + b"0" * 5000))
    answer = _refused_and_nothing_created(push_with_urls(client, tran_bien, [f"{file_host.url}/big"]))
    assert "lớn hơn giới hạn" in answer["message"]


def test_a_fetched_file_goes_through_the_upload_checks(client, tran_bien, file_host):
    file_host.answer(Answer(body=EXE))
    answer = _refused_and_nothing_created(push_with_urls(client, tran_bien, [f"{file_host.url}/a.pdf"]))
    assert "không đúng định dạng cho phép" in answer["message"]


def test_a_failing_file_host_asks_the_portal_to_retry_later(client, tran_bien, file_host):
    file_host.answer(Answer(status=503), Answer(status=503))
    _refused_and_nothing_created(push_with_urls(client, tran_bien, [f"{file_host.url}/a"]), status=503)
    file_host.answer(Answer(status=404))
    _refused_and_nothing_created(push_with_urls(client, tran_bien, [f"{file_host.url}/a"]), status=200)
