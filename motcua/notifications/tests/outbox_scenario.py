"""The dossiers of the kill-the-worker test, run in a subprocess against that test's own database:

    python -m motcua.notifications.tests.outbox_scenario seed     # the demo province and some dossiers
    python -m motcua.notifications.tests.outbox_scenario report   # every outbox message, as JSON

Each dossier action runs with `enqueue_for_event` in its transaction, so the outbox rows and the delivery jobs
(database backend) are written exactly as in production.
"""

from __future__ import annotations

import json
import os
import sys


def seed() -> None:
    from django.db import transaction

    from motcua.catalog.actions import import_catalog
    from motcua.catalog.transfer import load_json
    from motcua.demo.directory import build_demo_directory
    from motcua.demo.management.commands.setup_demo import DEMO_CATALOG
    from motcua.directory.units import load_units
    from motcua.dossiers import actions
    from motcua.dossiers.actions import Applicant
    from motcua.dossiers.tests.helpers import at
    from motcua.identity.models import User
    from motcua.notifications.models import Channel, Kind, MessageTemplate, OutboundMessage
    from motcua.notifications.tests.helpers import notified, notified_land_dossier

    load_units()
    agencies = build_demo_directory(password=None)
    import_catalog(load_json(DEMO_CATALOG.read_bytes()))
    from motcua.catalog.models import Procedure

    catalog = {p.national_code: p for p in Procedure.objects.all()}
    clerk = User.objects.get(username="tiepnhan.ttpvhcc")
    # Refusals go out by Zalo ZNS (its template is approved), everything else by SMS; all by email too.
    MessageTemplate.objects.filter(kind=Kind.REFUSED, channel=Channel.ZNS).update(zns_template_id="200001")
    for number in range(4):
        applicant = Applicant(name=f"Người nộp {number}", phone=f"098765432{number}",
                              email=f"nguoi.nop.{number}@example.vn")
        dossier = notified_land_dossier(catalog, agencies, clerk, at(2026, 11, 30, 9 + number), applicant=applicant)
        if number < 3:
            notified(actions.request_supplement, dossier, actor=clerk, items=["Bản sao Giấy chứng nhận"],
                     note="Bản sao bị mờ")
        else:
            notified(actions.refuse_dossier, dossier, actor=clerk, reason="Thửa đất đang có tranh chấp")
    with transaction.atomic():
        count = OutboundMessage.objects.count()
    print(json.dumps({"messages": count}))


def report() -> None:
    from motcua.notifications.models import OutboundMessage

    rows = [
        {"uid": str(m.uid), "channel": m.channel, "recipient": m.recipient, "status": m.status,
         "attempts": m.attempts,
         "outcomes": list(m.delivery_attempts.order_by("pk").values_list("outcome", flat=True))}
        for m in OutboundMessage.objects.order_by("pk")
    ]
    print(json.dumps(rows))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    {"seed": seed, "report": report}[sys.argv[1]]()
