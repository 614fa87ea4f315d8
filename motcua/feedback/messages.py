"""The message variables of a petition's event (the same names as a dossier's, `notifications.rendering.VARIABLES`),
handed to the notifications outbox by the petition workflow: the notifications app knows no petition."""

from __future__ import annotations

from typing import Any

from django.utils.translation import override

from motcua.feedback.selectors import lookup_url
from motcua.notifications.rendering import when_text


def feedback_variables(event: Any) -> dict[str, str]:
    """The values of VARIABLES for a petition's event: the petition's code stands in `ma_ho_so`, its title in
    `ten_thu_tuc`, the competent agency in `co_quan`, the answer deadline in `ngay_hen_tra`."""
    feedback = event.feedback
    with override("vi"):
        status = str(feedback.get_status_display())
    return {
        "ma_ho_so": feedback.code,
        "ten_thu_tuc": feedback.title,
        "nguoi_nop": feedback.petitioner_name,
        "co_quan": feedback.agency.name,
        "trang_thai": status,
        "ngay_tiep_nhan": when_text(feedback.received_at),
        "ngay_hen_tra": when_text(feedback.due_at),
        "ngay_hen_moi": "",
        "ly_do": event.note.strip(),
        "giay_to_bo_sung": "",
        "so_tien": "",
        "ma_tra_cuu": feedback.lookup_secret,
        "duong_dan_tra_cuu": lookup_url(feedback),
        "duong_dan_thanh_toan": "",
    }
