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

    assert Dossier.objects.count() == 9
    # A citizen's own online dossier, received, owing its fees (the online rate), to pay online.
    from motcua.payments.models import Invoice, Payment
    from motcua.taxexchange.models import TaxNotice

    owed = Invoice.objects.get(dossier__applicant__username="tranthibinh", purpose=Invoice.Purpose.FEES)
    assert owed.dossier.channel == "online" and owed.dossier.status == "received"
    assert (owed.state, owed.total, owed.outstanding) == (Invoice.State.UNPAID, 427_500, 427_500)
    # Her land transfers at the tax step with the tax notice: one paused awaiting her payment, one paid.
    waiting = Dossier.objects.get(idempotency_key="demo:land:tax-notice")
    assert waiting.status == "paused_for_fees" and waiting.applicant.username == "tranthibinh"
    notice = TaxNotice.objects.get(dossier=waiting)
    assert [line["amount"] for line in notice.lines] == [40_000_000, 10_000_000] and notice.deadline
    assert Invoice.objects.get(dossier=waiting, purpose=Invoice.Purpose.OBLIGATION).outstanding == 50_000_000
    paid = Dossier.objects.get(idempotency_key="demo:land:tax-paid")
    assert paid.status != "paused_for_fees" and Payment.objects.get(invoice__dossier=paid).amount == 50_000_000
    page = client.get(reverse("payments:dossier", args=[waiting.code]), {"s": waiting.lookup_secret})
    assert "40.000.000" in page.content.decode() and "Nộp tiền trực tuyến" not in page.content.decode()
    # Two sample petitions to the land office: one waiting for its answer, one answered and published (masked).
    from motcua.feedback.models import Feedback

    assert "phản ánh mẫu / sample petitions: +2" in first
    assert set(Feedback.objects.values_list("status", flat=True)) == {"received", "published"}
    published = Feedback.objects.get(status="published")
    assert published.on_time and "Trần Thị Bình" not in published.published_content
    invoices = list(Invoice.objects.order_by("pk").values_list("pk", flat=True))
    second = run()
    assert Feedback.objects.count() == 2 and "phản ánh mẫu / sample petitions: +0" in second
    assert Dossier.objects.count() == 9
    assert list(Invoice.objects.order_by("pk").values_list("pk", flat=True)) == invoices
    assert Payment.objects.count() == 1 and TaxNotice.objects.count() == 2
    # (the catalog's procedures; the document exchange demo imports one more of its own: motcua/demo/exchange.py)
    assert f"{procedures - 1} không đổi/unchanged" in second
    assert Procedure.objects.published().count() == procedures
    page = client.get(reverse("catalog:list"), {"q": "chuyen nhuong"})
    assert page.status_code == 200
    assert any("chuyển nhượng" in p.name for p in page.context["page"])
    assert client.login(username="tiepnhan.ttpvhcc", password="demo-pass-123")


def test_the_readme_lists_every_demo_account():
    from pathlib import Path

    from motcua.demo.directory import CITIZENS, STAFF

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    table = readme[readme.index("## Tài khoản demo"):readme.index("## Đường dẫn chính")]
    missing = [username for username, *_rest in [*STAFF, *CITIZENS] if f"`{username}`" not in table]
    assert not missing, f"README's demo accounts table lacks {missing}"
