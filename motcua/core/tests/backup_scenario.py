"""The dossier of the backup-and-restore test, run in a subprocess against that test's own database:

    python -m motcua.core.tests.backup_scenario seed          # the demo province and one online dossier
    python -m motcua.core.tests.backup_scenario report CODE   # that dossier and the sha256 of its files, as JSON
"""

from __future__ import annotations

import hashlib
import json
import os
import sys


def seed() -> None:
    from motcua.catalog.actions import import_catalog
    from motcua.catalog.models import Procedure
    from motcua.catalog.transfer import load_json
    from motcua.demo.directory import build_demo_directory
    from motcua.demo.management.commands.setup_demo import DEMO_CATALOG
    from motcua.directory.units import load_units
    from motcua.dossiers.actions import Applicant, Upload, submit_dossier
    from motcua.dossiers.models import Channel
    from motcua.dossiers.tests.test_deadlines import BIRTH_FORM
    from motcua.identity.models import User

    load_units()
    agencies = build_demo_directory(password=None)
    import_catalog(load_json(DEMO_CATALOG.read_bytes()))
    citizen = User.objects.get(username="nguyenvana")
    # Bytes of every value, so that a restore that changed any of them would show.
    uploads = [Upload(slot=slot, name=f"{slot}.pdf", content=b"%PDF-1.4\n" + os.urandom(4096) + bytes(range(256)))
               for slot in ("to_khai_khai_sinh", "giay_chung_sinh", "giay_to_tuy_than")]
    dossier = submit_dossier(
        procedure=Procedure.objects.get(national_code="1.001193"), channel=Channel.ONLINE,
        competent_agency=agencies["tran_bien"], actor=citizen,
        applicant=Applicant(name="Nguyễn Văn A", phone="0987654321", email="nguyen.van.a@example.vn"),
        form_data=BIRTH_FORM, uploads=uploads, idempotency_key="backup-test-1",
    )
    print(json.dumps(describe(dossier.code)))


def describe(code: str) -> dict[str, object]:
    from django.core.files.storage import default_storage

    from motcua.dossiers.models import Dossier

    dossier = Dossier.objects.filter(code=code).first()
    if dossier is None:
        return {"code": None}
    files = {}
    for document in dossier.documents.order_by("slot"):
        with default_storage.open(document.file.name, "rb") as handle:
            files[document.slot] = hashlib.sha256(handle.read()).hexdigest()
    return {"code": dossier.code, "lookup_secret": dossier.lookup_secret, "status": dossier.status,
            "applicant_name": dossier.applicant_name, "events": dossier.events.count(), "files": files}


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    if sys.argv[1] == "seed":
        seed()
    else:
        print(json.dumps(describe(sys.argv[2])))
