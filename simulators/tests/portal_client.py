"""Sample messages and a plain urllib client for the national portal simulator's tests."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from motcua.adapters import national_portal as portal
from simulators.national_portal import SimulatorConfig

ICT = portal.PORTAL_TIME_ZONE
CODE = "000.00.00.H19-261203-0001"


def sample_dossier(**changes: Any) -> portal.PortalDossier:
    dossier = portal.PortalDossier(
        code=CODE,
        procedure_code="1.001612",
        procedure_name="Đăng ký khai sinh",
        field_code="G09-TP03",
        field_name="Hộ tịch",
        applicant_name="Nguyễn Văn An",
        applicant_kind="1",
        applicant_id="079203000001",
        received_at=datetime(2026, 12, 3, 9, 0, tzinfo=ICT),
        due_at=datetime(2026, 12, 8, 10, 0, tzinfo=UTC),  # 17:00 in Hồ Chí Minh City
        status_code="4",
        handling_agency="UBND phường Trấn Biên",
        by_post=True,
        receipt_number="BN-1",
        email="an@example.vn",
        phone="0912345678",
        summary="Đăng ký khai sinh cho con",
        files=(portal.SubmittedFile("f1", "To khai.pdf", "GT01", "https://motcua.example/tep/f1"),),
        results=(portal.ResultDocument("k1", "Giấy khai sinh", "KQ01", "https://motcua.example/kq/k1"),),
        fees=(portal.Fee("Lệ phí", "LP01", "1", 50000, "1"),),
        other_attachments=(portal.OtherAttachment("Bản sao CCCD", 2, "2"),),
        supplements=(
            portal.Supplement(
                supplement_id="s1",
                requested_by="Trần Thị Bình",
                content="Bổ sung bản sao CCCD",
                requested_at=datetime(2026, 12, 3, 9, 30, tzinfo=ICT),
                received_at=datetime(2026, 12, 3, 11, 0, tzinfo=ICT),
                status="2",
                documents=(portal.SubmittedFile("f2", "CCCD.pdf", "GT02", "https://motcua.example/tep/f2"),),
                new_due_at=datetime(2026, 12, 9, 17, 0, tzinfo=ICT),
            ),
        ),
    )
    return replace(dossier, **changes)


def sample_step(**changes: Any) -> portal.ProgressStep:
    step = portal.ProgressStep(
        dossier_code=CODE,
        handler="Trần Thị Bình",
        handler_title="Công chức tư pháp - hộ tịch",
        handled_at=datetime(2026, 12, 3, 10, 0, tzinfo=ICT),
        department="Bộ phận một cửa",
        action="Chuyển xử lý - đủ thành phần",
        status_code="4",
        started_at=datetime(2026, 12, 3, 9, 0, tzinfo=ICT),
        due_at=datetime(2026, 12, 5, 17, 0, tzinfo=ICT),
    )
    return replace(step, **changes)


class Client:
    """What a province's client does, with nothing but urllib: log in, then call services with the session."""

    def __init__(self, base_url: str, config: SimulatorConfig, timeout: float = 5.0) -> None:
        self.base_url = base_url
        self.config = config
        self.timeout = timeout
        self.session = ""

    def raw(self, path: str, body: Any, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(  # noqa: S310 - loopback URL the test started
            self.base_url + path,
            data=body if isinstance(body, bytes) else portal.encode(body),
            headers=portal.build_headers(self.config.dstcode) if headers is None else headers,
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                return answer.status, answer.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def log_in(self) -> portal.PortalSession:
        _, body = self.raw("/auth", portal.build_login_request(self.config.username, self.config.password))
        session = portal.parse_login_answer(body, now=datetime.now(UTC))
        self.session = session.token
        return session

    def call(self, body: dict[str, Any]) -> portal.PortalAnswer:
        status, raw = self.raw("/integration", body)
        assert status == 200, (status, raw)
        return portal.parse_answer(raw)

    def sync(self, *dossiers: portal.PortalDossier, is_updating: bool = False) -> portal.PortalAnswer:
        return self.call(
            portal.build_sync_dossier_request(self.session, self.config.agency_code, dossiers, is_updating=is_updating)
        )

    def progress(self, *steps: portal.ProgressStep) -> portal.PortalAnswer:
        return self.call(portal.build_progress_request(self.session, self.config.agency_code, steps))

    def lookup(self, code: str) -> portal.PortalAnswer:
        return self.call(portal.build_lookup_request(self.session, self.config.agency_code, code))

    def faults(self, **changes: Any) -> dict[str, Any]:
        status, raw = self.raw("/_faults", json.dumps(changes).encode(), {"Content-Type": "application/json"})
        assert status == 200, raw
        result: dict[str, Any] = json.loads(raw)
        return result

    def get(self, path: str) -> tuple[int, bytes]:
        with urllib.request.urlopen(self.base_url + path, timeout=self.timeout) as answer:  # noqa: S310
            return answer.status, answer.read()
