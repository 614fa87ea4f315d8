"""The demo command loads the province, its agencies and a real catalog, and can run twice."""

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from motcua.catalog.models import Procedure
from motcua.directory.models import Agency


def run():
    out = StringIO()
    call_command("setup_demo", password="demo-pass-123", stdout=out)
    return out.getvalue()


def test_demo_loads_and_is_idempotent(db, client, settings, tmp_path):
    settings.MOTCUA_DEMO_SIGNING_DIR = tmp_path / "demo-signing"  # the demo CA goes there, never into ./var
    first = run()
    assert "tiepnhan.ttpvhcc" in first
    procedures = Procedure.objects.published().count()
    assert procedures >= 8
    assert Agency.objects.filter(function="tax").exists() and Agency.objects.filter(function="commune").count() == 2
    from motcua.dossiers.models import Dossier

    assert Dossier.objects.count() == 6
    # A citizen's own online dossier, received, owing its fees (the online rate), to pay online.
    from motcua.payments.models import Invoice, Payment

    owed = Invoice.objects.get(dossier__applicant__username="tranthibinh")
    assert owed.dossier.channel == "online" and owed.dossier.status == "received"
    assert (owed.state, owed.total, owed.outstanding) == (Invoice.State.UNPAID, 427_500, 427_500)
    second = run()
    assert Dossier.objects.count() == 6
    assert list(Invoice.objects.values_list("pk", flat=True)) == [owed.pk] and not Payment.objects.exists()
    assert f"{procedures} không đổi/unchanged" in second
    assert Procedure.objects.published().count() == procedures
    page = client.get(reverse("catalog:list"), {"q": "chuyen nhuong"})
    assert page.status_code == 200
    assert any("chuyển nhượng" in p.name for p in page.context["page"])
    assert client.login(username="tiepnhan.ttpvhcc", password="demo-pass-123")


def test_the_readme_lists_every_demo_account():
    from pathlib import Path

    from motcua.directory.demo import CITIZENS, STAFF

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    table = readme[readme.index("## Tài khoản demo"):readme.index("## Đường dẫn chính")]
    missing = [username for username, *_rest in [*STAFF, *CITIZENS] if f"`{username}`" not in table]
    assert not missing, f"README's demo accounts table lacks {missing}"
