"""Validators of the directory's identifiers."""

from __future__ import annotations

import re
from typing import Final

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Agency e-ID code (mã định danh điện tử), Decision 20/2020/QĐ-TTg as amended by 09/2025/QĐ-TTg (the structure of
# QCVN 102:2016/BTTTT): four dot-separated levels LLL.LL.LL.Xnn, read right to left — level 1 `Xnn` is a letter
# (H for a province, G for a ministry or central agency…) and two digits, levels 2 and 3 two digits each, level 4
# three digits. Example: 000.00.00.H19. The letter set per level-1 kind is not checked (from memory, not verified).
EID_CODE_RE: Final = re.compile(r"^[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}$")


def validate_eid_code(value: str) -> None:
    if not EID_CODE_RE.fullmatch(value or ""):
        raise ValidationError(
            _("“%(value)s” is not an agency e-ID code: four groups separated by dots, like 000.00.00.H19 (3 digits, "
              "2 digits, 2 digits, then a capital letter and 2 digits)."),
            code="invalid_eid_code", params={"value": value})
