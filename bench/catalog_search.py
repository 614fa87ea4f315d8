"""Catalog search latency over a generated catalog (not a test: nothing here is timed against a limit).

    .venv/bin/python bench/catalog_search.py --procedures 2000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench .venv/bin/python bench/catalog_search.py

Uses a throw-away SQLite file unless DATABASE_URL is set. Loads the demo province (setup_demo: nine real
procedures with keywords), adds generated procedures up to --procedures, then times the ranked search
(`ranked_procedure_ids`) and the rendered public page `/thu-tuc/?q=` for a few queries — exact names, typos,
everyday words, nonsense — printing p50/p95/max in ms after one warm-up call each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("MOTCUA_MANIFEST_STATIC", "false")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'motcua_bench_catalog.sqlite3'}")

QUERIES = ["Đăng ký khai sinh", "khia sinh", "sang ten so do", "giay phep lai xe", "cap lai ho chieu",
           "1.001193", "xqzw plmkj"]
VERBS = ["Đăng ký", "Cấp", "Cấp lại", "Cấp đổi", "Gia hạn", "Điều chỉnh", "Xác nhận", "Thu hồi", "Đăng ký lại",
         "Cấp bản sao", "Thẩm định", "Phê duyệt", "Công nhận", "Chấp thuận", "Thông báo"]
OBJECTS = ["giấy phép lái xe", "hộ chiếu phổ thông", "giấy chứng nhận quyền sử dụng đất", "giấy phép xây dựng",
           "thẻ bảo hiểm y tế", "chứng chỉ hành nghề dược", "giấy phép lao động", "biển số xe", "hợp tác xã",
           "giấy phép khai thác nước ngầm", "chứng chỉ quy hoạch", "giấy phép biểu diễn", "hoạt động khoáng sản",
           "cơ sở giáo dục", "trạm y tế", "doanh nghiệp tư nhân", "hộ kinh doanh", "nhà ở xã hội", "giám hộ",
           "thay đổi hộ tịch", "cơ sở lưu trú du lịch", "phương tiện thủy nội địa", "giống cây trồng",
           "thuốc bảo vệ thực vật", "cửa hàng xăng dầu", "bến xe khách", "quảng cáo ngoài trời", "di tích"]
PLACES = ["", " trên địa bàn tỉnh", " có yếu tố nước ngoài", " cấp xã", " cho tổ chức", " cho cá nhân"]


def timed(call: object, repeat: int) -> str:
    assert callable(call)  # noqa: S101
    call()
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return f"p50 {statistics.median(samples):7.1f}  p95 {p95:7.1f}  max {samples[-1]:7.1f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--procedures", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from motcua.catalog.models import Field, Procedure, ProcedureVersion
    from motcua.catalog.selectors import ranked_procedure_ids

    call_command("migrate", verbosity=0)
    if not Procedure.objects.exists():
        call_command("setup_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    have = Procedure.objects.count()
    if have < args.procedures:
        field, _ = Field.objects.get_or_create(code="bench", defaults={"name": "Lĩnh vực khác"})
        names = [f"{v} {o}{p}" for v, o, p in itertools.product(VERBS, OBJECTS, PLACES)][: args.procedures - have]
        template = Procedure.objects.published().first()
        assert template is not None and template.current_version is not None  # noqa: S101
        new = [Procedure(national_code=f"1.8{n:05d}", name=name, field=field, level="province",
                         service_level="mot_phan") for n, name in enumerate(names)]
        for procedure in new:
            procedure.refresh_search_text()
        Procedure.objects.bulk_create(new)
        new = list(Procedure.objects.filter(national_code__startswith="1.8", current_version__isnull=True))
        versions = ProcedureVersion.objects.bulk_create(
            ProcedureVersion(procedure=p, number=1, name=p.name, level=p.level, service_level=p.service_level,
                             competent_authority="Sở ngành", statutory_days=Decimal(5), result_type="Giấy phép",
                             process_definition=template.current_version.process_definition,
                             effective_from=dt.date(2025, 7, 1), content_hash=p.national_code)
            for p in new)
        for procedure, version in zip(new, versions, strict=True):
            procedure.current_version = version
        Procedure.objects.bulk_update(new, ["current_version"])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE catalog_procedure")
    total = Procedure.objects.published().count()
    print(f"{connection.vendor}, {total} published procedures; times in ms")
    setup_test_environment()
    client = Client()
    published = Procedure.objects.published()
    for query in QUERIES:
        first = ranked_procedure_ids(published, query)[:1]
        top = Procedure.objects.filter(pk__in=first).values_list("name", flat=True).first() or "—"
        print(f"{query!r:22} selector {timed(lambda q=query: ranked_procedure_ids(published, q), args.repeat)}")
        page = timed(lambda q=query: client.get("/thu-tuc/", {"q": q}), args.repeat)
        print(f"{'':22} page     {page}   first: {top[:60]}")


if __name__ == "__main__":
    main()
