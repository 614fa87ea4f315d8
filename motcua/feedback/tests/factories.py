"""Petitions for the tests: times in the province's zone, a petition from citizen A to the land office."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from motcua.directory.models import Agency
from motcua.feedback.actions import Petitioner, submit_feedback
from motcua.feedback.models import Channel, Feedback, FeedbackKind, Subject
from motcua.identity.models import User

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN)


def petition(citizen: User | None, agency: Agency, *, when: dt.datetime, title: str = "Chậm trả kết quả",
             content: str = "Hồ sơ của tôi quá hạn mà chưa được trả.", consent: bool = True,
             name: str = "Nguyễn Văn An", phone: str = "0912345678", email: str = "an@example.vn",
             key: str | None = None) -> Feedback:
    return submit_feedback(
        kind=FeedbackKind.objects.get(code="thu_tuc"), subject=Subject.AGENCY, title=title, content=content,
        agency=agency, petitioner=Petitioner(name, phone, email), channel=Channel.ONLINE, actor=citizen,
        consent_to_publish=consent, idempotency_key=key, at=when,
    )
