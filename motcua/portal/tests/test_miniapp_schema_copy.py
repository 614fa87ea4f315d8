"""The Mini App's form-renderer unit tests run on a copy of the land transfer's e-form (miniapp/test/): it must stay
the schema the catalog ships, in the order it is stored with, or those tests would check another form."""

import json
from pathlib import Path

from motcua.catalog.eforms import with_property_order

ROOT = Path(__file__).resolve().parents[3]


def test_the_mini_app_tests_use_the_shipped_land_transfer_form():
    shipped = json.loads((ROOT / "motcua/catalog/fixtures/demo_procedures_dong_nai.json").read_text())
    (land,) = [p for p in shipped["procedures"] if p["national_code"] == "1.013831"]
    copy = json.loads((ROOT / "miniapp/test/land-transfer-schema.json").read_text())
    assert copy == with_property_order(land["eform_schema"])
