"""The demo province's sample petitions: one waiting at the land office for its answer, one answered by it and
published (masked) on `/phan-anh/da-tra-loi/`. Idempotent: each is found by its idempotency key."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from motcua.demo.directory import AGENCIES
from motcua.directory.models import Agency
from motcua.feedback import actions
from motcua.feedback.models import Channel, Classification, Feedback, FeedbackKind, Subject

KEYS = ("demo-petition-waiting", "demo-petition-published")


def build_demo_petitions(now: dt.datetime | None = None) -> int:
    """Create the sample petitions that do not exist yet; return how many were created."""
    now = now or timezone.now()
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["nguyenvana", "tranthibinh", "chuyenvien.vpdkdd", "lanhdao.vpdkdd"])}
    land = Agency.objects.get(eid_code=next(spec.eid_code for spec in AGENCIES if spec.key == "land_office"))
    kind = FeedbackKind.objects.filter(code="thu_tuc").first()
    if kind is None or len(users) < 4:
        return 0
    created = 0
    if not Feedback.objects.filter(idempotency_key=KEYS[0]).exists():
        citizen = users["nguyenvana"]
        actions.submit_feedback(
            kind=kind, subject=Subject.PROCEDURE, procedure_code="1.013831", agency=land,
            title="Hỏi về thời hạn cấp giấy chứng nhận sau khi chuyển nhượng",
            content="Tôi đã nộp hồ sơ chuyển nhượng quyền sử dụng đất, xin hỏi bao lâu thì nhận được giấy chứng nhận?",
            petitioner=actions.Petitioner(citizen.full_name, citizen.phone, citizen.email), channel=Channel.ONLINE,
            actor=citizen, consent_to_publish=True, idempotency_key=KEYS[0], at=now - dt.timedelta(days=1))
        created += 1
    if not Feedback.objects.filter(idempotency_key=KEYS[1]).exists():
        citizen, specialist, leader = users["tranthibinh"], users["chuyenvien.vpdkdd"], users["lanhdao.vpdkdd"]
        start = now - dt.timedelta(days=6)
        item = actions.submit_feedback(
            kind=kind, subject=Subject.AGENCY, agency=land,
            title="Đề nghị niêm yết rõ các khoản phí khi đăng ký biến động đất đai",
            content="Tại bộ phận một cửa, tôi không thấy bảng niêm yết lệ phí đăng ký biến động. Đề nghị niêm yết rõ.",
            petitioner=actions.Petitioner(citizen.full_name, citizen.phone, citizen.email), channel=Channel.ONLINE,
            actor=citizen, consent_to_publish=True, idempotency_key=KEYS[1], at=start)
        item = actions.assign_feedback(item, actor=leader, classification=Classification.KIEN_NGHI,
                                       assignee=specialist, at=start + dt.timedelta(hours=2))
        item = actions.start_feedback(item, actor=specialist, at=start + dt.timedelta(hours=3))
        item = actions.draft_reply(item, actor=specialist, at=start + dt.timedelta(days=1), reply=(
            "Văn phòng Đăng ký đất đai cảm ơn ý kiến của Ông/Bà. Bảng lệ phí đăng ký biến động đã được niêm yết tại "
            "quầy số 3 và trên trang thủ tục của Cổng dịch vụ công tỉnh; lệ phí cũng hiện trên thông báo nộp tiền."))
        item = actions.approve_reply(item, actor=leader, at=start + dt.timedelta(days=1, hours=2))
        item = actions.answer_feedback(item, actor=specialist, at=start + dt.timedelta(days=1, hours=3))
        actions.publish_feedback(item, actor=leader, at=start + dt.timedelta(days=1, hours=4))
        created += 1
    return created
